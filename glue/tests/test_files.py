"""Whole files through the job: bad files end as rejected_file, odd but valid files load, outputs and manifest."""

import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from conftest import RUN_DATE
from manifests import run_job_checked
from outputs import clean_rows, rejected_rows
from sales_cleaning.contract import CLEAN_FILE_COLUMNS, REJECTED_FILE_COLUMNS
from sales_cleaning.job_config import JobConfig
from sales_cleaning.source import InputNotFoundError

HEADER = "order_id,order_date,customer_id,product_id,quantity,unit_price"


def test_an_empty_file_is_rejected_whole(run_csv):
    manifest, _ = run_csv("empty.csv")
    assert (manifest["status"], manifest["reason"], manifest["counts"]) == ("rejected_file", "empty_file", None)


def test_a_header_only_file_is_rejected_whole(run_csv):
    manifest, _ = run_csv("header_only.csv")
    assert (manifest["status"], manifest["reason"]) == ("rejected_file", "no_data_rows")


def test_a_file_missing_a_required_column_names_the_missing_ones(run_csv):
    manifest, output = run_csv("missing_required_column.csv")
    assert (manifest["status"], manifest["reason"]) == (
        "rejected_file",
        "missing_required_columns:product_id,unit_price",
    )
    assert clean_rows(output) == []


def test_a_binary_file_named_csv_is_not_text(run_csv):
    manifest, _ = run_csv("binary.csv")
    assert (manifest["status"], manifest["reason"]) == ("rejected_file", "not_text")


def test_a_missing_input_file_fails_the_run_with_a_one_line_cause_and_a_manifest(spark, tmp_path):
    uri = str(tmp_path / "absent.csv")
    config = JobConfig(input_uri=uri, output_uri=str(tmp_path / "out"), run_id="r1", run_date=RUN_DATE)
    with pytest.raises(InputNotFoundError, match=f"^the input {uri} does not exist: "):
        run_job_checked(spark, config)
    manifest = json.loads((tmp_path / "out" / "manifests" / "r1.json").read_text())
    assert manifest["status"] == "failed"
    assert (
        manifest["error"].startswith(f"InputNotFoundError: the input {uri} does not exist")
        and "\n" not in manifest["error"]
    )


def test_bom_crlf_and_quoted_line_breaks_keep_exact_line_numbers_and_values(run_csv):
    manifest, output = run_csv("bom_crlf_quoted_newlines.csv")
    rows = clean_rows(output)
    assert manifest["counts"] == {
        "rows_read": 3,
        "rows_clean": 3,
        "rows_rejected": 0,
        "duplicates_dropped": 0,
        "blank_lines": 0,
    }
    assert [(row["order_id"], row["source_line"], row["product_name"]) for row in rows] == [
        ("O1", 2, "Big Box"),
        ("O2", 4, "Lamp"),
        ("O3", 5, 'Three lines, "quoted"'),
    ]


def test_invalid_utf8_bytes_are_replaced_and_counted_and_the_row_still_loads(run_csv):
    manifest, output = run_csv("invalid_utf8.csv")
    assert manifest["quality"]["records_with_invalid_utf8"] == 1
    assert [row["city"] for row in clean_rows(output)] == ["Z\ufffdrich", "Bern"]


def test_an_invalid_byte_just_before_a_crlf_is_replaced_and_counted_not_cut(run_csv):
    manifest, output = run_csv(
        HEADER.encode() + b"\r\nO1,2024-01-01,C1,P1,1,2.00\xc3\r\nO2,2024-01-01,C1,P2,1,2.00\r\n"
    )
    assert manifest["quality"]["records_with_invalid_utf8"] == 1
    assert [(row["source_line"], row["reasons"], row["raw_record"]) for row in rejected_rows(output)] == [
        (2, "invalid_price", "O1,2024-01-01,C1,P1,1,2.00\ufffd")
    ]


def test_extra_columns_are_ignored_and_reported_as_written(run_csv):
    manifest, output = run_csv("extra_columns.csv")
    assert manifest["ignored_columns"] == ["Region", "Notes", "Region"]
    assert clean_rows(output)[0]["order_id"] == "O1"


def test_blank_lines_are_counted_and_are_not_records(run_csv):
    manifest, output = run_csv(HEADER + "\n\nO1,2024-01-01,C1,P1,1,2.00\n   \n")
    assert manifest["counts"] == {
        "rows_read": 1,
        "rows_clean": 1,
        "rows_rejected": 0,
        "duplicates_dropped": 0,
        "blank_lines": 2,
    }
    assert clean_rows(output)[0]["source_line"] == 3


def test_a_stray_quote_near_the_top_of_a_100k_row_file_costs_one_row(run_csv):
    rows = [f"O{number},2024-01-01,C1,P1,1,2.00,Lamp" for number in range(100_000)]
    rows[2] = 'O2,2024-01-01,C1,P1,1,2.00,Monitor 27"'
    manifest, output = run_csv("\n".join([HEADER + ",product_name", *rows]) + "\n")
    assert manifest["counts"] == {
        "rows_read": 100_000,
        "rows_clean": 99_999,
        "rows_rejected": 1,
        "duplicates_dropped": 0,
        "blank_lines": 0,
    }
    assert [(row["source_line"], row["reasons"]) for row in rejected_rows(output)] == [(4, "malformed_record")]


def test_a_nul_past_the_first_64_kib_rejects_its_row_and_the_file_still_loads(run_csv):
    long_name = "x" * 70_000
    rows = [
        f"O1,2024-01-01,C1,P1,1,2.00,{long_name}",
        "O2,2024-01-01,C1,P2,1,2.00,Lamp\x00",
        "O3,2024-01-01,C1,P3,1,2.00,",
    ]
    manifest, output = run_csv("\n".join([HEADER + ",product_name", *rows]) + "\n")
    assert (manifest["status"], manifest["counts"]["rows_clean"], manifest["reasons"]) == (
        "succeeded",
        2,
        {"invalid_characters": 1},
    )
    assert [(row["source_line"], row["reasons"], row["raw_record"]) for row in rejected_rows(output)] == [
        (3, "invalid_characters", "O2,2024-01-01,C1,P2,1,2.00,Lamp\ufffd")
    ]


def test_a_raw_record_longer_than_65535_bytes_is_cut_at_a_character_boundary_and_counted(run_csv):
    record = 'O1,2024-01-01,C1,P1,1,2.00,Monitor 27",' + "é" * 40_000
    manifest, output = run_csv(f"{HEADER},product_name,notes\n{record}\nO2,2024-01-01,C1,P2,1,2.00,Lamp,\n")
    [rejected] = rejected_rows(output)
    assert rejected["reasons"] == "malformed_record"
    assert 65_535 - 1 <= len(rejected["raw_record"].encode("utf-8")) <= 65_535
    assert record.startswith(rejected["raw_record"])
    assert manifest["quality"]["raw_records_truncated"] == 1


def test_rejected_rows_keep_their_raw_record_and_all_reasons(run_csv):
    manifest, output = run_csv(HEADER + ',discount\n,1999-01-01,C1,P1,-2,"$-3.00",150%\nO2,2024-01-01,C1,P1,1\n')
    assert [(row["source_line"], row["reasons"], row["raw_record"]) for row in rejected_rows(output)] == [
        (
            2,
            "missing_required:order_id;date_out_of_range;non_positive_quantity;negative_price;invalid_discount",
            ',1999-01-01,C1,P1,-2,"$-3.00",150%',
        ),
        (3, "malformed_record", "O2,2024-01-01,C1,P1,1"),
    ]
    assert manifest["reasons"] == {
        "missing_required:order_id": 1,
        "date_out_of_range": 1,
        "non_positive_quantity": 1,
        "negative_price": 1,
        "invalid_discount": 1,
        "malformed_record": 1,
    }
    assert manifest["sample_rejections"][1] == {
        "source_line": 3,
        "reasons": ["malformed_record"],
        "raw_record": "O2,2024-01-01,C1,P1,1",
    }


def test_counts_reconcile_and_duplicates_are_counted(run_csv):
    records = [
        "O1,2024-01-01,C1,P1,1,$2.00",
        "O1,01/01/2024,C1,P1,1,2.00",
        "O1,2024-01-01,C1,P2,1,5.00",
        "O1,2024-01-01,C1,P2,3,5.00",
        "O2,bad,C1,P1,1,2.00",
    ]
    content = "\n".join([HEADER, *records]) + "\n"
    manifest, _ = run_csv(content)
    assert manifest["counts"] == {
        "rows_read": 5,
        "rows_clean": 2,
        "rows_rejected": 2,
        "duplicates_dropped": 1,
        "blank_lines": 0,
    }
    assert manifest["checks"] == [
        {
            "name": "reconciliation",
            "passed": True,
            "detail": "rows_read 5 = rows_clean 2 + rows_rejected 2 + duplicates_dropped 1",
        }
    ]


def test_outputs_are_listed_with_sizes_and_in_redshift_copy_manifests(run_csv):
    manifest, output = run_csv(
        HEADER + "\nO1,2024-01-01,C1,P1,1,2.00\nO2,2024-02-01,C1,P1,1,2.00\nO3,bad,C1,P1,1,2.00\n"
    )
    copy_manifest = json.loads((output / "manifests" / "test-run.clean.copy.json").read_text())
    assert [entry["url"] for entry in copy_manifest["entries"]] == [
        item["uri"] for item in manifest["outputs"]["clean"]
    ]
    assert [entry["meta"]["content_length"] for entry in copy_manifest["entries"]] == [
        item["size"] for item in manifest["outputs"]["clean"]
    ]
    assert all(entry["mandatory"] for entry in copy_manifest["entries"])
    assert {uri.split("/")[-2] for uri in (item["uri"] for item in manifest["outputs"]["clean"])} == {
        "order_month=2024-01",
        "order_month=2024-02",
    }
    rejected_copy = json.loads((output / "manifests" / "test-run.rejected.copy.json").read_text())
    assert len(rejected_copy["entries"]) == len(manifest["outputs"]["rejected"]) == 1


def test_clean_rows_carry_rounded_decimals_and_the_lineage_of_the_run(run_csv):
    _, output = run_csv(HEADER + ",discount\nO1,2024-01-31,C1,P1,3,19.99,15%\n")
    row = clean_rows(output)[0]
    assert (str(row["unit_price"]), str(row["discount"]), str(row["total_amount"])) == ("19.9900", "0.1500", "50.97")
    assert (row["run_id"], row["source_version"], row["source_line"], row["order_month"]) == (
        "test-run",
        "v1",
        2,
        "2024-01",
    )
    assert row["source_uri"].endswith("sales_data.csv") and row["source_modified_at"] is not None


def test_a_real_world_export_keeps_every_line_of_a_long_order(run_csv):
    manifest, output = run_csv("real_world_export.csv")
    rows = clean_rows(output)
    order = [row for row in rows if row["order_id"] == "CA-2024-152156"]
    assert manifest["counts"]["rows_clean"] == 15
    assert [row["line_id"] for row in order] == [str(number) for number in range(1, 15)]
    assert [row["source_line"] for row in order if row["product_id"] == "FUR-BO-10001798"] == [4, 10]
    assert {row["country"] for row in rows} == {"US"}
    assert {"Ship Date", "Sub-Category", "Sales", "Profit"} <= set(manifest["ignored_columns"])


ARROW_TYPES = {
    "varchar": pa.string(),
    "char": pa.string(),
    "integer": pa.int32(),
    "bigint": pa.int64(),
    "date": pa.date32(),
    "timestamp": pa.timestamp("us", tz="UTC"),
}


def arrow_type(column):
    return pa.decimal128(column.precision, column.scale) if column.type == "decimal" else ARROW_TYPES[column.type]


def test_clean_and_rejected_parquet_files_have_the_contract_columns_in_order_with_their_types(run_csv):
    # COPY maps Parquet columns by position, so the order is part of the contract.
    manifest, _ = run_csv(HEADER + "\nO1,2024-01-31,C1,P1,3,19.99\nO2,bad,C1,P1,1,2.00\n")
    [clean_file] = [item["uri"].removeprefix("file:") for item in manifest["outputs"]["clean"]]
    [rejected_file] = [item["uri"].removeprefix("file:") for item in manifest["outputs"]["rejected"]]
    clean_schema, rejected_schema = pq.read_schema(clean_file), pq.read_schema(rejected_file)
    assert list(zip(clean_schema.names, clean_schema.types, strict=True)) == [
        (column.name, arrow_type(column)) for column in CLEAN_FILE_COLUMNS
    ]
    assert list(zip(rejected_schema.names, rejected_schema.types, strict=True)) == [
        (column.name, arrow_type(column)) for column in REJECTED_FILE_COLUMNS
    ]
