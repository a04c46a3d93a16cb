"""The job's output on a generated file equals the generator's ground truth, exactly."""
import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from outputs import clean_rows, rejected_rows
from sales_cleaning.job_config import JobConfig
from sales_cleaning.pipeline import run_job

PROJECT = Path(__file__).resolve().parents[2]
CLEAN_COLUMNS = [
    "order_id", "line_id", "line_key", "order_date", "customer_id", "customer_name", "customer_email",
    "product_id", "product_name", "category", "quantity", "unit_price", "discount", "total_amount",
    "country", "city", "payment_method", "sales_channel", "source_line",
]


def generate(folder: Path, rows: int, seed: int, line_id: str | None) -> dict:
    if shutil.which("npx") is None:
        pytest.fail("Node.js (npx) is required to generate test data")
    csv = folder / "sales_data.csv"
    line_id_option = ["--line-id", line_id] if line_id else []
    subprocess.run(
        ["npx", "tsx", "scripts/generate.ts", "--rows", str(rows), "--seed", str(seed), "--out", str(csv), *line_id_option],
        cwd=PROJECT, check=True, capture_output=True,
    )
    return json.loads((folder / "sales_data.truth.json").read_text())


def as_truth(row: dict) -> dict:
    values = {column: row[column] for column in CLEAN_COLUMNS}
    values["order_date"] = row["order_date"].isoformat()
    for column, places in [("unit_price", 4), ("discount", 4), ("total_amount", 2)]:
        values[column] = f"{row[column]:.{places}f}"
    return values


# Seed 7 as the generator chooses it (no line id column), seed 11 with line ids.
@pytest.mark.parametrize(("seed", "line_id"), [(7, None), (11, "yes")])
def test_job_output_equals_ground_truth(spark, tmp_path, seed, line_id):
    truth = generate(tmp_path, rows=20_000, seed=seed, line_id=line_id)
    run_date = dt.date.fromisoformat(truth["date_range"]["to"]) + dt.timedelta(days=1)
    config = JobConfig(input_uri=str(tmp_path / "sales_data.csv"), output_uri=str(tmp_path / "out"), run_id="truth", run_date=run_date)
    manifest = run_job(spark, config, log=lambda _message: None)

    assert manifest["status"] == "succeeded"
    assert manifest["counts"] == truth["counts"]
    assert manifest["reasons"] == truth["reasons"]
    assert manifest["ignored_columns"] == truth["ignored_columns"]
    assert {name: manifest["quality"][name] for name in truth["quality"]} == truth["quality"]

    expected_clean = [json.loads(line) for line in (tmp_path / truth["clean_rows_file"]).read_text().splitlines()]
    actual_clean = [as_truth(row) for row in clean_rows(tmp_path / "out", "truth")]
    assert len(actual_clean) == len(expected_clean)
    mismatches = [(actual, expected) for actual, expected in zip(actual_clean, expected_clean) if actual != expected]
    assert mismatches[:3] == []

    expected_rejected = [json.loads(line) for line in (tmp_path / truth["rejected_rows_file"]).read_text().splitlines()]
    actual_rejected = [
        {"source_line": row["source_line"], "reasons": row["reasons"].split(";"), "raw_record": row["raw_record"]}
        for row in rejected_rows(tmp_path / "out", "truth")
    ]
    assert len(actual_rejected) == len(expected_rejected)
    mismatches = [(actual, expected) for actual, expected in zip(actual_rejected, expected_rejected) if actual != expected]
    assert mismatches[:3] == []
