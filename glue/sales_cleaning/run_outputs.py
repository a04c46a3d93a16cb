"""What a run writes and counts, as transforms of the classified records (see classify.py)."""

from __future__ import annotations

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from .clean import QUALITY_FLAGS
from .contract import CLEAN_FILE_COLUMNS, RAW_RECORD_MAX_BYTES, REASONS_SEPARATOR, REJECTED_FILE_COLUMNS

COUNTS = ["rows_read", "rows_clean", "rows_rejected", "duplicates_dropped", "blank_lines"]
QUALITY = [*QUALITY_FLAGS, "records_with_invalid_utf8", "raw_records_truncated"]
# A UTF-8 sequence the cut left without all its continuation bytes, at the end of the cut's hex digits
# (pairs, so a match anchored at the end is aligned on bytes).
_SPLIT_CHARACTER_HEX = r"(?:[CD][0-9A-F]|E[0-9A-F](?:[89AB][0-9A-F])?|F[0-7](?:[89AB][0-9A-F]){0,2})$"


ROWS_PER_WRITE_TASK = 250_000
"""Clean rows one task writes: each task writes one file per month it holds, so small runs write few files."""


def write_tasks(rows: int) -> int:
    """How many tasks write `rows` clean rows: one per ROWS_PER_WRITE_TASK rows, at least one (a coalesce to
    it never moves rows between tasks nor adds any)."""
    return max(1, -(-rows // ROWS_PER_WRITE_TASK))


def utf8_prefix(text: Column, max_bytes: int) -> Column:
    """The longest run of whole characters from the start of `text` that fits in `max_bytes` UTF-8 bytes."""
    cut = F.hex(F.substring(F.encode(text, "UTF-8"), 1, max_bytes))
    whole = F.decode(F.unhex(F.regexp_replace(cut, _SPLIT_CHARACTER_HEX, "")), "UTF-8")
    return F.when(F.octet_length(text) <= max_bytes, text).otherwise(whole)


def _storable_record(record: Column) -> Column:
    """The record as the warehouse can store it: NUL as U+FFFD (Postgres and Redshift text cannot hold one)."""
    return F.translate(record, "\u0000", "\ufffd")


def for_outputs(classified: DataFrame) -> DataFrame:
    """The classified records with what the outputs read: the raw record only on rejected rows, the one
    outcome that writes it (the job keeps these rows for all its outputs, and the record is their widest column)."""
    return classified.withColumn("record", F.when(F.col("outcome") == "rejected", F.col("record")))


def summary(classified: DataFrame) -> DataFrame:
    """One row: the manifest's COUNTS and QUALITY counts (null where no record counted)."""
    outcome = F.col("outcome")
    return classified.agg(
        F.sum((outcome != "blank").cast("int")).alias("rows_read"),
        F.sum((outcome == "clean").cast("int")).alias("rows_clean"),
        F.sum((outcome == "rejected").cast("int")).alias("rows_rejected"),
        F.sum((outcome == "duplicate_dropped").cast("int")).alias("duplicates_dropped"),
        F.sum((outcome == "blank").cast("int")).alias("blank_lines"),
        F.sum(F.when(outcome != "blank", F.col("invalid_utf8"))).alias("records_with_invalid_utf8"),
        F.sum(
            F.when(
                outcome == "rejected", (F.octet_length(_storable_record(F.col("record"))) > RAW_RECORD_MAX_BYTES)
            ).cast("int")
        ).alias("raw_records_truncated"),
        *[F.sum(F.when(outcome == "clean", F.col(flag))).alias(flag) for flag in QUALITY_FLAGS],
    )


def clean_rows(classified: DataFrame) -> DataFrame:
    """The clean Parquet rows: the contract's columns in its order, and `order_month` to partition by."""
    return classified.where(F.col("outcome") == "clean").select(
        *[column.name for column in CLEAN_FILE_COLUMNS], F.date_format("order_date", "yyyy-MM").alias("order_month")
    )


def rejected_rows(classified: DataFrame) -> DataFrame:
    """The rejected Parquet rows, in the contract's column order: the raw record (storable, cut to
    RAW_RECORD_MAX_BYTES, counted `raw_records_truncated`) and its reasons joined."""
    derived: dict[str, Column] = {
        "raw_record": utf8_prefix(_storable_record(F.col("record")), RAW_RECORD_MAX_BYTES),
        "reasons": F.array_join("reasons", REASONS_SEPARATOR),
    }
    return classified.where(F.col("outcome") == "rejected").select(
        *[derived.get(column.name, F.col(column.name)).alias(column.name) for column in REJECTED_FILE_COLUMNS]
    )


def reason_histogram(classified: DataFrame) -> DataFrame:
    """`reason`, `count`: how many rejected rows list each reason."""
    return (
        classified.where(F.col("outcome") == "rejected")
        .select(F.explode("reasons").alias("reason"))
        .groupBy("reason")
        .count()
    )
