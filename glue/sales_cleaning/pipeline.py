"""The job's I/O edge: reads one raw CSV, runs the pure transforms, writes clean Parquet, rejected rows,
the COPY manifests and the run manifest.

Everything it decides is decided elsewhere: header.py (the header), classify.py (every record's
outcome), run_outputs.py (what is written and counted) and manifest.py (the manifest).
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Callable

from pyspark import StorageLevel
from pyspark.sql import SparkSession
from pyspark.sql import functions as F

from . import records as rec
from . import run_outputs
from .classify import classify
from .contract import REASONS_SEPARATOR
from .decoding import decode_input
from .header import HeaderMapping, read_header
from .io import HadoopFiles, ObjectStatus
from .job_config import JobConfig
from .lineage import Lineage, with_lineage
from .manifest import FileRejectedError, ProcessedFile, build_manifest, manifest_text, redshift_copy_manifest
from .profile import CONTRACT_FORMAT, SourceProfile, parse_profile, profile_digest
from .session import fit_shuffles_to_input
from .source import fetch_source, profile_name, read_profile_bytes, staged_name

SNIFF_BYTES = 64 * 1024
SAMPLE_REJECTIONS = 20


def _join(base: str, *parts: str) -> str:
    return "/".join([base.rstrip("/"), *parts])


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def run_job(spark: SparkSession, config: JobConfig, log: Callable[[str], None] = print, s3=None) -> dict:
    """Runs one job and returns the manifest it wrote; `s3` is the S3 client for s3:// inputs (boto3's
    default when None).

    A file that cannot be processed ends as `rejected_file` with a reason; any other error ends as
    `failed` with the error in the manifest, and is raised again so the job run fails.
    """
    files = HadoopFiles(spark)
    manifest_uri = _join(config.output_uri, "manifests", f"{config.run_id}.json")
    staging_uri = _join(config.output_uri, "tmp", config.run_id)
    staged_uri = _join(config.output_uri, "tmp", config.run_id, staged_name(config.input_uri))
    started_at = _now()
    source: ObjectStatus | None = None
    # {name, digest} of the profile the run was given, in the manifest whatever the outcome.
    profile_record = (
        {"name": profile_name(config.source_profile_uri), "digest": None} if config.source_profile_uri else None
    )

    def manifest_of(outcome: ProcessedFile | FileRejectedError | Exception) -> dict:
        return build_manifest(
            config=config,
            source=source,
            started_at=started_at,
            ended_at=_now(),
            outcome=outcome,
            source_profile=profile_record,
        )

    try:
        with tempfile.TemporaryDirectory(prefix="clean_sales-") as scratch:
            local = os.path.join(scratch, "source")
            source = fetch_source(config.input_uri, version=config.source_version, target=local, files=files, s3=s3)
            profile = CONTRACT_FORMAT
            if config.source_profile_uri:
                profile_bytes = read_profile_bytes(config.source_profile_uri, s3=s3)
                profile_record["digest"] = profile_digest(profile_bytes)
                profile = parse_profile(profile_bytes, profile_record["name"])
                log(f"source profile {profile.name} ({profile_record['digest']}): {config.source_profile_uri}")
            text, compressed = decode_input(
                local, os.path.join(scratch, "text"), profile.encoding if config.source_profile_uri else None
            )
            files.write_from_local(staged_uri, text)
            text_bytes = os.path.getsize(text)
        log(
            f"input copied for this run: {config.input_uri} (version {config.source_version}"
            + (", gzip" if compressed else "")
            + f") → {staged_uri}"
        )
        mapping = read_header(files.read_head(staged_uri, SNIFF_BYTES), profile)
        fit_shuffles_to_input(spark, text_bytes)
        outcome: ProcessedFile | FileRejectedError = _process(
            spark, files, config, mapping, profile, source, log, staged_uri
        )
    except FileRejectedError as rejection:
        log(f"file rejected: {rejection.reason}")
        outcome = rejection
    except Exception as error:
        files.write_text(manifest_uri, manifest_text(manifest_of(error)))
        raise
    finally:
        try:
            files.delete(staging_uri)
        except Exception as error:
            # A copy left behind only costs storage until tmp/ expires.
            log(f"could not delete {staging_uri}: {error}")
    manifest = manifest_of(outcome)
    files.write_text(manifest_uri, manifest_text(manifest))
    log(f"manifest written: {manifest_uri}")
    return manifest


def _process(
    spark: SparkSession,
    files: HadoopFiles,
    config: JobConfig,
    mapping: HeaderMapping,
    profile: SourceProfile,
    source: ObjectStatus,
    log,
    staged_uri: str,
) -> ProcessedFile:
    log("reading lines and numbering them")
    # `\n` as the only separator: Spark's default would also split on a lone CR.
    lines = rec.physical_lines(spark.read.text(staged_uri, lineSep="\n")).persist(StorageLevel.MEMORY_AND_DISK)
    numbered = rec.number_lines(lines, rec.partition_offsets(rec.partition_stats(lines))).persist(
        StorageLevel.MEMORY_AND_DISK
    )
    # Cached before use: the next query reads `numbered` in several branches, and with its cache not yet built
    # each branch would compute it (and its shuffle) again.
    numbered.count()
    lines.unpersist()
    records = rec.assemble_records(numbered, rec.record_spans(numbered)).where(F.col("source_line") > 1)
    lineage = Lineage(
        source_uri=config.input_uri,
        source_version=config.source_version,
        source_modified_at=source.modified_at,
        run_id=config.run_id,
    )
    classified = run_outputs.for_outputs(
        with_lineage(classify(records, mapping, config.run_date, profile), lineage)
    ).persist(StorageLevel.MEMORY_AND_DISK)

    log("cleaning and validating records")
    summary = run_outputs.summary(classified).first()
    numbered.unpersist()
    counts = {name: int(summary[name] or 0) for name in run_outputs.COUNTS}
    if counts["rows_read"] == 0:
        classified.unpersist()
        raise FileRejectedError("no_data_rows")
    log(
        f"records: {counts['rows_read']:,} read, {counts['rows_clean']:,} clean, {counts['rows_rejected']:,} rejected,"
        f" {counts['duplicates_dropped']:,} duplicates dropped"
    )

    clean_uri = _join(config.output_uri, "cleaned", "sales", f"run_id={config.run_id}")
    rejected_uri = _join(config.output_uri, "rejected", f"run_id={config.run_id}")
    log("writing clean rows")
    # Every task writes one file per month it holds: as few tasks as the rows need.
    run_outputs.clean_rows(classified).coalesce(run_outputs.write_tasks(counts["rows_clean"])).write.mode(
        "overwrite"
    ).partitionBy("order_month").parquet(clean_uri)
    log("writing rejected rows")
    rejected = run_outputs.rejected_rows(classified)
    rejected.coalesce(1).write.mode("overwrite").parquet(rejected_uri)

    histogram = {row["reason"]: int(row["count"]) for row in run_outputs.reason_histogram(classified).collect()}
    samples = [
        {
            "source_line": row["source_line"],
            "reasons": row["reasons"].split(REASONS_SEPARATOR),
            "raw_record": row["raw_record"],
        }
        for row in rejected.orderBy("source_line").limit(SAMPLE_REJECTIONS).collect()
    ]
    classified.unpersist()

    clean_files, rejected_files = files.list_data_files(clean_uri), files.list_data_files(rejected_uri)
    copy_manifests = {
        "clean": _join(config.output_uri, "manifests", f"{config.run_id}.clean.copy.json"),
        "rejected": _join(config.output_uri, "manifests", f"{config.run_id}.rejected.copy.json"),
    }
    files.write_text(copy_manifests["clean"], redshift_copy_manifest(clean_files))
    files.write_text(copy_manifests["rejected"], redshift_copy_manifest(rejected_files))
    return ProcessedFile(
        counts=counts,
        reasons=histogram,
        ignored_columns=mapping.ignored_columns,
        has_line_id=mapping.has_line_id,
        quality={name: int(summary[name] or 0) for name in run_outputs.QUALITY},
        clean_files=clean_files,
        rejected_files=rejected_files,
        copy_manifests=copy_manifests,
        sample_rejections=samples,
    )
