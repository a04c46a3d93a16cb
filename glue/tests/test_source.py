"""The input a run cleans: exactly the object version it was started for, and the key read as itself,
never as a path pattern. S3 is moto's, in process."""

import datetime as dt
import json

import boto3
import pytest
from moto import mock_aws

from conftest import RUN_DATE
from manifests import run_job_checked
from outputs import clean_rows
from sales_cleaning.job_config import JobConfig
from sales_cleaning.source import SourceUnavailableError

HEADER = "order_id,order_date,customer_id,product_id,quantity,unit_price"
BUCKET = "data"


def sales_file(*order_ids: str) -> bytes:
    return "\n".join([HEADER, *[f"{order_id},2024-01-01,C1,P1,1,2.00" for order_id in order_ids]]).encode() + b"\n"


@pytest.fixture
def s3(monkeypatch):
    # The emulator's endpoint, when the shell has one, must not take moto's place.
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    with mock_aws():
        client = boto3.client("s3", region_name="us-east-1")
        client.create_bucket(Bucket=BUCKET)
        yield client


def run_on_s3(spark, tmp_path, s3, key: str, version: str | None, run_id: str):
    config = JobConfig(
        input_uri=f"s3://{BUCKET}/{key}",
        output_uri=str(tmp_path / "out"),
        run_id=run_id,
        run_date=RUN_DATE,
        source_version=version,
    )
    return run_job_checked(spark, config, s3=s3), tmp_path / "out"


def test_two_versions_uploaded_back_to_back_are_each_cleaned_by_their_own_run(spark, tmp_path, s3):
    s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})
    first = s3.put_object(Bucket=BUCKET, Key="raw/x.csv", Body=sales_file("A1", "A2"))["VersionId"]
    second = s3.put_object(Bucket=BUCKET, Key="raw/x.csv", Body=sales_file("B1"))["VersionId"]

    for version, run_id, expected in [(first, "run-a", ["A1", "A2"]), (second, "run-b", ["B1"])]:
        manifest, output = run_on_s3(spark, tmp_path, s3, "raw/x.csv", version, run_id)
        rows = clean_rows(output, run_id)
        assert [row["order_id"] for row in rows] == expected
        described = s3.head_object(Bucket=BUCKET, Key="raw/x.csv", VersionId=version)
        assert {(row["source_uri"], row["source_version"], row["source_modified_at"]) for row in rows} == {
            (f"s3://{BUCKET}/raw/x.csv", version, described["LastModified"].astimezone(dt.UTC))
        }
        assert (manifest["source"]["uri"], manifest["source"]["version"], manifest["source"]["size"]) == (
            f"s3://{BUCKET}/raw/x.csv",
            version,
            described["ContentLength"],
        )
    # The run's private copy is gone once the run ends.
    assert not (tmp_path / "out" / "tmp" / "run-a").exists()


def test_on_an_unversioned_bucket_a_run_whose_etag_was_overwritten_fails_and_says_why(spark, tmp_path, s3):
    first = s3.put_object(Bucket=BUCKET, Key="raw/x.csv", Body=sales_file("A1"))["ETag"].strip('"')
    second = s3.put_object(Bucket=BUCKET, Key="raw/x.csv", Body=sales_file("B1"))["ETag"].strip('"')

    with pytest.raises(SourceUnavailableError, match=rf"s3://{BUCKET}/raw/x.csv no longer holds .*ETag {first}"):
        run_on_s3(spark, tmp_path, s3, "raw/x.csv", first, "run-a")
    failed = json.loads((tmp_path / "out" / "manifests" / "run-a.json").read_text())
    assert failed["status"] == "failed" and "no longer holds the upload" in failed["error"]
    assert clean_rows(tmp_path / "out", "run-a") == []

    manifest, output = run_on_s3(spark, tmp_path, s3, "raw/x.csv", second, "run-b")
    assert [row["order_id"] for row in clean_rows(output, "run-b")] == ["B1"]


def test_a_deleted_version_fails_the_run_naming_the_version_and_the_uri(spark, tmp_path, s3):
    s3.put_bucket_versioning(Bucket=BUCKET, VersioningConfiguration={"Status": "Enabled"})
    version = s3.put_object(Bucket=BUCKET, Key="raw/x.csv", Body=sales_file("A1"))["VersionId"]
    s3.delete_object(Bucket=BUCKET, Key="raw/x.csv", VersionId=version)
    with pytest.raises(SourceUnavailableError, match=rf"version {version} of s3://{BUCKET}/raw/x.csv does not exist"):
        run_on_s3(spark, tmp_path, s3, "raw/x.csv", version, "run-a")


GLOB_NEIGHBOURS = {"raw/a.csv": ["A1"], "raw/b.csv": ["B1"], "raw/c.csv": ["C1"], "raw/x.csv": ["X1"]}
GLOB_KEYS = {"raw/*.csv": ["STAR1"], "raw/[ab].csv": ["CLASS1"], "raw/{a,b}.csv": ["BRACE1"], "raw/?.csv": ["ANY1"]}


@pytest.mark.parametrize("key", list(GLOB_KEYS))
def test_a_key_with_glob_characters_is_read_as_itself_on_s3(spark, tmp_path, s3, key):
    for name, orders in {**GLOB_NEIGHBOURS, **GLOB_KEYS}.items():
        s3.put_object(Bucket=BUCKET, Key=name, Body=sales_file(*orders))
    _, output = run_on_s3(spark, tmp_path, s3, key, None, "run-glob")
    assert [row["order_id"] for row in clean_rows(output, "run-glob")] == GLOB_KEYS[key]


@pytest.mark.parametrize("name", ["*.csv", "[ab].csv"])
def test_a_local_file_named_like_a_glob_is_read_as_itself(spark, tmp_path, name):
    raw = tmp_path / "raw"
    raw.mkdir()
    for neighbour, orders in {"a.csv": ["A1"], "b.csv": ["B1"], "*.csv": ["STAR1"], "[ab].csv": ["CLASS1"]}.items():
        (raw / neighbour).write_bytes(sales_file(*orders))
    config = JobConfig(
        input_uri=str(raw / name), output_uri=str(tmp_path / "out"), run_id="run-glob", run_date=RUN_DATE
    )
    manifest = run_job_checked(spark, config)
    expected = {"*.csv": ["STAR1"], "[ab].csv": ["CLASS1"]}[name]
    assert [row["order_id"] for row in clean_rows(tmp_path / "out", "run-glob")] == expected
    assert manifest["counts"]["rows_read"] == 1
