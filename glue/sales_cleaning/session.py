"""Spark settings the job relies on, applied the same way on Glue and locally."""

from __future__ import annotations

from pyspark.sql import SparkSession

JOB_SETTINGS = {
    # Exact, documented date parsing: no legacy fallback, no ANSI errors on unparsable input.
    "spark.sql.legacy.timeParserPolicy": "CORRECTED",
    "spark.sql.ansi.enabled": "false",
    "spark.sql.session.timeZone": "UTC",
    # Redshift COPY reads Parquet timestamps as INT64 micros.
    "spark.sql.parquet.outputTimestampType": "TIMESTAMP_MICROS",
    # Decimals as FIXED_LEN_BYTE_ARRAY (the Hive/Impala form that Redshift COPY, through Spectrum, reads)
    # instead of Spark's INT32/INT64 for precisions up to 18. The outputs have no arrays or maps, the
    # other thing this setting changes.
    "spark.sql.parquet.writeLegacyFormat": "true",
}


def apply_job_settings(spark: SparkSession, shuffle_partitions: int | None = None) -> SparkSession:
    """Applies JOB_SETTINGS. Shuffle width defaults to a few tasks per core rather than Spark's
    fixed 200, which on a small cluster or a laptop costs more in task overhead than the data."""
    for key, value in JOB_SETTINGS.items():
        spark.conf.set(key, value)
    width = shuffle_partitions or max(4, spark.sparkContext.defaultParallelism * 4)
    spark.conf.set("spark.sql.shuffle.partitions", str(width))
    return spark
