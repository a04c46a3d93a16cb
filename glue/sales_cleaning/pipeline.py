"""The job: reads one raw CSV, cleans it, writes clean Parquet, rejected rows and the run manifest.

I/O and configuration live here; every transform it calls is a pure DataFrame function.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from pyspark import StorageLevel
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from . import records as rec
from .clean import CLEAN_COLUMNS, QUALITY_FLAGS, clean_fields
from .duplicates import classify_duplicates
from .header import HeaderMapping, map_header
from .io import HadoopFiles, ObjectStatus

SNIFF_BYTES = 64 * 1024
SAMPLE_REJECTIONS = 20
LINEAGE_COLUMNS = ["source_uri", "source_version", "source_modified_at", "source_line", "run_id"]
REASON_ORDER = [
    "missing_required", "invalid_id", "invalid_date", "date_out_of_range", "invalid_quantity",
    "non_positive_quantity", "invalid_price", "negative_price", "invalid_discount", "malformed_record",
    "duplicate_order_line",
]


@dataclass(frozen=True)
class JobConfig:
    input_uri: str
    output_uri: str
    run_id: str
    run_date: dt.date
    source_version: str | None = None


class FileRejectedError(Exception):
    """The file as a whole cannot be processed; `reason` goes into the manifest."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _join(base: str, *parts: str) -> str:
    return "/".join([base.rstrip("/"), *parts])


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.timezone.utc).isoformat().replace("+00:00", "Z")


def read_header(head: bytes) -> HeaderMapping:
    """Checks the file's opening bytes and maps its header, or raises FileRejectedError."""
    if not head:
        raise FileRejectedError("empty_file")
    if b"\x00" in head:
        raise FileRejectedError("not_text")
    text = head.decode("utf-8", errors="replace").removeprefix("\ufeff")
    header_text = rec.first_record(text)
    if header_text.strip() == "":
        raise FileRejectedError("empty_file")
    names = rec.split_header(header_text)
    if names is None:
        raise FileRejectedError("malformed_header")
    mapping = map_header(names)
    if mapping.missing_required:
        raise FileRejectedError("missing_required_columns:" + ",".join(mapping.missing_required))
    return mapping


def classify(records: DataFrame, mapping: HeaderMapping, run_date: dt.date) -> DataFrame:
    """Every data record with `outcome` (clean / rejected / duplicate_dropped) and its `reasons`."""
    split = rec.split_fields(records)
    well_formed = F.col("well_formed") & (F.size("fields") == mapping.field_count)
    cleaned = clean_fields(split.withColumn("fields", F.when(well_formed, F.col("fields"))), mapping, run_date)
    cleaned = cleaned.withColumn(
        "reasons", F.when(well_formed, F.col("reasons")).otherwise(F.array(F.lit("malformed_record")))
    )
    valid = cleaned.where(F.size("reasons") == 0)
    invalid = cleaned.where(F.size("reasons") > 0).withColumn("outcome", F.lit("rejected"))
    resolved = classify_duplicates(valid)
    resolved = resolved.withColumn(
        "reasons", F.when(F.col("outcome") == "duplicate_order_line", F.array(F.lit("duplicate_order_line"))).otherwise(F.col("reasons"))
    ).withColumn("outcome", F.when(F.col("outcome") == "duplicate_order_line", F.lit("rejected")).otherwise(F.col("outcome")))
    return invalid.unionByName(resolved)


def _data_records(spark: SparkSession, input_uri: str) -> DataFrame:
    lines = spark.read.text(input_uri).persist(StorageLevel.MEMORY_AND_DISK)
    numbered = rec.number_lines(lines, rec.partition_offsets(rec.partition_stats(lines))).persist(StorageLevel.MEMORY_AND_DISK)
    records = rec.assemble_records(numbered, rec.record_start_carry(numbered))
    # Spark keeps invalid UTF-8 bytes as they are; a round trip through Java strings turns each into
    # U+FFFD, so every output holds valid text and the difference tells which records had bad bytes.
    repaired = F.decode(F.encode(F.col("record"), "UTF-8"), "UTF-8")
    return (
        records.where(F.col("source_line") > 1)
        .withColumn("invalid_utf8", (repaired != F.col("record")).cast("int"))
        .withColumn("record", repaired)
    )


def _copy_manifest(files: list[ObjectStatus]) -> str:
    entries = [{"url": item.uri, "mandatory": True, "meta": {"content_length": item.size}} for item in files]
    return json.dumps({"entries": entries}, indent=2)


def _reason_sort_key(reason: str) -> tuple[int, str]:
    name = reason.split(":", 1)[0]
    return (REASON_ORDER.index(name) if name in REASON_ORDER else len(REASON_ORDER), reason)


def run_job(spark: SparkSession, config: JobConfig, log=print) -> dict:
    """Runs one job and returns the manifest it wrote. Whole-file problems end as `rejected_file`."""
    files = HadoopFiles(spark)
    started = dt.datetime.now(dt.timezone.utc)
    manifest_uri = _join(config.output_uri, "manifests", f"{config.run_id}.json")
    source = files.status(config.input_uri)
    manifest: dict = {
        "run_id": config.run_id,
        "source": {"uri": config.input_uri, "version": config.source_version, "size": source.size, "modified_at": _iso(source.modified_at)},
        "started_at": _iso(started),
        "run_date": config.run_date.isoformat(),
    }
    try:
        mapping = read_header(files.read_head(config.input_uri, SNIFF_BYTES))
        manifest.update(_process(spark, files, config, mapping, source, log))
    except FileRejectedError as rejection:
        log(f"file rejected: {rejection.reason}")
        manifest.update(status="rejected_file", reason=rejection.reason, counts=None, outputs={"clean": [], "rejected": []})
    except Exception as error:
        manifest.update(status="failed", error=f"{type(error).__name__}: {error}"[:2000])
        manifest["ended_at"] = _iso(dt.datetime.now(dt.timezone.utc))
        files.write_text(manifest_uri, json.dumps(manifest, indent=2))
        raise
    manifest["ended_at"] = _iso(dt.datetime.now(dt.timezone.utc))
    files.write_text(manifest_uri, json.dumps(manifest, indent=2))
    log(f"manifest written: {manifest_uri}")
    return manifest


def _process(spark, files: HadoopFiles, config: JobConfig, mapping: HeaderMapping, source: ObjectStatus, log) -> dict:
    records = _data_records(spark, config.input_uri).persist(StorageLevel.MEMORY_AND_DISK)
    blank_lines = records.where("is_blank").count()
    data = records.where(~F.col("is_blank"))
    classified = classify(data, mapping, config.run_date).withColumns({
        "source_uri": F.lit(config.input_uri),
        "source_version": F.lit(config.source_version).cast("string"),
        "source_modified_at": F.lit(source.modified_at.replace(tzinfo=None)).cast("timestamp"),
        "run_id": F.lit(config.run_id),
    }).persist(StorageLevel.MEMORY_AND_DISK)

    summary = classified.agg(
        F.count(F.lit(1)).alias("rows_read"),
        F.sum((F.col("outcome") == "clean").cast("int")).alias("rows_clean"),
        F.sum((F.col("outcome") == "rejected").cast("int")).alias("rows_rejected"),
        F.sum((F.col("outcome") == "duplicate_dropped").cast("int")).alias("duplicates_dropped"),
        F.sum("invalid_utf8").alias("records_with_invalid_utf8"),
        *[F.sum(F.when(F.col("outcome") == "clean", F.col(flag)).otherwise(0)).alias(flag) for flag in QUALITY_FLAGS],
    ).first()
    counts = {name: int(summary[name] or 0) for name in ["rows_read", "rows_clean", "rows_rejected", "duplicates_dropped"]}
    counts["blank_lines"] = int(blank_lines)
    if counts["rows_read"] == 0:
        raise FileRejectedError("no_data_rows")
    log(f"records read: {counts['rows_read']:,}; clean {counts['rows_clean']:,}, rejected {counts['rows_rejected']:,}, duplicates dropped {counts['duplicates_dropped']:,}")

    clean_uri = _join(config.output_uri, "cleaned", "sales", f"run_id={config.run_id}")
    rejected_uri = _join(config.output_uri, "rejected", f"run_id={config.run_id}")
    (
        classified.where(F.col("outcome") == "clean")
        .select(*CLEAN_COLUMNS, *LINEAGE_COLUMNS, F.date_format("order_date", "yyyy-MM").alias("order_month"))
        .write.mode("overwrite").partitionBy("order_month").parquet(clean_uri)
    )
    rejected = classified.where(F.col("outcome") == "rejected").select(
        "run_id", "source_uri", "source_line", F.col("record").alias("raw_record"), F.array_join("reasons", ";").alias("reasons")
    )
    rejected.coalesce(1).write.mode("overwrite").parquet(rejected_uri)

    histogram = {
        row["reason"]: int(row["count"])
        for row in classified.where(F.col("outcome") == "rejected").select(F.explode("reasons").alias("reason")).groupBy("reason").count().collect()
    }
    samples = [
        {"source_line": row["source_line"], "reasons": row["reasons"].split(";"), "raw_record": row["raw_record"]}
        for row in rejected.orderBy("source_line").limit(SAMPLE_REJECTIONS).collect()
    ]
    clean_files, rejected_files = files.list_data_files(clean_uri), files.list_data_files(rejected_uri)
    copy_manifests = {
        "clean": _join(config.output_uri, "manifests", f"{config.run_id}.clean.copy.json"),
        "rejected": _join(config.output_uri, "manifests", f"{config.run_id}.rejected.copy.json"),
    }
    files.write_text(copy_manifests["clean"], _copy_manifest(clean_files))
    files.write_text(copy_manifests["rejected"], _copy_manifest(rejected_files))
    reconciled = counts["rows_read"] == counts["rows_clean"] + counts["rows_rejected"] + counts["duplicates_dropped"]
    classified.unpersist()
    records.unpersist()
    return {
        "status": "succeeded",
        "counts": counts,
        "reasons": dict(sorted(histogram.items(), key=lambda item: _reason_sort_key(item[0]))),
        "ignored_columns": mapping.ignored_columns,
        "has_line_id": mapping.has_line_id,
        "quality": {flag: int(summary[flag] or 0) for flag in [*QUALITY_FLAGS, "records_with_invalid_utf8"]},
        "outputs": {
            "clean": [{"uri": item.uri, "size": item.size} for item in clean_files],
            "rejected": [{"uri": item.uri, "size": item.size} for item in rejected_files],
        },
        "copy_manifests": copy_manifests,
        "checks": [{
            "name": "reconciliation",
            "passed": reconciled,
            "detail": "rows_read = rows_clean + rows_rejected + duplicates_dropped",
        }],
        "sample_rejections": samples,
    }
