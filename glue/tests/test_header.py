"""Header reading and matching (no Spark): name normalisation, aliases, first match wins, unknown columns
reported, files rejected whole."""

import pytest

from sales_cleaning.header import map_header, normalise_name, read_header
from sales_cleaning.manifest import FileRejectedError

REQUIRED = ["order_id", "order_date", "customer_id", "product_id", "quantity", "unit_price"]


@pytest.mark.parametrize(
    ("written", "normalised"),
    [
        ("Order ID", "order_id"),
        ("  ORDER_ID ", "order_id"),
        ("order-id", "order_id"),
        ("Order  -_ ID", "order_id"),
        ("Sub-Category", "sub_category"),
    ],
)
def test_names_are_trimmed_lower_cased_and_separator_runs_become_one_underscore(written, normalised):
    assert normalise_name(written) == normalised


@pytest.mark.parametrize(
    ("written", "column"),
    [
        ("Line Number", "line_id"),
        ("line_no", "line_id"),
        ("Row ID", "line_id"),
        ("Qty", "quantity"),
        ("Price", "unit_price"),
    ],
)
def test_each_alias_maps_to_its_contract_column(written, column):
    assert map_header(["Region", written]).positions == {column: 1}


def test_alias_columns_take_the_place_of_the_missing_required_ones():
    mapping = map_header(["Order ID", "Order Date", "Customer ID", "Product ID", "Qty", "Price"])
    assert mapping.missing_required == []
    assert (mapping.positions["quantity"], mapping.positions["unit_price"]) == (4, 5)


def test_columns_are_found_by_name_in_any_order():
    mapping = map_header(["unit_price", "quantity", "product_id", "customer_id", "order_date", "order_id"])
    assert mapping.positions == {
        "unit_price": 0,
        "quantity": 1,
        "product_id": 2,
        "customer_id": 3,
        "order_date": 4,
        "order_id": 5,
    }


def test_unknown_columns_are_ignored_and_listed_as_written():
    mapping = map_header(["Region", *REQUIRED, " Sales Rep "])
    assert mapping.ignored_columns == ["Region", " Sales Rep "]
    assert mapping.field_count == 8


def test_when_two_columns_map_to_the_same_name_the_first_wins_and_the_other_is_ignored():
    mapping = map_header([*REQUIRED, "Row ID", "line_number"])
    assert mapping.positions["line_id"] == 6
    assert mapping.ignored_columns == ["line_number"]


def test_missing_required_columns_are_named_in_contract_order():
    assert map_header(["quantity", "order_id", "customer_id"]).missing_required == [
        "order_date",
        "product_id",
        "unit_price",
    ]


def test_a_file_has_line_ids_only_with_a_line_id_column():
    assert not map_header(REQUIRED).has_line_id
    assert map_header([*REQUIRED, "Row ID"]).has_line_id


def test_the_line_key_comes_from_line_id_when_the_file_has_one_else_from_product_id():
    assert map_header(REQUIRED).line_key_source == "product_id"
    assert map_header([*REQUIRED, "Line Number"]).line_key_source == "line_id"


def test_the_header_is_read_from_the_opening_bytes_past_a_bom_and_a_quoted_line_break():
    mapping = read_header(b'\xef\xbb\xbfOrder ID,"Order\r\nDate",Customer ID,Product ID,Qty,Price\r\nO1,2024-01-01')
    assert mapping.positions == {
        "order_id": 0,
        "order_date": 1,
        "customer_id": 2,
        "product_id": 3,
        "quantity": 4,
        "unit_price": 5,
    }
    assert (mapping.field_count, mapping.ignored_columns) == (6, [])


@pytest.mark.parametrize(
    ("head", "reason"),
    [
        (b"", "empty_file"),
        (b"  \r\nO1,2024-01-01", "empty_file"),
        (b"order_id,\x00\x01", "not_text"),
        (b'order_id,"order_date\n', "malformed_header"),
        (
            b"order_id,order_date,customer_id\nO1,2024-01-01,C1",
            "missing_required_columns:product_id,quantity,unit_price",
        ),
    ],
    ids=["empty", "blank-first-line", "nul-byte", "unclosed-quote", "missing-columns"],
)
def test_a_file_whose_header_cannot_be_used_is_rejected_whole_with_the_reason(head, reason):
    with pytest.raises(FileRejectedError) as rejected:
        read_header(head)
    assert rejected.value.reason == reason
