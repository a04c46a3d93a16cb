"""Column expressions that turn one raw text value into its clean form (null when it does not parse)."""
from __future__ import annotations

from pyspark.sql import Column
from pyspark.sql import functions as F

from . import reference

MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"


def _lookup(mapping: dict[str, str]) -> Column:
    return F.create_map(*[F.lit(item) for pair in sorted(mapping.items()) for item in pair])


def without_null_tokens(raw: Column) -> Column:
    """The raw value, or null when it is one of the contract's null tokens."""
    return F.when(~F.lower(F.trim(raw)).isin(reference.null_tokens()), raw)


def collapsed_text(value: Column) -> Column:
    """Runs of whitespace (line breaks included) as one space, then trimmed."""
    return F.trim(F.regexp_replace(value, r"\s+", " "))


def parse_date(value: Column) -> Column:
    """Every accepted date form, read as the calendar date written (no time-zone shift)."""
    text = F.trim(value)
    day_month_year = F.regexp_extract(text, r"^(\d{1,2})-([A-Za-z]{3})-(\d{4})$", 0)
    month_day_year = F.regexp_extract(text, rf"(?i)^({MONTHS}) (\d{{1,2}}), (\d{{4}})$", 0)
    return (
        F.when(text.rlike(r"^\d{4}-\d{2}-\d{2}$"), F.to_date(text, "yyyy-MM-dd"))
        .when(text.rlike(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}Z?| \d{2}:\d{2}:\d{2})$"), F.to_date(F.substring(text, 1, 10), "yyyy-MM-dd"))
        .when(text.rlike(r"^\d{1,2}/\d{1,2}/\d{4}$"), F.to_date(text, "M/d/yyyy"))
        .when(text.rlike(r"^\d{4}/\d{2}/\d{2}$"), F.to_date(text, "yyyy/MM/dd"))
        .when(
            day_month_year != "",
            F.to_date(
                F.concat_ws(
                    "-",
                    F.regexp_extract(text, r"^(\d{1,2})-", 1),
                    F.initcap(F.lower(F.regexp_extract(text, r"-([A-Za-z]{3})-", 1))),
                    F.regexp_extract(text, r"(\d{4})$", 1),
                ),
                "d-MMM-yyyy",
            ),
        )
        .when(month_day_year != "", F.to_date(F.initcap(F.lower(text)), "MMMM d, yyyy"))
        .when(text.rlike(r"^\d{8}$"), F.to_date(text, "yyyyMMdd"))
    )


def parse_quantity(value: Column) -> Column:
    """Whole number (`3`, `3.0`, ` 3 `) as decimal(20,0); null when not a whole number."""
    text = F.trim(value)
    return F.when(text.rlike(r"^[+-]?\d{1,18}(\.0+)?$"), F.regexp_replace(text, r"\.0+$", "").cast("decimal(20,0)"))


def parse_price(value: Column) -> Column:
    """`19.99`, `$19.99`, `US$ 19.99`, `USD 19.99`, `1,299.00` as an exact decimal; null otherwise."""
    number = F.regexp_replace(F.trim(value), r"(?i)^(US\$|USD|\$)\s*", "")
    well_formed = number.rlike(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$") | number.rlike(r"^-?\d{1,20}(\.\d{1,18})?$")
    return F.when(well_formed, F.regexp_replace(number, ",", "").cast("decimal(38,18)"))


def parse_discount(value: Column) -> Column:
    """`0.15` or `15%` as an exact decimal fraction; null when it is not a number."""
    text = F.trim(value)
    percent = F.regexp_extract(text, r"^(\d{1,3}(\.\d{1,16})?)\s*%$", 1)
    return (
        F.when(percent != "", percent.cast("decimal(38,18)") / F.lit(100).cast("decimal(3,0)"))
        .when(text.rlike(r"^-?\d{1,3}(\.\d{1,16})?$"), text.cast("decimal(38,18)"))
    )


def parse_email(value: Column) -> Column:
    email = F.lower(F.trim(value))
    return F.when(email.rlike(r"^[^@\s]+@[^@\s]+\.[^@\s]+$"), email)


def canonical_category(value: Column) -> Column:
    key = F.regexp_replace(F.regexp_replace(F.lower(F.trim(value)), r"[\s_\-]+", " "), r"\band\b", "&")
    return F.coalesce(F.element_at(_lookup(reference.category_lookup()), F.trim(key)), F.trim(value))


def canonical_country(value: Column) -> Column:
    key = F.trim(F.regexp_replace(F.regexp_replace(F.lower(F.trim(value)), r"\.", ""), r"\s+", " "))
    return F.element_at(_lookup(reference.country_lookup()), key)


def _variant(value: Column, mapping: dict[str, str]) -> Column:
    key = F.trim(F.regexp_replace(F.lower(F.trim(value)), r"[\s_\-]+", " "))
    return F.element_at(_lookup(mapping), key)


def canonical_payment_method(value: Column) -> Column:
    return _variant(value, reference.payment_method_lookup())


def canonical_sales_channel(value: Column) -> Column:
    return _variant(value, reference.sales_channel_lookup())
