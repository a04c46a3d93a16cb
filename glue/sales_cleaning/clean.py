"""Well-formed records → typed clean columns, their rejection reasons and data-quality flags.

The work is done in staged selects (trimmed fields, fields with null tokens as null, parsed values,
clean columns and reasons) so that every field is trimmed and every parser runs once per row: a value
used by several rules is a column, not a copy of its expression, which also keeps Spark's query plans
small. (Spark's optimizer keeps two selects apart when merging them would copy a costly expression.)
"""

from __future__ import annotations

import datetime as dt

from pyspark.sql import Column, DataFrame, Window
from pyspark.sql import functions as F

from . import values
from .contract import CLEAN_COLUMNS, COLUMN, ID_WIDTHS, INPUT_COLUMNS, REQUIRED_COLUMNS, TEXT_WIDTHS
from .header import HeaderMapping
from .profile import CONTRACT_FORMAT, SourceProfile
from .validation import ParsedRow, rejection_reasons

ID_COLUMNS = list(ID_WIDTHS)
QUALITY_FLAGS = [
    "invalid_emails",
    "unknown_countries",
    "unknown_payment_methods",
    "unknown_sales_channels",
    "truncated_values",
]
TEXT_PARSERS = {
    "customer_name": values.collapsed_text,
    "customer_email": values.parse_email,
    "product_name": values.collapsed_text,
    "category": values.canonical_category,
    "city": values.collapsed_text,
}
LOOKUPS = {
    "country": values.canonical_country,
    "payment_method": values.canonical_payment_method,
    "sales_channel": values.canonical_sales_channel,
}


def _raw(column: str) -> Column:
    return F.col(f"_raw_{column}")


def _parsed(column: str) -> Column:
    return F.col(f"_parsed_{column}")


def _field_text(mapping: HeaderMapping, column: str) -> Column:
    """The column's field, trimmed; null when the file has no such column."""
    position = mapping.positions.get(column)
    if position is None:
        return F.lit(None).cast("string")
    return values.trim(F.col("fields")[position])


def required_columns(mapping: HeaderMapping) -> list[str]:
    """The contract's required columns plus the one line_key comes from, in column order."""
    return [column for column in INPUT_COLUMNS if column in REQUIRED_COLUMNS or column == mapping.line_key_source]


def _decimal(value: Column, column: str) -> Column:
    """Rounded half up to the clean column's scale, as its decimal type."""
    return F.round(value, COLUMN[column].scale).cast(COLUMN[column].spark_type)


def fill_order_level(raw: DataFrame, columns: tuple[str, ...]) -> DataFrame:
    """A null raw value of an order-level column takes the first non-null one among the lines of its order
    (same order id) in file order. Lines without an order id are left as they are."""
    if not columns:
        return raw
    order_id = _raw("order_id")
    order = (
        Window.partitionBy(order_id)
        .orderBy("source_line")
        .rowsBetween(Window.unboundedPreceding, Window.unboundedFollowing)
    )
    return raw.withColumns(
        {
            f"_raw_{column}": F.when(
                order_id.isNotNull(), F.coalesce(_raw(column), F.first(_raw(column), ignorenulls=True).over(order))
            ).otherwise(_raw(column))
            for column in columns
        }
    )


def clean_fields(
    records: DataFrame, mapping: HeaderMapping, run_date: dt.date, profile: SourceProfile = CONTRACT_FORMAT
) -> DataFrame:
    """Adds the clean columns, `reasons` and the quality flags to records with `fields` (null when malformed),
    reading numbers and dates as the profile's format says."""
    texts = records.select("*", *[_field_text(mapping, column).alias(f"_raw_{column}") for column in INPUT_COLUMNS])
    raw = fill_order_level(
        texts.withColumns({f"_raw_{column}": values.without_null_tokens(_raw(column)) for column in INPUT_COLUMNS}),
        profile.order_level,
    )
    separator = profile.decimal_separator
    parsed = raw.select(
        "*",
        values.parse_date(_raw("order_date"), profile.date_formats).alias("_parsed_order_date"),
        values.parse_quantity(_raw("quantity"), separator).alias("_parsed_quantity"),
        values.parse_price(_raw("unit_price"), separator).alias("_parsed_unit_price"),
        F.when(_raw("discount").isNull(), F.lit(0).cast(values.EXACT))
        .otherwise(values.parse_discount(_raw("discount"), separator))
        .alias("_parsed_discount"),
        *[parse(_raw(column)).alias(f"_parsed_{column}") for column, parse in {**TEXT_PARSERS, **LOOKUPS}.items()],
    )
    row = ParsedRow(
        raw={column: _raw(column) for column in INPUT_COLUMNS},
        ids={column: _raw(column) for column in ID_COLUMNS},
        order_date=_parsed("order_date"),
        quantity=_parsed("quantity"),
        price=_parsed("unit_price"),
        discount=_parsed("discount"),
    )
    unit_price = _decimal(row.price, "unit_price")
    discount_rate = _decimal(row.discount, "discount")
    total = _decimal(
        row.quantity.cast("decimal(10,0)") * unit_price * (F.lit(1).cast("decimal(1,0)") - discount_rate),
        "total_amount",
    )
    cut = [
        F.coalesce(F.length(_parsed(column)) > width, F.lit(False)).cast("int") for column, width in TEXT_WIDTHS.items()
    ]
    clean = {
        **{column: row.ids[column] for column in ID_COLUMNS},
        "line_key": row.ids[mapping.line_key_source],
        "order_date": row.order_date,
        **{column: F.substring(_parsed(column), 1, width) for column, width in TEXT_WIDTHS.items()},
        "quantity": row.quantity.cast(COLUMN["quantity"].spark_type),
        "unit_price": unit_price,
        "discount": discount_rate,
        "total_amount": total,
        **{column: _parsed(column) for column in LOOKUPS},
    }
    cleaned = parsed.select(
        "*",
        *[clean[column].alias(column) for column in CLEAN_COLUMNS],
        rejection_reasons(row, required_columns(mapping), run_date).alias("reasons"),
        (_raw("customer_email").isNotNull() & _parsed("customer_email").isNull()).cast("int").alias("invalid_emails"),
        *[
            (_raw(column).isNotNull() & _parsed(column).isNull()).cast("int").alias(flag)
            for column, flag in [
                ("country", "unknown_countries"),
                ("payment_method", "unknown_payment_methods"),
                ("sales_channel", "unknown_sales_channels"),
            ]
        ],
        sum(cut[1:], cut[0]).alias("truncated_values"),
    )
    return cleaned.drop(*[column for column in cleaned.columns if column.startswith(("_raw_", "_parsed_"))])
