"""Lineage columns on every row: source object, its version and modified time, line, run."""

import datetime as dt

from pyspark.sql import functions as F

from sales_cleaning.lineage import Lineage, with_lineage


def test_lineage_columns_carry_the_source_and_the_run(spark):
    rows = spark.createDataFrame([(7,)], "source_line int")
    modified = dt.datetime(2025, 6, 1, 12, 30, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    lineage = Lineage(
        source_uri="s3://bucket/raw/sales.csv", source_version="v3", source_modified_at=modified, run_id="r1"
    )
    # Formatted by Spark in the session time zone (UTC): collect() would convert to the local zone.
    row = (
        with_lineage(rows, lineage)
        .withColumn("source_modified_at", F.date_format("source_modified_at", "yyyy-MM-dd HH:mm:ss"))
        .first()
    )
    assert row.asDict() == {
        "source_line": 7,
        "source_uri": "s3://bucket/raw/sales.csv",
        "source_version": "v3",
        "source_modified_at": "2025-06-01 10:30:00",
        "run_id": "r1",
    }


def test_an_unknown_source_version_is_null(spark):
    lineage = Lineage(
        source_uri="f.csv",
        source_version=None,
        source_modified_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
        run_id="r1",
    )
    assert with_lineage(spark.createDataFrame([(2,)], "source_line int"), lineage).first()["source_version"] is None
