"""Rejection reasons: every reason that applies to a row, in the order of DESIGN 4.2."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pyspark.sql import Column
from pyspark.sql import functions as F

# DESIGN 4.2's list; `invalid_id` (docs/data-contract.md's addition) follows `missing_required`.
REASON_ORDER = [
    "missing_required", "invalid_id", "invalid_date", "date_out_of_range", "invalid_quantity",
    "non_positive_quantity", "invalid_price", "negative_price", "invalid_discount", "malformed_record",
    "duplicate_order_line",
]
ID_COLUMNS = ["order_id", "line_id", "customer_id", "product_id"]
ID_WIDTH = 32
EARLIEST_DATE = dt.date(2000, 1, 1)
MAX_QUANTITY = 1_000_000
PRICE_LIMIT = 100_000_000


@dataclass(frozen=True)
class ParsedRow:
    """One row's values as Column expressions: `raw` (null tokens as null) and what they parsed to."""

    raw: dict[str, Column]
    ids: dict[str, Column]
    order_date: Column
    quantity: Column
    price: Column
    discount: Column


def reason_sort_key(reason: str) -> tuple[int, str]:
    name = reason.split(":", 1)[0]
    return (REASON_ORDER.index(name) if name in REASON_ORDER else len(REASON_ORDER), reason)


def rejection_reasons(row: ParsedRow, required: list[str], run_date: dt.date) -> Column:
    """An array with every reason of the row (empty when it is valid), in contract order."""
    latest_date = run_date + dt.timedelta(days=1)
    reasons = [F.when(row.raw[column].isNull(), F.lit(f"missing_required:{column}")) for column in required]
    reasons += [F.when(F.length(row.ids[column]) > ID_WIDTH, F.lit(f"invalid_id:{column}")) for column in ID_COLUMNS]
    reasons += [
        F.when(row.raw["order_date"].isNotNull() & row.order_date.isNull(), F.lit("invalid_date")),
        F.when((row.order_date < F.lit(EARLIEST_DATE)) | (row.order_date > F.lit(latest_date)), F.lit("date_out_of_range")),
        F.when(row.raw["quantity"].isNotNull() & (row.quantity.isNull() | (row.quantity > MAX_QUANTITY)), F.lit("invalid_quantity")),
        F.when(row.quantity <= 0, F.lit("non_positive_quantity")),
        F.when(row.raw["unit_price"].isNotNull() & (row.price.isNull() | (F.round(row.price, 4) >= PRICE_LIMIT)), F.lit("invalid_price")),
        F.when(row.price < 0, F.lit("negative_price")),
        F.when(row.discount.isNull() | (row.discount < 0) | (row.discount > 1), F.lit("invalid_discount")),
    ]
    return F.array_compact(F.array(*reasons))
