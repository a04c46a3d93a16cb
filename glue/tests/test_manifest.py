"""The run manifest and the COPY manifests from plain values (no Spark), and the schema that holds them."""

import copy
import datetime as dt
import json

import pytest

from manifests import broken_rules, schema_problems
from sales_cleaning.io import ObjectStatus
from sales_cleaning.job_config import JobConfig
from sales_cleaning.manifest import (
    FileRejectedError,
    ProcessedFile,
    build_manifest,
    reason_sort_key,
    redshift_copy_manifest,
)

CONFIG = JobConfig(
    input_uri="s3://data/raw/sales.csv",
    output_uri="s3://data",
    run_id="r1",
    run_date=dt.date(2026, 1, 1),
    source_version="v7",
)
STARTED = dt.datetime(2026, 1, 1, 10, 0, 0, tzinfo=dt.UTC)
ENDED = dt.datetime(2026, 1, 1, 10, 1, 30, 250000, tzinfo=dt.UTC)
SOURCE = ObjectStatus(
    uri=CONFIG.input_uri,
    size=1234,
    modified_at=dt.datetime(2025, 12, 31, 23, 0, tzinfo=dt.timezone(dt.timedelta(hours=-2))),
)
CLEAN_FILE = ObjectStatus(
    uri="s3://data/cleaned/sales/run_id=r1/order_month=2024-01/part-0.parquet", size=900, modified_at=ENDED
)
REJECTED_FILE = ObjectStatus(uri="s3://data/rejected/run_id=r1/part-0.parquet", size=300, modified_at=ENDED)
COUNTS = {"rows_read": 5, "rows_clean": 2, "rows_rejected": 2, "duplicates_dropped": 1, "blank_lines": 0}
QUALITY = {
    "invalid_emails": 0,
    "unknown_countries": 1,
    "unknown_payment_methods": 0,
    "unknown_sales_channels": 0,
    "truncated_values": 0,
    "records_with_invalid_utf8": 0,
    "raw_records_truncated": 0,
}


def processed(**changes) -> ProcessedFile:
    values = {
        "counts": COUNTS,
        "reasons": {"malformed_record": 1, "invalid_date": 1},
        "ignored_columns": ["Region"],
        "has_line_id": False,
        "quality": QUALITY,
        "clean_files": [CLEAN_FILE],
        "rejected_files": [REJECTED_FILE],
        "copy_manifests": {
            "clean": "s3://data/manifests/r1.clean.copy.json",
            "rejected": "s3://data/manifests/r1.rejected.copy.json",
        },
        "sample_rejections": [{"source_line": 6, "reasons": ["invalid_date"], "raw_record": "O2,bad,C1,P1,1,2.00"}],
    }
    return ProcessedFile(**{**values, **changes})


def manifest_of(outcome, source=SOURCE) -> dict:
    return build_manifest(config=CONFIG, source=source, started_at=STARTED, ended_at=ENDED, outcome=outcome)


def test_a_processed_file_gives_a_succeeded_manifest_with_its_counts_outputs_and_times_in_utc():
    manifest = manifest_of(processed())
    assert schema_problems(manifest) == []
    assert list(manifest) == [
        "run_id",
        "source",
        "started_at",
        "run_date",
        "status",
        "counts",
        "reasons",
        "ignored_columns",
        "has_line_id",
        "quality",
        "outputs",
        "copy_manifests",
        "checks",
        "sample_rejections",
        "ended_at",
    ]
    assert manifest["source"] == {
        "uri": "s3://data/raw/sales.csv",
        "version": "v7",
        "size": 1234,
        "modified_at": "2026-01-01T01:00:00Z",
    }
    assert (manifest["started_at"], manifest["ended_at"], manifest["run_date"]) == (
        "2026-01-01T10:00:00Z",
        "2026-01-01T10:01:30.250000Z",
        "2026-01-01",
    )
    assert manifest["outputs"] == {
        "clean": [{"uri": CLEAN_FILE.uri, "size": 900}],
        "rejected": [{"uri": REJECTED_FILE.uri, "size": 300}],
    }


def test_the_reason_histogram_is_listed_in_contract_order():
    reasons = {
        "duplicate_order_line": 1,
        "invalid_date": 2,
        "missing_required:unit_price": 1,
        "missing_required:order_id": 3,
        "invalid_id:product_id": 1,
    }
    assert list(manifest_of(processed(reasons=reasons))["reasons"]) == [
        "missing_required:order_id",
        "missing_required:unit_price",
        "invalid_id:product_id",
        "invalid_date",
        "duplicate_order_line",
    ]


def test_reasons_sort_by_their_name_in_contract_order_then_by_their_column():
    assert sorted(
        ["negative_price", "missing_required:quantity", "invalid_id:order_id", "missing_required:customer_id"],
        key=reason_sort_key,
    ) == [
        "missing_required:customer_id",
        "missing_required:quantity",
        "invalid_id:order_id",
        "negative_price",
    ]


@pytest.mark.parametrize(
    ("counts", "passed"),
    [
        (COUNTS, True),
        ({**COUNTS, "rows_read": 6}, False),
    ],
)
def test_the_reconciliation_check_passes_only_when_every_row_read_is_clean_rejected_or_a_dropped_duplicate(
    counts, passed
):
    [check] = manifest_of(processed(counts=counts))["checks"]
    assert check == {
        "name": "reconciliation",
        "passed": passed,
        "detail": f"rows_read {counts['rows_read']} = rows_clean 2 + rows_rejected 2 + duplicates_dropped 1",
    }


def test_a_rejected_file_gives_its_reason_no_counts_and_no_outputs():
    manifest = manifest_of(FileRejectedError("missing_required_columns:product_id,unit_price"))
    assert schema_problems(manifest) == []
    assert {key: manifest[key] for key in ["status", "reason", "counts", "outputs"]} == {
        "status": "rejected_file",
        "reason": "missing_required_columns:product_id,unit_price",
        "counts": None,
        "outputs": {"clean": [], "rejected": []},
    }


def test_a_failure_gives_the_error_type_and_message_cut_to_2000_characters():
    manifest = manifest_of(OSError("disk full " + "x" * 3000))
    assert schema_problems(manifest) == []
    assert (manifest["status"], manifest["error"]) == ("failed", ("OSError: disk full " + "x" * 3000)[:2000])


def test_a_failure_before_the_source_was_looked_at_leaves_its_size_and_time_null():
    manifest = manifest_of(FileNotFoundError("s3://data/raw/sales.csv"), source=None)
    assert schema_problems(manifest) == []
    assert manifest["source"] == {"uri": "s3://data/raw/sales.csv", "version": "v7", "size": None, "modified_at": None}


def broken(manifest: dict, path: str, value) -> dict:
    """The manifest with the value at a dotted path replaced, or removed when value is ...."""
    changed = copy.deepcopy(manifest)
    *parents, key = path.split(".")
    node = changed
    for name in parents:
        node = node[name]
    if value is ...:
        del node[key]
    else:
        node[key] = value
    return changed


SUCCEEDED = manifest_of(processed())
REJECTED = manifest_of(FileRejectedError("no_data_rows"))
FAILED = manifest_of(RuntimeError("boom"))


@pytest.mark.parametrize(
    ("manifest", "rule"),
    [
        (broken(SUCCEEDED, "counts", ...), ("$", "required")),
        (broken(SUCCEEDED, "counts.rows_clean", -1), ("$.counts.rows_clean", "minimum")),
        (broken(SUCCEEDED, "status", "done"), ("$.status", "enum")),
        (broken(SUCCEEDED, "outputs.clean", [{"uri": "s3://data/x.parquet"}]), ("$.outputs.clean[0]", "required")),
        (broken(SUCCEEDED, "copy_manifests", ...), ("$", "required")),
        (broken(SUCCEEDED, "started_at", "2026-01-01 10:00:00"), ("$.started_at", "pattern")),
        (broken(SUCCEEDED, "surprise", 1), ("$", "unevaluatedProperties")),
        (
            broken(REJECTED, "outputs.clean", [{"uri": "s3://data/x.parquet", "size": 1}]),
            ("$.outputs.clean", "maxItems"),
        ),
        (broken(REJECTED, "reason", "too_big"), ("$.reason", "pattern")),
        (broken(FAILED, "error", ...), ("$", "required")),
        (broken(FAILED, "run_id", ""), ("$.run_id", "minLength")),
    ],
    ids=[
        "succeeded-without-counts",
        "negative-count",
        "unknown-status",
        "output-without-size",
        "succeeded-without-copy-manifests",
        "time-without-zone",
        "unknown-key",
        "rejected-file-with-outputs",
        "unknown-file-reason",
        "failed-without-error",
        "empty-run-id",
    ],
)
def test_the_schema_rejects_a_manifest_that_breaks_the_contract_and_says_where(manifest, rule):
    assert rule in broken_rules(manifest)


def test_a_copy_manifest_lists_every_file_as_mandatory_with_its_content_length():
    assert json.loads(redshift_copy_manifest([CLEAN_FILE, REJECTED_FILE])) == {
        "entries": [
            {"url": CLEAN_FILE.uri, "mandatory": True, "meta": {"content_length": 900}},
            {"url": REJECTED_FILE.uri, "mandatory": True, "meta": {"content_length": 300}},
        ]
    }
