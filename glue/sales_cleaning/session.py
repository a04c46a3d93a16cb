"""Spark settings the job relies on, applied the same way on Glue and locally."""
from pyspark.sql import SparkSession

JOB_SETTINGS = {
    # Exact, documented date parsing: no legacy fallback, no ANSI errors on unparsable input.
    "spark.sql.legacy.timeParserPolicy": "CORRECTED",
    "spark.sql.ansi.enabled": "false",
    "spark.sql.session.timeZone": "UTC",
    # Redshift COPY reads Parquet timestamps as INT64 micros.
    "spark.sql.parquet.outputTimestampType": "TIMESTAMP_MICROS",
}


def apply_job_settings(spark: SparkSession) -> SparkSession:
    for key, value in JOB_SETTINGS.items():
        spark.conf.set(key, value)
    # Shuffle width follows the cores the job has (a few tasks per core), not Spark's fixed 200,
    # which on a small cluster or a laptop costs more in task overhead than the data itself.
    spark.conf.set("spark.sql.shuffle.partitions", str(max(4, spark.sparkContext.defaultParallelism * 4)))
    return spark
