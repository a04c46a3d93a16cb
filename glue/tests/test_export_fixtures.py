"""Every export fixture (test/fixtures/exports/NAME.csv or .csv.gz), cleaned with its profile
sources/NAME.json, gives exactly its hand-computed truth (docs/ground-truth.md, Export fixtures)."""

import datetime as dt
import json
from pathlib import Path

import pytest

from manifests import run_job_checked
from outputs import clean_rows, order_totals, rejected_rows
from sales_cleaning.job_config import JobConfig
from sales_cleaning.profile import profile_digest

PROJECT = Path(__file__).resolve().parents[2]
EXPORTS = PROJECT / "test" / "fixtures" / "exports"
TRUTHS = sorted(EXPORTS.glob("*.truth.json"))
# On or after every truth's date_range.to, as the truths ask. Not each truth's own `to` + 1 day: a date_range
# spans the clean rows only, and uk-online-retail rejects a row dated after it for other reasons alone.
RUN_DATE = max(dt.date.fromisoformat(json.loads(path.read_text())["date_range"]["to"]) for path in TRUTHS)


def export_file(name: str) -> Path:
    return next(path for path in [EXPORTS / f"{name}.csv", EXPORTS / f"{name}.csv.gz"] if path.exists())


@pytest.fixture(scope="module", params=TRUTHS, ids=[path.name.removesuffix(".truth.json") for path in TRUTHS])
def export_run(request, spark, tmp_path_factory):
    """(truth, expected rejected rows, manifest, output folder) of the job on one export with its profile."""
    truth = json.loads(request.param.read_text())
    name = truth["source"]
    output = tmp_path_factory.mktemp(name) / "out"
    config = JobConfig(
        input_uri=str(export_file(name)),
        output_uri=str(output),
        run_id="export",
        run_date=RUN_DATE,
        source_profile_uri=str(PROJECT / truth["profile"]),
    )
    expected_rejected = [json.loads(line) for line in (EXPORTS / truth["rejected_rows_file"]).read_text().splitlines()]
    return truth, expected_rejected, run_job_checked(spark, config), output


def test_there_is_one_truth_for_each_profile():
    assert sorted(path.name.removesuffix(".truth.json") for path in TRUTHS) == sorted(
        path.stem for path in (PROJECT / "sources").glob("*.json")
    )


def test_the_manifest_has_the_truth_counts_reasons_ignored_columns_and_the_profile(export_run):
    truth, _, manifest, _ = export_run
    profile = PROJECT / truth["profile"]
    assert manifest["status"] == "succeeded", manifest.get("reason")
    assert manifest["counts"] == truth["counts"]
    assert manifest["reasons"] == truth["reasons"]
    assert manifest["ignored_columns"] == truth["ignored_columns"]
    assert manifest["source_profile"] == {"name": truth["source"], "digest": profile_digest(profile.read_bytes())}


def test_the_clean_rows_add_up_to_the_truth_aggregates_to_the_cent(export_run):
    truth, _, _, output = export_run
    assert order_totals(clean_rows(output, "export")) == truth["aggregates"]


def test_the_rejected_rows_equal_the_truth_rejections(export_run):
    _, expected, _, output = export_run
    actual = [
        {"source_line": row["source_line"], "reasons": row["reasons"].split(";"), "raw_record": row["raw_record"]}
        for row in rejected_rows(output, "export")
    ]
    assert actual == expected
