"""The job: reads one raw CSV, cleans it, writes clean Parquet, rejected rows and the run manifest.

I/O and configuration live here; every transform it calls is a pure DataFrame function.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Callable

from pyspark import StorageLevel
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from . import records as rec
from .clean import CLEAN_COLUMNS, QUALITY_FLAGS, clean_fields
from .duplicates import classify_duplicates
from .header import HeaderMapping, map_header
from .io import HadoopFiles, ObjectStatus
from .lineage import LINEAGE_COLUMNS, Lineage, with_lineage
from .validation import reason_sort_key

SNIFF_BYTES = 64 * 1024
SAMPLE_REJECTIONS = 20
COUNTS = ["rows_read", "rows_clean", "rows_rejected", "duplicates_dropped", "blank_lines"]


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


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


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
    """Every data record (header excluded) with its clean columns, `reasons` and `outcome`:
    `clean`, `rejected`, `duplicate_dropped` or `blank` (a blank line, not a record)."""
    split = rec.split_fields(records)
    well_formed = F.col("well_formed") & (F.size("fields") == mapping.field_count)
    cleaned = clean_fields(split.withColumn("well_formed", well_formed).withColumn("fields", F.when(well_formed, F.col("fields"))), mapping, run_date)
    validated = cleaned.drop("fields").withColumn(
        "reasons",
        F.when(F.col("is_blank"), F.array().cast("array<string>"))
        .when(~F.col("well_formed"), F.array(F.lit("malformed_record")))
        .otherwise(F.col("reasons")),
    )
    eligible = ~F.col("is_blank") & (F.size("reasons") == 0)
    resolved = classify_duplicates(validated, eligible)
    duplicate = F.col("duplicate")
    return resolved.withColumns({
        "reasons": F.when(duplicate == "duplicate_order_line", F.array(F.lit("duplicate_order_line"))).otherwise(F.col("reasons")),
        "outcome": F.when(F.col("is_blank"), F.lit("blank"))
        .when(duplicate == "duplicate_dropped", F.lit("duplicate_dropped"))
        .when(duplicate == "none", F.lit("clean"))
        .otherwise(F.lit("rejected")),
    }).drop("duplicate", "well_formed")


def _copy_manifest(files: list[ObjectStatus]) -> str:
    entries = [{"url": item.uri, "mandatory": True, "meta": {"content_length": item.size}} for item in files]
    return json.dumps({"entries": entries}, indent=2)


def run_job(spark: SparkSession, config: JobConfig, log: Callable[[str], None] = print) -> dict:
    """Runs one job and returns the manifest it wrote.

    A file that cannot be processed ends as `rejected_file` with a reason; any other error ends as
    `failed` with the error in the manifest, and is raised again so the job run fails.
    """
    files = HadoopFiles(spark)
    manifest_uri = _join(config.output_uri, "manifests", f"{config.run_id}.json")
    manifest: dict = {
        "run_id": config.run_id,
        "source": {"uri": config.input_uri, "version": config.source_version, "size": None, "modified_at": None},
        "started_at": _iso(_now()),
        "run_date": config.run_date.isoformat(),
    }
    try:
        source = files.status(config.input_uri)
        manifest["source"].update(size=source.size, modified_at=_iso(source.modified_at))
        mapping = read_header(files.read_head(config.input_uri, SNIFF_BYTES))
        manifest.update(_process(spark, files, config, mapping, source, log))
    except FileRejectedError as rejection:
        log(f"file rejected: {rejection.reason}")
        manifest.update(status="rejected_file", reason=rejection.reason, counts=None, outputs={"clean": [], "rejected": []})
    except Exception as error:
        manifest.update(status="failed", error=f"{type(error).__name__}: {error}"[:2000])
        manifest["ended_at"] = _iso(_now())
        files.write_text(manifest_uri, json.dumps(manifest, indent=2))
        raise
    manifest["ended_at"] = _iso(_now())
    files.write_text(manifest_uri, json.dumps(manifest, indent=2))
    log(f"manifest written: {manifest_uri}")
    return manifest


def _process(spark: SparkSession, files: HadoopFiles, config: JobConfig, mapping: HeaderMapping, source: ObjectStatus, log) -> dict:
    log("reading lines and numbering them")
    # `\n` as the only separator: Spark's default would also split on a lone CR.
    lines = rec.physical_lines(spark.read.text(config.input_uri, lineSep="\n")).persist(StorageLevel.MEMORY_AND_DISK)
    numbered = rec.number_lines(lines, rec.partition_offsets(rec.partition_stats(lines))).persist(StorageLevel.MEMORY_AND_DISK)
    records = rec.assemble_records(numbered, rec.record_start_carry(numbered)).where(F.col("source_line") > 1)
    lineage = Lineage(source_uri=config.input_uri, source_version=config.source_version, source_modified_at=source.modified_at, run_id=config.run_id)
    classified = with_lineage(classify(records, mapping, config.run_date), lineage).persist(StorageLevel.MEMORY_AND_DISK)

    log("cleaning and validating records")
    outcome = F.col("outcome")
    summary = classified.agg(
        F.sum((outcome != "blank").cast("int")).alias("rows_read"),
        F.sum((outcome == "clean").cast("int")).alias("rows_clean"),
        F.sum((outcome == "rejected").cast("int")).alias("rows_rejected"),
        F.sum((outcome == "duplicate_dropped").cast("int")).alias("duplicates_dropped"),
        F.sum((outcome == "blank").cast("int")).alias("blank_lines"),
        F.sum(F.when(outcome != "blank", F.col("invalid_utf8"))).alias("records_with_invalid_utf8"),
        *[F.sum(F.when(outcome == "clean", F.col(flag))).alias(flag) for flag in QUALITY_FLAGS],
    ).first()
    lines.unpersist()
    numbered.unpersist()
    counts = {name: int(summary[name] or 0) for name in COUNTS}
    if counts["rows_read"] == 0:
        classified.unpersist()
        raise FileRejectedError("no_data_rows")
    log(f"records: {counts['rows_read']:,} read, {counts['rows_clean']:,} clean, {counts['rows_rejected']:,} rejected, {counts['duplicates_dropped']:,} duplicates dropped")

    clean_uri = _join(config.output_uri, "cleaned", "sales", f"run_id={config.run_id}")
    rejected_uri = _join(config.output_uri, "rejected", f"run_id={config.run_id}")
    log("writing clean rows")
    (
        classified.where(outcome == "clean")
        .select(*CLEAN_COLUMNS, *LINEAGE_COLUMNS, F.date_format("order_date", "yyyy-MM").alias("order_month"))
        .write.mode("overwrite").partitionBy("order_month").parquet(clean_uri)
    )
    log("writing rejected rows")
    rejected = classified.where(outcome == "rejected").select(
        "run_id", "source_uri", "source_line", F.col("record").alias("raw_record"), F.array_join("reasons", ";").alias("reasons")
    )
    rejected.coalesce(1).write.mode("overwrite").parquet(rejected_uri)

    histogram = {
        row["reason"]: int(row["count"])
        for row in classified.where(outcome == "rejected").select(F.explode("reasons").alias("reason")).groupBy("reason").count().collect()
    }
    samples = [
        {"source_line": row["source_line"], "reasons": row["reasons"].split(";"), "raw_record": row["raw_record"]}
        for row in rejected.orderBy("source_line").limit(SAMPLE_REJECTIONS).collect()
    ]
    classified.unpersist()

    clean_files, rejected_files = files.list_data_files(clean_uri), files.list_data_files(rejected_uri)
    copy_manifests = {
        "clean": _join(config.output_uri, "manifests", f"{config.run_id}.clean.copy.json"),
        "rejected": _join(config.output_uri, "manifests", f"{config.run_id}.rejected.copy.json"),
    }
    files.write_text(copy_manifests["clean"], _copy_manifest(clean_files))
    files.write_text(copy_manifests["rejected"], _copy_manifest(rejected_files))
    reconciled = counts["rows_read"] == counts["rows_clean"] + counts["rows_rejected"] + counts["duplicates_dropped"]
    return {
        "status": "succeeded",
        "counts": counts,
        "reasons": dict(sorted(histogram.items(), key=lambda item: reason_sort_key(item[0]))),
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
            "detail": f"rows_read {counts['rows_read']} = rows_clean {counts['rows_clean']} + rows_rejected {counts['rows_rejected']} + duplicates_dropped {counts['duplicates_dropped']}",
        }],
        "sample_rejections": samples,
    }
