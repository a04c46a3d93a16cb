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
    # The JVM never compiles a method of more than 8,000 bytes of bytecode: it interprets it. The stage that
    # cleans records generates one of about 64 KB, so Spark is told to run such a stage operator by operator
    # (in small compiled methods) instead of as one generated method.
    "spark.sql.codegen.hugeMethodLimit": "8000",
    # Records are the union of single-line and multi-line ones (records.assemble_records). By default the
    # optimizer pushes every projection above a union into each of its branches, so the whole cleaning would
    # be planned, generated and compiled twice; kept above the union, it is built once for both.
    "spark.sql.optimizer.excludedRules": "org.apache.spark.sql.catalyst.optimizer.PushProjectionThroughUnion",
    # The job caches its lines and its classified records once each and reads them back a few times. Compressing
    # a cached batch first tries every encoding on every column (a dictionary of boxed values among them), which
    # took 13 % of a 1M-row run's CPU samples; the records are read back within the run, so they are kept as they are.
    "spark.sql.inMemoryColumnarStorage.compressed": "false",
}

STATIC_SETTINGS = {
    # Spark keeps the classes it compiles for query plans in a cache of 100 entries by default; one run of the
    # job compiles about 160, so with the default every class is evicted before it is needed again and a
    # process that runs the job twice (a warmed Glue run, the tests) compiles everything twice.
    "spark.sql.codegen.cache.maxEntries": "1000",
}
"""Settings read once when the SparkContext starts: given to the session builder, before getOrCreate()."""

BYTES_PER_SHUFFLE_PARTITION = 32 * 1024 * 1024
"""Input bytes per shuffle partition: the job's shuffles carry about the input's size."""


def job_session_builder(builder: SparkSession.Builder) -> SparkSession.Builder:
    """The builder with STATIC_SETTINGS (JOB_SETTINGS are applied to the session by apply_job_settings)."""
    for key, value in STATIC_SETTINGS.items():
        builder = builder.config(key, value)
    return builder


def apply_job_settings(spark: SparkSession, shuffle_partitions: int | None = None) -> SparkSession:
    """Applies JOB_SETTINGS. Shuffle width defaults to a few tasks per core rather than Spark's
    fixed 200, which on a small cluster or a laptop costs more in task overhead than the data;
    the job narrows it per run to the input's size (shuffle_width)."""
    for key, value in JOB_SETTINGS.items():
        spark.conf.set(key, value)
    _set_shuffle_partitions(spark, shuffle_partitions or max(4, spark.sparkContext.defaultParallelism * 4))
    return spark


def fit_shuffles_to_input(spark: SparkSession, input_bytes: int) -> None:
    """Narrows the session's shuffle width to one run's input of `input_bytes` (shuffle_width)."""
    _set_shuffle_partitions(spark, shuffle_width(input_bytes, spark.sparkContext.defaultParallelism))


def _set_shuffle_partitions(spark: SparkSession, width: int) -> None:
    spark.conf.set("spark.sql.shuffle.partitions", str(width))


def shuffle_width(input_bytes: int, parallelism: int) -> int:
    """Shuffle partitions for an input of `input_bytes`: one per BYTES_PER_SHUFFLE_PARTITION, at least one per
    core and at most four per core. Every task costs a fixed overhead (its scheduling, and on the job's
    partitioned write one file per month it holds), so a small file uses as few tasks as the cores."""
    wanted = -(-input_bytes // BYTES_PER_SHUFFLE_PARTITION)
    return max(1, parallelism, min(parallelism * 4, wanted))
