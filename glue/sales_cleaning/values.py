"""Per-column parsers: Column expressions that turn one field's text into its clean form.

Each takes the field's text already trimmed (`trim`, which clean.py computes once per field: a parser
that trimmed its own input would trim it again in most branches of its CASE WHEN, as Spark shares an
expression only when the first condition or every branch uses it). Each returns null when the text does
not parse; the reasons are decided in validation.py.
"""

from __future__ import annotations

import json

from pyspark.sql import Column
from pyspark.sql import functions as F

from . import reference

# Patterns end in `\z`, never `$`: Java's `$` also matches before a final line terminator (\n, \r, U+0085,
# U+2028, U+2029), which would accept `15%<U+2028>` as 15 %.
# "Trim" and "whitespace" mean Java's \s everywhere (space, tab, LF, VT, FF, CR), the same set the
# regular expressions use, so trimming and collapsing agree with each other and with the generator.
WHITESPACE = " \t\n\u000b\f\r"
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
# Exact numbers: 19 integer digits and 18 decimals, so that sums of two values still fit Spark's 38 digits.
EXACT = "decimal(37,18)"
SATURATED = "9" * 19


def trim(value: Column) -> Column:
    return F.call_function("btrim", value, F.lit(WHITESPACE))


def without_null_tokens(text: Column) -> Column:
    """The trimmed text, or null when it is one of the contract's null tokens."""
    return F.when(~F.lower(text).isin(reference.null_tokens()), text)


def collapsed_text(text: Column) -> Column:
    """Runs of whitespace (line breaks included) as one space; trimmed text has none at either end."""
    return F.regexp_replace(text, r"\s++", " ")


def _time_of_day() -> str:
    return r"([01]\d|2[0-3]):[0-5]\d:[0-5]\d"


def parse_date(text: Column, date_formats: tuple[str, ...] | None = None) -> Column:
    """Every accepted date form, read as the calendar date written (no time-zone shift); or, given a
    profile's `date_formats`, the first of those Spark patterns that reads the value."""
    if date_formats is not None:
        # Without a time zone: a time part and an offset are read and dropped, the calendar date written stays.
        return F.coalesce(*[F.to_date(F.to_timestamp_ntz(text, F.lit(pattern))) for pattern in date_formats])
    return (
        F.when(text.rlike(r"^\d{4}-\d{2}-\d{2}\z"), F.to_date(text, "yyyy-MM-dd"))
        .when(
            text.rlike(rf"^\d{{4}}-\d{{2}}-\d{{2}}(T{_time_of_day()}Z?| {_time_of_day()})\z"),
            F.to_date(F.substring(text, 1, 10), "yyyy-MM-dd"),
        )
        .when(text.rlike(r"^\d{1,2}/\d{1,2}/\d{4}\z"), F.to_date(text, "M/d/yyyy"))
        .when(text.rlike(r"^\d{4}/\d{2}/\d{2}\z"), F.to_date(text, "yyyy/MM/dd"))
        # Spark's month names are case-sensitive ("Mar", "March"): initcap gives them that case.
        .when(text.rlike(r"^\d{2}-[A-Za-z]{3}-\d{4}\z"), F.to_date(F.initcap(F.lower(text)), "dd-MMM-yyyy"))
        .when(text.rlike(rf"(?i)^({MONTHS}) \d{{1,2}}, \d{{4}}\z"), F.to_date(F.initcap(F.lower(text)), "MMMM d, yyyy"))
        .when(text.rlike(r"^\d{8}\z"), F.to_date(text, "yyyyMMdd"))
    )


def exact_number(number: Column, decimals: int = 18) -> Column:
    """A checked decimal literal (`[+-]digits[.digits]`) as an exact decimal(37,18).

    Digits past `decimals` are cut, never rounded, so rounding half up to 4 or 2 places later stays
    exact. When the cut drops non-zero digits from a whole number, the value moves one unit away
    from zero: `1.0000000000000000000001` stays above 1 and `-0.0000000000000000000001` below 0,
    as the range checks need. Past 19 integer digits the value saturates at ±(10^19 - 1), beyond
    every limit of the contract.
    """
    # Greedy, not possessive: the last zero must stay when no digit follows (`0000`, `000.5`).
    stripped = F.regexp_replace(number, r"^([+-]?)0+(?=\d)", "$1")
    kept = F.regexp_replace(stripped, rf"(\.\d{{{decimals}}})\d++\z", "$1")
    whole_digits = F.length(F.regexp_replace(F.substring_index(kept, ".", 1), r"^[+-]", ""))
    sign = F.when(number.startswith("-"), F.lit(-1)).otherwise(F.lit(1)).cast("decimal(1,0)")
    value = F.when(whole_digits > 19, (sign * F.lit(SATURATED).cast("decimal(19,0)")).cast(EXACT)).otherwise(
        kept.cast(EXACT)
    )
    unit = F.lit("0." + "0" * (decimals - 1) + "1").cast(EXACT)
    dropped_digits = number.rlike(rf"\.\d{{{decimals}}}\d*[1-9]")
    away_from_zero = F.when(number.startswith("-"), value - unit).otherwise(value + unit)
    nudged = F.when(dropped_digits & (value == F.floor(value)), away_from_zero).otherwise(value)
    # The common short literal fits decimal(37,18) as it is: no regular expressions needed.
    return F.when(F.length(number) <= decimals + 1, number.cast(EXACT)).otherwise(nudged)


def _number(decimal_separator: str) -> str:
    """A plain decimal literal's pattern with the given decimal separator."""
    return rf"[+-]?\d++(\{decimal_separator}\d++)?"


def _with_point(number: Column, decimal_separator: str) -> Column:
    """A literal written with a decimal comma (and no thousands separators), as one with a decimal point."""
    if decimal_separator == ".":
        return number
    return F.translate(number, ",", ".")


def parse_quantity(text: Column, decimal_separator: str = ".") -> Column:
    """Whole number (`3`, `3.0`, `+3`; `3,0` with a decimal comma) as an exact decimal; null when it
    is not one."""
    fraction = rf"\{decimal_separator}0++"
    return F.when(text.rlike(rf"^[+-]?\d++({fraction})?\z"), exact_number(F.regexp_replace(text, rf"{fraction}\z", "")))


def parse_price(text: Column, decimal_separator: str = ".") -> Column:
    """`19.99`, `$19.99`, `US$ 19.99`, `USD 19.99`, `1,299.00`, `-5.00` as an exact decimal; null otherwise.
    With a decimal comma: `19,99`, `1.299,00`."""
    number = F.regexp_replace(text, r"(?i)^(US\$|USD|\$) ?", "")
    point, thousands = rf"\{decimal_separator}", r"\." if decimal_separator == "," else ","
    well_formed = number.rlike(rf"^-?\d{{1,3}}({thousands}\d{{3}})++({point}\d++)?\z") | number.rlike(
        rf"^-?\d++({point}\d++)?\z"
    )
    return F.when(well_formed, exact_number(_with_point(F.regexp_replace(number, thousands, ""), decimal_separator)))


def parse_discount(text: Column, decimal_separator: str = ".") -> Column:
    """`0.15` or `15%` / `15 %` as an exact fraction (`0,15`, `12,5%` with a decimal comma); null when it is
    not a number."""
    percent = _with_point(F.regexp_extract(text, rf"^({_number(decimal_separator)}) ?%\z", 1), decimal_separator)
    # Percentages keep two decimals fewer, so dividing by 100 stays exact in 18 decimals.
    as_fraction = (exact_number(percent, decimals=16) / F.lit(100).cast("decimal(3,0)")).cast(EXACT)
    return F.when(percent != "", as_fraction).when(
        text.rlike(rf"^{_number(decimal_separator)}\z"), exact_number(_with_point(text, decimal_separator))
    )


def parse_email(text: Column) -> Column:
    email = F.lower(text)
    return F.when(email.rlike(r"^[^@\s]+@[^@\s]+\.[^@\s]+\z"), email)


def _lookup(mapping: dict[str, str]) -> Column:
    """The mapping as a literal map<string,string>: one JSON text, which the optimizer folds into a map constant.

    (A `create_map` of one `lit` per key and value would cost thousands of calls into the JVM per run for the
    country list alone.)"""
    return F.from_json(F.lit(json.dumps(dict(sorted(mapping.items())))), "map<string,string>")


def _variant_key(text: Column) -> Column:
    """Lower-case, runs of whitespace, `_` and `-` as one space (the contract's order)."""
    return F.regexp_replace(F.lower(text), r"[\s_\-]++", " ")


def canonical_category(text: Column) -> Column:
    """Known category (any case, spacing, `and`/`&`) → canonical name; unknown → the text."""
    key = F.regexp_replace(_variant_key(text), r"\band\b", "&")
    return F.coalesce(F.element_at(_lookup(reference.category_lookup()), key), text)


def canonical_country(text: Column) -> Column:
    """Name, alias, ISO alpha-2 or alpha-3 (any case, dots dropped) → ISO alpha-2; unknown → null."""
    # Trimmed again: a dot dropped at either end can leave whitespace there (`US .`).
    key = trim(F.regexp_replace(F.lower(F.regexp_replace(text, r"\.", "")), r"\s++", " "))
    return F.element_at(_lookup(reference.country_lookup()), key)


def _variant(text: Column, mapping: dict[str, str]) -> Column:
    return F.element_at(_lookup(mapping), _variant_key(text))


def canonical_payment_method(text: Column) -> Column:
    return _variant(text, reference.payment_method_lookup())


def canonical_sales_channel(text: Column) -> Column:
    return _variant(text, reference.sales_channel_lookup())
