"""Rejection reasons: each reason alone, every reason of a row together, in contract order."""

import datetime as dt

import pytest

from classified import HEADER, classify_records, reasons_of

VALID = ["O1", "2024-03-05", "C1", "P1", "2", "19.99"]
COLUMN = {name: index for index, name in enumerate(HEADER.split(","))}


def row_with(**changes):
    values = list(VALID)
    for column, value in changes.items():
        values[COLUMN[column]] = f'"{value}"' if "," in value else value
    return ",".join(values)


def test_a_valid_row_has_no_reasons_and_is_clean(spark):
    [row] = classify_records(spark, [row_with()])
    assert (row["reasons"], row["outcome"]) == ([], "clean")


@pytest.mark.parametrize("column", ["order_id", "order_date", "customer_id", "product_id", "quantity", "unit_price"])
@pytest.mark.parametrize("token", ["", "NULL", " n/a "])
def test_a_null_token_in_a_required_column_is_missing_required(spark, column, token):
    assert reasons_of(spark, [row_with(**{column: token})]) == [[f"missing_required:{column}"]]


def test_line_id_is_required_when_the_file_has_a_line_id_column(spark):
    header = HEADER + ",line_no"
    assert reasons_of(spark, [row_with() + ",-", row_with() + ",1"], header=header) == [
        ["missing_required:line_id"],
        [],
    ]


@pytest.mark.parametrize("column", ["order_id", "customer_id", "product_id"])
def test_an_id_longer_than_32_characters_is_invalid_id(spark, column):
    assert reasons_of(spark, [row_with(**{column: "X" * 33}), row_with(**{column: " " + "X" * 32 + " "})]) == [
        [f"invalid_id:{column}"],
        [],
    ]


@pytest.mark.parametrize(
    "raw", ["2024-13-45", "2025-02-30", "05/03/24", "yesterday", "2024-03-05T25:00:00Z", "5-Mar-2024"]
)
def test_an_unreadable_or_unreal_date_is_invalid_date(spark, raw):
    assert reasons_of(spark, [row_with(order_date=raw)]) == [["invalid_date"]]


@pytest.mark.parametrize(
    ("raw", "reasons"),
    [
        ("1999-12-31", ["date_out_of_range"]),
        ("2000-01-01", []),
        ("2026-01-02", []),
        ("2026-01-03", ["date_out_of_range"]),
    ],
)
def test_dates_before_2000_or_after_the_run_date_plus_one_day_are_out_of_range(spark, raw, reasons):
    assert reasons_of(spark, [row_with(order_date=raw)], run_date=dt.date(2026, 1, 1)) == [reasons]


@pytest.mark.parametrize("raw", ["2.5", "three", "1e3", "1000001", "99999999999999999999999"])
def test_a_quantity_that_is_not_a_whole_number_up_to_a_million_is_invalid_quantity(spark, raw):
    assert reasons_of(spark, [row_with(quantity=raw)]) == [["invalid_quantity"]]


@pytest.mark.parametrize("raw", ["0", "-2", "-1.0", "-99999999999999999999999"])
def test_a_zero_or_negative_quantity_is_non_positive_quantity(spark, raw):
    assert reasons_of(spark, [row_with(quantity=raw)]) == [["non_positive_quantity"]]


@pytest.mark.parametrize("raw", ["abc", "12.34.56", "€12.00", "1,23", "$", "100000000", "99999999.99995", "-$5.00"])
def test_a_price_that_does_not_parse_or_reaches_100_million_is_invalid_price(spark, raw):
    assert reasons_of(spark, [row_with(unit_price=raw)]) == [["invalid_price"]]


@pytest.mark.parametrize("raw", ["-5.00", "$-12.50", "-1,299.00", "-0.0000000000000000000001"])
def test_a_negative_price_is_negative_price(spark, raw):
    assert reasons_of(spark, [row_with(unit_price=raw)]) == [["negative_price"]]


@pytest.mark.parametrize("raw", ["150%", "1.5", "abc", "-0.1", "-5%", "1.0000000000000000000001"])
def test_a_discount_that_is_not_a_number_in_0_to_1_is_invalid_discount(spark, raw):
    header = HEADER + ",discount"
    assert reasons_of(spark, [row_with() + "," + raw], header=header) == [["invalid_discount"]]


def test_a_row_gets_every_reason_that_applies_in_contract_order(spark):
    header = HEADER + ",discount"
    record = ",".join(["", "1999-01-01", "C1", "P" * 40, "-2", "$-3.00"]) + ",150%"
    assert reasons_of(spark, [record], header=header) == [
        [
            "missing_required:order_id",
            "invalid_id:product_id",
            "date_out_of_range",
            "non_positive_quantity",
            "negative_price",
            "invalid_discount",
        ]
    ]


def test_several_missing_columns_are_listed_in_required_order(spark):
    assert reasons_of(spark, [",2024-01-01,C1,,1,"]) == [
        ["missing_required:order_id", "missing_required:product_id", "missing_required:unit_price"]
    ]


@pytest.mark.parametrize(
    "record", ["O1,2024-01-01,C1,P1,1", "O1,2024-01-01,C1,P1,1,2.00,extra", 'O1 "rush",2024-01-01,C1,P1,1,2.00']
)
def test_a_wrong_field_count_or_broken_quoting_is_only_malformed_record(spark, record):
    [row] = classify_records(spark, [record])
    assert (row["reasons"], row["outcome"]) == (["malformed_record"], "rejected")
