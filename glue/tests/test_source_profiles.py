"""Source profiles (docs/data-contract.md, Source profiles): one behaviour per test, each format field, each
line key rule, order-level fill, and the ways a profile ends a run as `rejected_file`."""

import datetime as dt
import gzip
import json
from decimal import Decimal
from importlib import resources
from pathlib import Path

import boto3
import pytest
from jsonschema import Draft202012Validator
from moto import mock_aws
from pyspark.sql import functions as F

from classified import classify_records
from conftest import RUN_DATE
from manifests import run_job_checked
from outputs import clean_rows
from sales_cleaning import decoding, values
from sales_cleaning.header import read_header
from sales_cleaning.job_config import JobConfig
from sales_cleaning.manifest import FileRejectedError
from sales_cleaning.profile import InvalidProfileError, SourceProfile, parse_profile, profile_digest
from sales_cleaning.records import split_header

PROJECT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads(resources.files("sales_cleaning").joinpath("source-profile.schema.json").read_text("utf-8"))
REQUIRED_MAPPING = {
    "order_id": "Order",
    "order_date": "Date",
    "customer_id": "Customer",
    "product_id": "SKU",
    "quantity": "Qty",
    "unit_price": "Price",
}
SHOP_HEADER = "Order,Date,Customer,SKU,Qty,Price"


def profile_document(**fields) -> dict:
    return {"name": "shop", "columns": dict(REQUIRED_MAPPING), **fields}


def profile_of(**fields) -> SourceProfile:
    return parse_profile(json.dumps(profile_document(**fields)).encode(), "shop")


def clean_of(spark, rows, header=SHOP_HEADER, **fields):
    """(source_line, outcome, reasons, line_key) of each record read with a profile of these fields."""
    return [
        (row["source_line"], row["outcome"], row["reasons"], row["line_key"])
        for row in classify_records(spark, rows, header=header, profile=profile_of(**fields))
    ]


# --- reading and checking a profile -----------------------------------------------------------------


def test_every_profile_in_sources_is_valid_for_the_job_and_for_the_schema():
    for path in sorted((PROJECT / "sources").glob("*.json")):
        profile = parse_profile(path.read_bytes(), path.stem)
        assert profile.name == path.stem
        assert list(Draft202012Validator(SCHEMA).iter_errors(json.loads(path.read_bytes()))) == []


def test_format_fields_default_to_the_contract_format():
    profile = profile_of()
    assert (profile.delimiter, profile.encoding, profile.decimal_separator, profile.date_formats) == (
        ",",
        "utf-8",
        ".",
        None,
    )


@pytest.mark.parametrize(
    ("document", "problem"),
    [
        (profile_document(format={"delimiter": ":"}), "/format/delimiter"),
        (profile_document(format={"encoding": "latin-9"}), "/format/encoding"),
        (profile_document(format={"decimal_separator": "'"}), "/format/decimal_separator"),
        (profile_document(format={"date_formats": []}), "/format/date_formats"),
        (profile_document(line_key="sku"), "/line_key"),
        (profile_document(columns={"order_id": "Order"}), "required contract column(s) order_date"),
        (profile_document(columns={**REQUIRED_MAPPING, "colour": "Colour"}), '"colour" is not a contract column'),
        (profile_document(columns={**REQUIRED_MAPPING, "city": "  "}), "/columns/city"),
        (profile_document(order_level=["quantity"]), '"quantity" is not an order-level column'),
        ({"name": "Shop!", "columns": REQUIRED_MAPPING}, "/name"),
        (profile_document(extra=1), 'unknown field "extra"'),
    ],
)
def test_a_profile_the_schema_refuses_is_invalid_for_the_job_too(document, problem):
    with pytest.raises(InvalidProfileError) as raised:
        parse_profile(json.dumps(document).encode(), "shop")
    assert raised.value.reason == "invalid_profile:shop"
    assert problem in raised.value.detail
    assert list(Draft202012Validator(SCHEMA).iter_errors(document)) != []


@pytest.mark.parametrize(
    ("document", "problem"),
    [
        (profile_document(line_key="line_id"), "needs columns.line_id"),
        (profile_document(order_level=["country"]), '"country" is not mapped in columns'),
        (profile_document(format={"date_formats": ["YYYY-MM-dd"]}), "week-based"),
        (profile_document(format={"date_formats": ["yyyy-MM"]}), "does not name a day"),
        (profile_document(format={"date_formats": ["EEE yyyy-MM-dd"]}), "only formats dates"),
        ({**profile_document(), "name": "other"}, "differs from the file name shop.json"),
    ],
)
def test_a_profile_breaking_a_rule_the_schema_cannot_say_is_invalid(document, problem):
    assert list(Draft202012Validator(SCHEMA).iter_errors(document)) == []
    with pytest.raises(InvalidProfileError) as raised:
        parse_profile(json.dumps(document).encode(), "shop")
    assert problem in raised.value.detail


def test_a_profile_that_is_not_json_is_invalid():
    with pytest.raises(InvalidProfileError, match="not a JSON document"):
        parse_profile(b'{"name": "shop",', "shop")


def test_the_digest_is_the_sha256_of_the_bytes_as_read():
    assert profile_digest(b"{}") == "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"


# --- columns: the header mapping -------------------------------------------------------------------


def test_mapped_headers_match_trimmed_and_case_insensitively_and_the_others_are_ignored():
    mapping = read_header(b" order ,DATE,customer,sku,qty,PRICE,Notes\n", profile_of())
    assert mapping.positions == {
        "order_id": 0,
        "order_date": 1,
        "customer_id": 2,
        "product_id": 3,
        "quantity": 4,
        "unit_price": 5,
    }
    assert mapping.ignored_columns == ["Notes"]


def test_one_header_feeds_several_columns():
    profile = profile_of(columns={**REQUIRED_MAPPING, "customer_id": "Customer", "customer_name": "Customer"})
    mapping = read_header((SHOP_HEADER + "\n").encode(), profile)
    assert (mapping.positions["customer_id"], mapping.positions["customer_name"]) == (2, 2)
    assert mapping.ignored_columns == []


def test_a_mapped_header_the_file_lacks_names_the_first_one_in_contract_order_as_the_profile_writes_it():
    profile = profile_of(columns={**REQUIRED_MAPPING, "unit_price": "PRICEEACH", "order_date": "OrderDate"})
    with pytest.raises(FileRejectedError) as raised:
        read_header(b"Order,Customer,SKU,Qty\n", profile)
    assert raised.value.reason == "profile_column_not_found:OrderDate"


def test_a_profile_without_columns_keeps_the_contract_header_matching():
    document = {"name": "shop", "format": {"delimiter": ";"}}
    mapping = read_header(
        b"Order ID;order_date;customer_id;product_id;qty;price\n", parse_profile(json.dumps(document).encode(), "shop")
    )
    assert mapping.positions["order_id"] == 0 and mapping.positions["unit_price"] == 5


# --- format.delimiter --------------------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [";", "\t", "|"])
def test_the_header_splits_on_the_profile_delimiter_with_the_same_quoting(delimiter):
    text = delimiter.join(["a", f'"b{delimiter}c"', '"say ""hi"""', ""])
    assert split_header(text, delimiter) == ["a", f"b{delimiter}c", 'say "hi"', ""]
    assert split_header(f'a{delimiter}"b', delimiter) is None


@pytest.mark.parametrize("delimiter", [";", "\t", "|"])
def test_records_split_on_the_profile_delimiter_and_a_comma_is_then_text(spark, delimiter):
    header = SHOP_HEADER.replace(",", delimiter)
    rows = [
        delimiter.join(["A1", "2024-03-05", '"Smith, J."', "P1", "2", "1,299.00"]),
        delimiter.join(["A2", "2024-03-05", "C1", "P1", "2"]),
    ]
    records = classify_records(spark, rows, header=header, profile=profile_of(format={"delimiter": delimiter}))
    assert [(row["outcome"], row["reasons"]) for row in records] == [
        ("clean", []),
        ("rejected", ["malformed_record"]),
    ]
    assert (records[0]["customer_id"], records[0]["unit_price"]) == ("Smith, J.", Decimal("1299.0000"))


# --- format.decimal_separator ------------------------------------------------------------------------


def parse(spark, function, raw, *args):
    frame = spark.createDataFrame([(raw,)], "raw string")
    return frame.select(function(values.trim(F.col("raw")), *args).alias("value")).first()["value"]


@pytest.mark.parametrize(
    ("raw", "expected"), [("19,99", "19.99"), ("1.299,00", "1299.00"), ("$ 2,5", "2.5"), ("7", "7"), ("-5,00", "-5")]
)
def test_with_a_decimal_comma_prices_read_comma_decimals_and_dot_thousands(spark, raw, expected):
    assert parse(spark, values.parse_price, raw, ",") == Decimal(expected)


@pytest.mark.parametrize("raw", ["19.99", "1,299.00", "1.29,00", "12,34,5"])
def test_with_a_decimal_comma_a_point_decimal_is_not_a_price(spark, raw):
    assert parse(spark, values.parse_price, raw, ",") is None


@pytest.mark.parametrize(("raw", "expected"), [("3", 3), ("3,0", 3), ("3,00", 3)])
def test_with_a_decimal_comma_quantities_read_comma_zero_fractions(spark, raw, expected):
    assert parse(spark, values.parse_quantity, raw, ",") == expected


def test_with_a_decimal_comma_a_point_fraction_is_not_a_quantity(spark):
    assert parse(spark, values.parse_quantity, "3.0", ",") is None


@pytest.mark.parametrize(
    ("raw", "expected"), [("0,15", "0.15"), ("12,5%", "0.125"), ("12,5 %", "0.125"), ("5%", "0.05")]
)
def test_with_a_decimal_comma_discounts_read_comma_fractions_and_percentages(spark, raw, expected):
    assert parse(spark, values.parse_discount, raw, ",") == Decimal(expected)


def test_with_a_decimal_comma_a_point_discount_is_not_a_number(spark):
    assert parse(spark, values.parse_discount, "0.15", ",") is None


# --- format.date_formats -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("patterns", "raw", "expected"),
    [
        (("dd.MM.yyyy",), "05.03.2024", dt.date(2024, 3, 5)),
        (("M/d/yy H:mm",), "12/1/10 8:26", dt.date(2010, 12, 1)),
        (("M/d/yy",), "1/2/99", dt.date(2099, 1, 2)),
        (("yyyy-MM-dd HH:mm:ss Z",), "2026-04-05 21:06:21 +0400", dt.date(2026, 4, 5)),
        (("yyyy-MM-dd HH:mm:ss Z",), "2026-04-05 01:06:21 +0400", dt.date(2026, 4, 5)),
        (("yyyy-MM-dd'T'HH:mm:ssXXX",), "2026-04-05T23:30:00-08:00", dt.date(2026, 4, 5)),
        (("dd.MM.yyyy", "yyyy-MM-dd"), "2024-03-05", dt.date(2024, 3, 5)),
        (("d/M/yyyy", "M/d/yyyy"), "5/3/2024", dt.date(2024, 3, 5)),
    ],
)
def test_date_patterns_are_tried_in_order_and_read_the_calendar_date_written(spark, patterns, raw, expected):
    assert parse(spark, values.parse_date, raw, patterns) == expected


@pytest.mark.parametrize("raw", ["2024-03-05", "31.02.2024", "5.3.24", "05.03.2024 extra"])
def test_date_patterns_replace_the_contract_forms(spark, raw):
    assert parse(spark, values.parse_date, raw, ("dd.MM.yyyy",)) is None


# --- line_key ----------------------------------------------------------------------------------------


def test_line_key_line_id_keeps_a_product_on_two_lines_as_two_lines(spark):
    columns = {**REQUIRED_MAPPING, "line_id": "Line"}
    rows = ["A1,2024-03-05,C1,P1,1,2.00,1", "A1,2024-03-05,C1,P1,3,2.00,2"]
    assert clean_of(spark, rows, header=SHOP_HEADER + ",Line", line_key="line_id", columns=columns) == [
        (2, "clean", [], "1"),
        (3, "clean", [], "2"),
    ]


def test_line_key_product_keys_by_product_even_with_a_line_id_mapped(spark):
    columns = {**REQUIRED_MAPPING, "line_id": "Line"}
    rows = ["A1,2024-03-05,C1,P1,1,2.00,1", "A1,2024-03-05,C1,P1,3,2.00,2"]
    assert clean_of(spark, rows, header=SHOP_HEADER + ",Line", line_key="product", columns=columns) == [
        (2, "rejected", ["duplicate_order_line"], "P1"),
        (3, "clean", [], "P1"),
    ]


def test_line_key_product_occurrence_numbers_a_product_seen_again_in_its_order(spark):
    rows = [
        "A1,2024-03-05,C1,P1,1,2.00",
        "A1,2024-03-05,C1,P2,1,2.00",
        "A1,2024-03-05,C1,P1,3,2.00",
        "A2,2024-03-05,C1,P1,5,2.00",
        "A1,2024-03-05,C1,P1,4,2.00",
    ]
    assert clean_of(spark, rows, line_key="product_occurrence") == [
        (2, "clean", [], "P1"),
        (3, "clean", [], "P2"),
        (4, "clean", [], "P1#2"),
        (5, "clean", [], "P1"),
        (6, "clean", [], "P1#3"),
    ]


def test_line_key_product_occurrence_still_collapses_an_exact_repeat_and_counts_after_it(spark):
    rows = [
        "A1,2024-03-05,C1,P1,1,2.00",
        "A1,2024-03-05,C1,P1,1,2.00",
        "A1,2024-03-05,C1,P1,2,2.00",
        "A1,2024-03-05,C1,P1,x,2.00",
    ]
    assert clean_of(spark, rows, line_key="product_occurrence") == [
        (2, "duplicate_dropped", [], "P1"),
        (3, "clean", [], "P1"),
        (4, "clean", [], "P1#2"),
        (5, "rejected", ["invalid_quantity"], "P1"),
    ]


# --- order_level -------------------------------------------------------------------------------------


def test_order_level_blanks_take_the_first_value_of_their_order_and_line_values_are_never_filled(spark):
    columns = {**REQUIRED_MAPPING, "country": "Country"}
    header = SHOP_HEADER + ",Country"
    rows = [
        "A1,2024-03-05,C1,P1,1,2.00,DE",
        "A1,,,P2,,2.00,",
        "A2,,C2,P1,1,2.00,",
        "A2,2024-03-07,,P2,1,2.00,FR",
        "A1,,,P3,1,2.00,",
    ]
    records = classify_records(
        spark,
        rows,
        header=header,
        profile=profile_of(columns=columns, order_level=["order_date", "customer_id", "country"]),
    )
    assert [(row["order_date"], row["customer_id"], row["country"], row["reasons"]) for row in records] == [
        (dt.date(2024, 3, 5), "C1", "DE", []),
        (dt.date(2024, 3, 5), "C1", "DE", ["missing_required:quantity"]),
        (dt.date(2024, 3, 7), "C2", "FR", []),
        (dt.date(2024, 3, 7), "C2", "FR", []),
        (dt.date(2024, 3, 5), "C1", "DE", []),
    ]


def test_without_order_level_a_blank_stays_missing(spark):
    rows = ["A1,2024-03-05,C1,P1,1,2.00", "A1,,C1,P2,1,2.00"]
    assert [row[2] for row in clean_of(spark, rows)] == [[], ["missing_required:order_date"]]


# --- format.encoding and gzip: the run's copy as UTF-8 -----------------------------------------------


def decoded(tmp_path, content: bytes, encoding: str | None) -> tuple[bytes, bool]:
    source = tmp_path / "source"
    source.write_bytes(content)
    path, compressed = decoding.decode_input(str(source), str(tmp_path / "text"), encoding)
    return Path(path).read_bytes(), compressed


def test_windows_1252_bytes_become_their_unicode_characters(tmp_path):
    text, _ = decoded(tmp_path, b"\x80 \x84Stra\xdfe\x93 M\xfcller \x81", "windows-1252")
    assert text.decode("utf-8") == "€ „Straße“ Müller \x81"


def test_iso_8859_1_bytes_are_their_code_points(tmp_path):
    text, _ = decoded(tmp_path, b"\x80 M\xfcller", "iso-8859-1")
    assert text.decode("utf-8") == "\x80 Müller"


@pytest.mark.parametrize("bom_encoding", ["utf-16-le", "utf-16-be"])
def test_a_utf16_byte_order_mark_wins_over_the_declared_encoding(tmp_path, bom_encoding):
    bom = b"\xff\xfe" if bom_encoding.endswith("le") else b"\xfe\xff"
    text, _ = decoded(tmp_path, bom + "a,b\nMüller,€\n".encode(bom_encoding), "windows-1252")
    assert text == "a,b\nMüller,€\n".encode()


def test_a_utf8_byte_order_mark_wins_over_the_declared_encoding(tmp_path):
    content = b"\xef\xbb\xbfa\nM\xc3\xbcller\n"
    assert decoded(tmp_path, content, "windows-1252") == (content, False)


def test_utf16_is_decoded_in_chunks_without_splitting_a_character(tmp_path, monkeypatch):
    monkeypatch.setattr(decoding, "CHUNK_BYTES", 7)
    content = "id,name\n1,Zürich 😀\n" * 20
    text, _ = decoded(tmp_path, b"\xff\xfe" + content.encode("utf-16-le"), "utf-16")
    assert text.decode("utf-8") == content


def test_gzip_is_recognised_by_its_first_bytes_and_decompressed_then_decoded(tmp_path):
    text, compressed = decoded(tmp_path, gzip.compress("a;b\nMüller;1\n".encode("cp1252")), "windows-1252")
    assert (text, compressed) == ("a;b\nMüller;1\n".encode(), True)


@pytest.mark.parametrize(
    "broken", [lambda data: data[: len(data) // 2], lambda data: data[:10] + b"\x00" * 8 + data[18:]]
)
def test_a_corrupt_gzip_is_rejected_as_corrupt_gzip(tmp_path, broken):
    with pytest.raises(FileRejectedError) as raised:
        decoded(tmp_path, broken(gzip.compress(b"a,b\n1,2\n" * 100)), "utf-8")
    assert raised.value.reason == "corrupt_gzip"


def test_without_a_profile_the_file_is_read_as_it_is(tmp_path):
    content = b"\xff\xfea\x00,\x00"
    assert decoded(tmp_path, content, None) == (content, False)


# --- whole runs --------------------------------------------------------------------------------------

SHOP_FILE = "Order;Date;Customer;SKU;Qty;Price;Note\nA1;05.03.2024;Müller;P1;2;1.299,50;x\n"


def write_profile(folder: Path, document: dict, name: str = "shop") -> Path:
    path = folder / f"{name}.json"
    path.write_text(json.dumps(document))
    return path


def run_with_profile(spark, tmp_path, content: bytes, profile_uri: str, s3=None, name: str = "export.csv"):
    source = tmp_path / name
    source.write_bytes(content)
    config = JobConfig(
        input_uri=str(source),
        output_uri=str(tmp_path / "out"),
        run_id="test-run",
        run_date=RUN_DATE,
        source_version="v1",
        source_profile_uri=profile_uri,
    )
    return run_job_checked(spark, config, s3=s3), tmp_path / "out"


EU_DOCUMENT = profile_document(
    format={"delimiter": ";", "encoding": "windows-1252", "decimal_separator": ",", "date_formats": ["dd.MM.yyyy"]}
)


def test_a_gzip_windows_1252_export_is_cleaned_with_its_profile_and_the_manifest_names_it(spark, tmp_path):
    profile = write_profile(tmp_path, EU_DOCUMENT)
    manifest, output = run_with_profile(
        spark, tmp_path, gzip.compress(SHOP_FILE.encode("cp1252")), str(profile), name="export.csv.gz"
    )
    assert manifest["status"] == "succeeded"
    assert manifest["source_profile"] == {"name": "shop", "digest": profile_digest(profile.read_bytes())}
    assert manifest["ignored_columns"] == ["Note"]
    [row] = clean_rows(output)
    assert (row["customer_id"], row["order_date"], row["total_amount"]) == (
        "Müller",
        dt.date(2024, 3, 5),
        Decimal("2599.00"),
    )


def test_an_invalid_profile_rejects_the_file_with_its_problems_and_loads_nothing(spark, tmp_path):
    profile = write_profile(tmp_path, profile_document(line_key="line_id"))
    manifest, output = run_with_profile(spark, tmp_path, SHOP_FILE.encode(), str(profile))
    assert (manifest["status"], manifest["reason"]) == ("rejected_file", "invalid_profile:shop")
    assert "needs columns.line_id" in manifest["detail"]
    assert manifest["source_profile"] == {"name": "shop", "digest": profile_digest(profile.read_bytes())}
    assert not (output / "cleaned").exists() and not (output / "rejected").exists()


def test_a_missing_profile_rejects_the_file_as_profile_not_found(spark, tmp_path):
    manifest, output = run_with_profile(spark, tmp_path, SHOP_FILE.encode(), str(tmp_path / "nowhere.json"))
    assert (manifest["status"], manifest["reason"]) == ("rejected_file", "profile_not_found:nowhere")
    assert manifest["source_profile"] == {"name": "nowhere", "digest": None}
    assert not (output / "cleaned").exists()


def test_a_header_the_file_lacks_rejects_the_file_naming_it(spark, tmp_path):
    profile = write_profile(tmp_path, {**EU_DOCUMENT, "columns": {**REQUIRED_MAPPING, "city": "Ort"}})
    manifest, _ = run_with_profile(spark, tmp_path, SHOP_FILE.encode("cp1252"), str(profile))
    assert (manifest["status"], manifest["reason"]) == ("rejected_file", "profile_column_not_found:Ort")


def test_a_corrupt_gzip_rejects_the_file_as_corrupt_gzip(spark, tmp_path):
    profile = write_profile(tmp_path, EU_DOCUMENT)
    content = gzip.compress(SHOP_FILE.encode("cp1252") * 50)[:-40]
    manifest, _ = run_with_profile(spark, tmp_path, content, str(profile), name="export.csv.gz")
    assert (manifest["status"], manifest["reason"]) == ("rejected_file", "corrupt_gzip")


def test_a_gzip_file_without_a_profile_is_decompressed_and_cleaned_with_the_contract(spark, tmp_path):
    content = gzip.compress(
        b"order_id,order_date,customer_id,product_id,quantity,unit_price\nA1,2024-03-05,C1,P1,2,1.50\n"
    )
    source = tmp_path / "sales.csv.gz"
    source.write_bytes(content)
    config = JobConfig(input_uri=str(source), output_uri=str(tmp_path / "out"), run_id="test-run", run_date=RUN_DATE)
    manifest = run_job_checked(spark, config)
    assert manifest["status"] == "succeeded" and "source_profile" not in manifest
    assert [row["total_amount"] for row in clean_rows(tmp_path / "out")] == [Decimal("3.00")]


def test_a_profile_on_s3_is_read_through_the_s3_api(spark, tmp_path, monkeypatch):
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="data")
        body = json.dumps(EU_DOCUMENT).encode()
        s3.put_object(Bucket="data", Key="config/sources/shop.json", Body=body)
        manifest, _ = run_with_profile(
            spark, tmp_path, SHOP_FILE.encode("cp1252"), "s3://data/config/sources/shop.json", s3=s3
        )
        missing, _ = run_with_profile(spark, tmp_path, SHOP_FILE.encode(), "s3://data/config/sources/none.json", s3=s3)
    assert (manifest["status"], manifest["source_profile"]["digest"]) == ("succeeded", profile_digest(body))
    assert missing["reason"] == "profile_not_found:none"


def test_the_job_takes_the_profile_as_an_optional_argument():
    from clean_sales import job_config, parse_arguments

    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    base = ["--input_uri", "s3://data/raw/shop/a.csv", "--output_uri", "s3://data"]
    given = job_config(parse_arguments([*base, "--source_profile_uri", "s3://data/config/sources/shop.json"]), now)
    assert given.source_profile_uri == "s3://data/config/sources/shop.json"
    assert job_config(parse_arguments(base), now).source_profile_uri is None
