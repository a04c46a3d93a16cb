"""Each accepted raw form cleans to its value; anything else is null (one behaviour per test)."""

import datetime as dt
from decimal import Decimal

import pytest
from pyspark.sql import functions as F

from sales_cleaning import values


def clean(spark, function, raw):
    """The function applied to the raw value trimmed, as the job gives it every field."""
    frame = spark.createDataFrame([(raw,)], "raw string")
    return frame.select(function(values.trim(F.col("raw"))).alias("value")).first()["value"]


@pytest.mark.parametrize(
    "raw",
    [
        "2024-03-05",
        "2024-03-05T14:22:00Z",
        "2024-03-05 14:22:00",
        "03/05/2024",
        "3/5/2024",
        "2024/03/05",
        "05-Mar-2024",
        "05-MAR-2024",
        "March 5, 2024",
        "MARCH 5, 2024",
        "20240305",
        " 2024-03-05 ",
    ],
)
def test_every_accepted_date_form_reads_as_the_written_date(spark, raw):
    assert clean(spark, values.parse_date, raw) == dt.date(2024, 3, 5)


@pytest.mark.parametrize("raw", ["2024-13-45", "2025-02-30", "31/31/2024", "yesterday", "05-Foo-2024", "2024-3-5"])
def test_a_date_that_is_not_an_accepted_form_or_not_real_is_null(spark, raw):
    assert clean(spark, values.parse_date, raw) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("19.99", "19.99"),
        ("$19.99", "19.99"),
        ("USD 19.99", "19.99"),
        ("US$19.99", "19.99"),
        ("1,299.00", "1299.00"),
        ("$1,299.00", "1299.00"),
        ("0.0450", "0.0450"),
        (" 7 ", "7"),
        ("-5.00", "-5.00"),
    ],
)
def test_reads_every_accepted_price_form_as_a_decimal(spark, raw, expected):
    assert clean(spark, values.parse_price, raw) == Decimal(expected)


@pytest.mark.parametrize("raw", ["abc", "12.34.56", "€12.00", "1,23", "$", "12,34.5"])
def test_a_price_that_does_not_parse_is_null(spark, raw):
    assert clean(spark, values.parse_price, raw) is None


@pytest.mark.parametrize(("raw", "expected"), [("3", 3), ("3.0", 3), (" 3 ", 3), ("-2", -2), ("0", 0)])
def test_reads_a_whole_number_in_every_accepted_form_as_the_quantity(spark, raw, expected):
    assert clean(spark, values.parse_quantity, raw) == expected


@pytest.mark.parametrize(
    ("function", "raw", "expected"),
    [
        (values.parse_quantity, "0" * 20, "0"),
        (values.parse_price, "0" * 21 + ".50", "0.50"),
        (values.parse_discount, "0" * 20 + ".5", "0.5"),
    ],
)
def test_a_number_padded_with_more_zeros_than_a_decimal_holds_keeps_its_value(spark, function, raw, expected):
    assert clean(spark, function, raw) == Decimal(expected)


@pytest.mark.parametrize(
    ("function", "raw"),
    [
        (values.parse_quantity, "3\u2028"),
        (values.parse_price, "2.00\u0085"),
        (values.parse_discount, "15%\u2028"),
        (values.parse_date, "2024-03-05\u2029"),
    ],
)
def test_a_line_separator_after_a_value_is_not_whitespace_and_the_value_does_not_parse(spark, function, raw):
    assert clean(spark, function, raw) is None


@pytest.mark.parametrize("raw", ["2.5", "three", "1e3"])
def test_a_quantity_that_is_not_a_whole_number_is_null(spark, raw):
    assert clean(spark, values.parse_quantity, raw) is None


@pytest.mark.parametrize(("raw", "expected"), [("0.15", "0.15"), ("15%", "0.15"), ("12.5 %", "0.125"), ("0", "0")])
def test_reads_a_fraction_or_a_percentage_as_the_discount_fraction(spark, raw, expected):
    assert clean(spark, values.parse_discount, raw) == Decimal(expected)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("usa", "US"),
        ("U.K.", "GB"),
        ("Deutschland", "DE"),
        ("FRA", "FR"),
        ("korea, republic of", "KR"),
        ("Atlantis", None),
    ],
)
def test_country_names_aliases_and_codes_map_to_iso_alpha2(spark, raw, expected):
    assert clean(spark, values.canonical_country, raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("HOME_&_KITCHEN", "Home & Kitchen"),
        (" sports and outdoors", "Sports & Outdoors"),
        ("Vinyl Records", "Vinyl Records"),
    ],
)
def test_category_variants_map_to_the_canonical_name(spark, raw, expected):
    assert clean(spark, values.canonical_category, raw) == expected


@pytest.mark.parametrize(
    ("function", "raw", "expected"),
    [
        (values.canonical_payment_method, "Credit Card", "card"),
        (values.canonical_payment_method, "PAY-PAL", "paypal"),
        (values.canonical_payment_method, "bitcoin", None),
        (values.canonical_sales_channel, "In Store", "store"),
        (values.canonical_sales_channel, "e-commerce", "online"),
    ],
)
def test_payment_method_and_channel_variants_map_to_the_canonical_value_and_unknown_ones_to_null(
    spark, function, raw, expected
):
    assert clean(spark, function, raw) == expected


def test_email_is_trimmed_and_lower_cased_and_non_addresses_are_null(spark):
    assert clean(spark, values.parse_email, "  Ann.Lee@Example.COM ") == "ann.lee@example.com"
    assert clean(spark, values.parse_email, "ann at example.com") is None


@pytest.mark.parametrize("token", ["", "null", "NONE", "n/a", "NA", "-", "NaN", "  null  "])
def test_every_null_token_reads_as_null_in_any_case_and_spacing(spark, token):
    assert clean(spark, values.without_null_tokens, token) is None
