"""Rejection reasons: every reason that applies to a row, in the contract's order."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pyspark.sql import Column
from pyspark.sql import functions as F

from .contract import COLUMN, ID_WIDTHS, REASON_ORDER

EARLIEST_DATE = dt.date(2000, 1, 1)
MAX_QUANTITY = 1_000_000
PRICE_SCALE = COLUMN["unit_price"].scale
# The first price the clean column's decimal cannot hold: 10^8 for decimal(12,4).
PRICE_LIMIT = 10 ** (COLUMN["unit_price"].precision - PRICE_SCALE)


@dataclass(frozen=True)
class ParsedRow:
    """One row's values as Column expressions: `raw` (each field trimmed, null tokens as null) and what they
    parsed to."""

    raw: dict[str, Column]
    ids: dict[str, Column]
    order_date: Column
    quantity: Column
    price: Column
    discount: Column


def rejection_reasons(row: ParsedRow, required: list[str], run_date: dt.date) -> Column:
    """An array with every reason of the row (empty when it is valid), in contract order.

    `malformed_record` and `duplicate_order_line` are decided elsewhere: each replaces all other reasons.
    """
    latest_date = run_date + dt.timedelta(days=1)
    checks = {
        "missing_required": [
            F.when(row.raw[column].isNull(), F.lit(f"missing_required:{column}")) for column in required
        ],
        "invalid_id": [
            F.when(F.length(row.ids[column]) > width, F.lit(f"invalid_id:{column}"))
            for column, width in ID_WIDTHS.items()
        ],
        "invalid_date": [F.when(row.raw["order_date"].isNotNull() & row.order_date.isNull(), F.lit("invalid_date"))],
        "date_out_of_range": [
            F.when(
                (row.order_date < F.lit(EARLIEST_DATE)) | (row.order_date > F.lit(latest_date)),
                F.lit("date_out_of_range"),
            )
        ],
        "invalid_quantity": [
            F.when(
                row.raw["quantity"].isNotNull() & (row.quantity.isNull() | (row.quantity > MAX_QUANTITY)),
                F.lit("invalid_quantity"),
            )
        ],
        "non_positive_quantity": [F.when(row.quantity <= 0, F.lit("non_positive_quantity"))],
        "invalid_price": [
            F.when(
                row.raw["unit_price"].isNotNull()
                & (row.price.isNull() | (F.round(row.price, PRICE_SCALE) >= PRICE_LIMIT)),
                F.lit("invalid_price"),
            )
        ],
        "negative_price": [F.when(row.price < 0, F.lit("negative_price"))],
        "invalid_discount": [
            F.when(row.discount.isNull() | (row.discount < 0) | (row.discount > 1), F.lit("invalid_discount"))
        ],
    }
    unlisted = checks.keys() - set(REASON_ORDER)
    if unlisted:
        raise ValueError(
            f"contract.json does not list the reasons {sorted(unlisted)}:"
            " add them to its `reasons`, in the order rows list them"
        )
    return F.array_compact(F.array(*[check for reason in REASON_ORDER for check in checks.get(reason, [])]))
