"""Records → typed clean columns, every rejection reason of each row, and data-quality flags."""
from __future__ import annotations

import datetime as dt

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from . import values
from .header import HeaderMapping

ID_WIDTH = 32
TEXT_WIDTHS = {"customer_name": 200, "customer_email": 320, "product_name": 200, "category": 64, "city": 100}
EARLIEST_DATE = dt.date(2000, 1, 1)
MAX_QUANTITY = 1_000_000
PRICE_LIMIT = 100_000_000

CLEAN_COLUMNS = [
    "order_id", "line_id", "line_key", "order_date", "customer_id", "customer_name", "customer_email",
    "product_id", "product_name", "category", "quantity", "unit_price", "discount", "total_amount",
    "country", "city", "payment_method", "sales_channel",
]
QUALITY_FLAGS = ["invalid_emails", "unknown_countries", "unknown_payment_methods", "unknown_sales_channels", "truncated_values"]


def _raw(mapping: HeaderMapping, column: str) -> Column:
    """The column's value with null tokens as null; null when the file has no such column."""
    position = mapping.positions.get(column)
    if position is None:
        return F.lit(None).cast("string")
    return values.without_null_tokens(F.col("fields")[position])


def _fit(value: Column, width: int) -> tuple[Column, Column]:
    return F.substring(value, 1, width), F.coalesce(F.length(value) > width, F.lit(False))


def clean_fields(records: DataFrame, mapping: HeaderMapping, run_date: dt.date) -> DataFrame:
    """Adds the clean columns, `reasons` (DESIGN 4.2 order) and quality flags to well-formed records."""
    raw = {column: _raw(mapping, column) for column in [
        "order_id", "line_id", "order_date", "customer_id", "customer_name", "customer_email", "product_id",
        "product_name", "category", "quantity", "unit_price", "discount", "country", "city", "payment_method",
        "sales_channel",
    ]}
    ids = {column: F.trim(raw[column]) for column in ["order_id", "line_id", "customer_id", "product_id"]}
    order_date = values.parse_date(raw["order_date"])
    quantity = values.parse_quantity(raw["quantity"])
    price = values.parse_price(raw["unit_price"])
    discount = F.coalesce(values.parse_discount(raw["discount"]), F.when(raw["discount"].isNull(), F.lit(0).cast("decimal(38,18)")))
    latest_date = run_date + dt.timedelta(days=1)

    required = ["order_id", *(["line_id"] if mapping.has_line_id else []), "order_date", "customer_id", "product_id", "quantity", "unit_price"]
    reasons = [F.when(raw[column].isNull(), F.lit(f"missing_required:{column}")) for column in required]
    reasons += [
        F.when(F.length(ids[column]) > ID_WIDTH, F.lit(f"invalid_id:{column}"))
        for column in ["order_id", "line_id", "customer_id", "product_id"]
    ]
    reasons += [
        F.when(raw["order_date"].isNotNull() & order_date.isNull(), F.lit("invalid_date")),
        F.when((order_date < F.lit(EARLIEST_DATE)) | (order_date > F.lit(latest_date)), F.lit("date_out_of_range")),
        F.when(raw["quantity"].isNotNull() & (quantity.isNull() | (quantity > MAX_QUANTITY)), F.lit("invalid_quantity")),
        F.when(quantity <= 0, F.lit("non_positive_quantity")),
        F.when(raw["unit_price"].isNotNull() & (price.isNull() | (F.round(price, 4) >= PRICE_LIMIT)), F.lit("invalid_price")),
        F.when(price < 0, F.lit("negative_price")),
        F.when(discount.isNull() | (discount < 0) | (discount > 1), F.lit("invalid_discount")),
    ]

    customer_name, name_cut = _fit(values.collapsed_text(raw["customer_name"]), TEXT_WIDTHS["customer_name"])
    product_name, product_cut = _fit(values.collapsed_text(raw["product_name"]), TEXT_WIDTHS["product_name"])
    city, city_cut = _fit(values.collapsed_text(raw["city"]), TEXT_WIDTHS["city"])
    category, category_cut = _fit(values.canonical_category(raw["category"]), TEXT_WIDTHS["category"])
    email = values.parse_email(raw["customer_email"])
    email, email_cut = _fit(email, TEXT_WIDTHS["customer_email"])
    country = values.canonical_country(raw["country"])
    payment = values.canonical_payment_method(raw["payment_method"])
    channel = values.canonical_sales_channel(raw["sales_channel"])

    unit_price = F.round(price, 4).cast("decimal(12,4)")
    clean_discount = F.round(discount, 4).cast("decimal(5,4)")
    line_key = ids["line_id"] if mapping.has_line_id else ids["product_id"]
    return records.select(
        "*",
        ids["order_id"].alias("order_id"),
        ids["line_id"].alias("line_id"),
        line_key.alias("line_key"),
        order_date.alias("order_date"),
        ids["customer_id"].alias("customer_id"),
        customer_name.alias("customer_name"),
        email.alias("customer_email"),
        ids["product_id"].alias("product_id"),
        product_name.alias("product_name"),
        category.alias("category"),
        quantity.cast("int").alias("quantity"),
        unit_price.alias("unit_price"),
        clean_discount.alias("discount"),
        F.round(quantity.cast("decimal(10,0)") * unit_price * (F.lit(1).cast("decimal(1,0)") - clean_discount), 2).cast("decimal(14,2)").alias("total_amount"),
        country.alias("country"),
        city.alias("city"),
        payment.alias("payment_method"),
        channel.alias("sales_channel"),
        F.array_compact(F.array(*reasons)).alias("reasons"),
        (raw["customer_email"].isNotNull() & email.isNull()).cast("int").alias("invalid_emails"),
        (raw["country"].isNotNull() & country.isNull()).cast("int").alias("unknown_countries"),
        (raw["payment_method"].isNotNull() & payment.isNull()).cast("int").alias("unknown_payment_methods"),
        (raw["sales_channel"].isNotNull() & channel.isNull()).cast("int").alias("unknown_sales_channels"),
        (name_cut.cast("int") + product_cut.cast("int") + city_cut.cast("int") + category_cut.cast("int") + email_cut.cast("int")).alias("truncated_values"),
    )
