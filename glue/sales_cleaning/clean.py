"""Well-formed records → typed clean columns, their rejection reasons and data-quality flags.

The work is done in three selects (raw values, parsed values, clean columns and reasons) so that
every parser runs once per row: a value used by several rules is a column, not a copy of its
expression, which also keeps Spark's query plans small.
"""
from __future__ import annotations

import datetime as dt

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from . import values
from .header import HeaderMapping
from .validation import ID_COLUMNS, ParsedRow, rejection_reasons

TEXT_WIDTHS = {"customer_name": 200, "customer_email": 320, "product_name": 200, "category": 64, "city": 100}
RAW_COLUMNS = [
    "order_id", "line_id", "order_date", "customer_id", "customer_name", "customer_email", "product_id",
    "product_name", "category", "quantity", "unit_price", "discount", "country", "city", "payment_method",
    "sales_channel",
]
CLEAN_COLUMNS = [
    "order_id", "line_id", "line_key", "order_date", "customer_id", "customer_name", "customer_email",
    "product_id", "product_name", "category", "quantity", "unit_price", "discount", "total_amount",
    "country", "city", "payment_method", "sales_channel",
]
QUALITY_FLAGS = ["invalid_emails", "unknown_countries", "unknown_payment_methods", "unknown_sales_channels", "truncated_values"]
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


def _raw_value(mapping: HeaderMapping, column: str) -> Column:
    """The column's field with null tokens as null; null when the file has no such column."""
    position = mapping.positions.get(column)
    if position is None:
        return F.lit(None).cast("string")
    return values.without_null_tokens(F.col("fields")[position])


def required_columns(mapping: HeaderMapping) -> list[str]:
    """The required columns of DESIGN 4.1, plus line_id when the file has a line id column."""
    return ["order_id", *(["line_id"] if mapping.has_line_id else []), "order_date", "customer_id", "product_id", "quantity", "unit_price"]


def clean_fields(records: DataFrame, mapping: HeaderMapping, run_date: dt.date) -> DataFrame:
    """Adds the clean columns, `reasons` and the quality flags to records with `fields` (null when malformed)."""
    raw = records.select("*", *[_raw_value(mapping, column).alias(f"_raw_{column}") for column in RAW_COLUMNS])
    parsed = raw.select(
        "*",
        *[values.trim(_raw(column)).alias(f"_parsed_{column}") for column in ID_COLUMNS],
        values.parse_date(_raw("order_date")).alias("_parsed_order_date"),
        values.parse_quantity(_raw("quantity")).alias("_parsed_quantity"),
        values.parse_price(_raw("unit_price")).alias("_parsed_unit_price"),
        F.when(_raw("discount").isNull(), F.lit(0).cast(values.EXACT)).otherwise(values.parse_discount(_raw("discount"))).alias("_parsed_discount"),
        *[parse(_raw(column)).alias(f"_parsed_{column}") for column, parse in {**TEXT_PARSERS, **LOOKUPS}.items()],
    )
    row = ParsedRow(
        raw={column: _raw(column) for column in RAW_COLUMNS},
        ids={column: _parsed(column) for column in ID_COLUMNS},
        order_date=_parsed("order_date"),
        quantity=_parsed("quantity"),
        price=_parsed("unit_price"),
        discount=_parsed("discount"),
    )
    unit_price = F.round(row.price, 4).cast("decimal(12,4)")
    discount_rate = F.round(row.discount, 4).cast("decimal(5,4)")
    total = F.round(row.quantity.cast("decimal(10,0)") * unit_price * (F.lit(1).cast("decimal(1,0)") - discount_rate), 2)
    cut = [F.coalesce(F.length(_parsed(column)) > width, F.lit(False)).cast("int") for column, width in TEXT_WIDTHS.items()]
    cleaned = parsed.select(
        "*",
        row.ids["order_id"].alias("order_id"),
        row.ids["line_id"].alias("line_id"),
        (row.ids["line_id"] if mapping.has_line_id else row.ids["product_id"]).alias("line_key"),
        row.order_date.alias("order_date"),
        row.ids["customer_id"].alias("customer_id"),
        F.substring(_parsed("customer_name"), 1, TEXT_WIDTHS["customer_name"]).alias("customer_name"),
        F.substring(_parsed("customer_email"), 1, TEXT_WIDTHS["customer_email"]).alias("customer_email"),
        row.ids["product_id"].alias("product_id"),
        F.substring(_parsed("product_name"), 1, TEXT_WIDTHS["product_name"]).alias("product_name"),
        F.substring(_parsed("category"), 1, TEXT_WIDTHS["category"]).alias("category"),
        row.quantity.cast("int").alias("quantity"),
        unit_price.alias("unit_price"),
        discount_rate.alias("discount"),
        total.cast("decimal(14,2)").alias("total_amount"),
        _parsed("country").alias("country"),
        F.substring(_parsed("city"), 1, TEXT_WIDTHS["city"]).alias("city"),
        _parsed("payment_method").alias("payment_method"),
        _parsed("sales_channel").alias("sales_channel"),
        rejection_reasons(row, required_columns(mapping), run_date).alias("reasons"),
        (_raw("customer_email").isNotNull() & _parsed("customer_email").isNull()).cast("int").alias("invalid_emails"),
        *[(_raw(column).isNotNull() & _parsed(column).isNull()).cast("int").alias(flag) for column, flag in [
            ("country", "unknown_countries"), ("payment_method", "unknown_payment_methods"), ("sales_channel", "unknown_sales_channels"),
        ]],
        sum(cut[1:], cut[0]).alias("truncated_values"),
    )
    return cleaned.drop(*[column for column in cleaned.columns if column.startswith(("_raw_", "_parsed_"))])
