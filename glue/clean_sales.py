"""AWS Glue job entry: reads the arguments, builds the Spark session, runs the cleaning pipeline.

On Glue (awsglue importable) it uses getResolvedOptions and Job init/commit; locally it parses
the same `--name value` arguments. Nothing else differs.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import sys
import time

from pyspark.sql import SparkSession

from sales_cleaning.job_config import JobConfig
from sales_cleaning.pipeline import run_job
from sales_cleaning.session import apply_job_settings, job_session_builder

REQUIRED = ["input_uri", "output_uri"]
OPTIONAL = ["run_id", "source_version", "run_date", "source_profile_uri"]

try:
    from awsglue.context import GlueContext
    from awsglue.job import Job
    from awsglue.utils import getResolvedOptions
except ImportError:
    GlueContext = Job = getResolvedOptions = None


def parse_arguments(argv: list[str]) -> dict[str, str]:
    if getResolvedOptions is not None:
        present = [name for name in OPTIONAL if f"--{name}" in argv]
        return getResolvedOptions(argv, ["JOB_NAME", *REQUIRED, *present])
    parser = argparse.ArgumentParser(
        prog="clean_sales", description="Cleans one raw sales CSV (the Glue job, run locally)."
    )
    for name in REQUIRED:
        parser.add_argument(f"--{name}", required=True)
    for name in OPTIONAL:
        parser.add_argument(f"--{name}")
    # Glue passes arguments of its own (--JOB_NAME, --TempDir, ...): accepted and ignored, as on Glue.
    known, _ = parser.parse_known_args(argv)
    return {name: value for name, value in vars(known).items() if value is not None}


def job_config(arguments: dict[str, str], now: dt.datetime) -> JobConfig:
    """The run's configuration; without --run_id the id derives from the input, its version and the time."""
    run_date = dt.date.fromisoformat(arguments["run_date"]) if arguments.get("run_date") else now.date()
    version = arguments.get("source_version") or None
    digest = hashlib.sha256(f"{arguments['input_uri']}|{version}|{now.isoformat()}".encode()).hexdigest()[:12]
    return JobConfig(
        input_uri=arguments["input_uri"],
        output_uri=arguments["output_uri"],
        run_id=arguments.get("run_id") or f"{now:%Y%m%dT%H%M%SZ}-{digest}",
        run_date=run_date,
        source_version=version,
        source_profile_uri=arguments.get("source_profile_uri") or None,
    )


def main(argv: list[str]) -> int:
    arguments = parse_arguments(argv)
    config = job_config(arguments, dt.datetime.now(dt.UTC))
    started = time.monotonic()

    def log(message: str) -> None:
        print(f"clean_sales [{time.monotonic() - started:6.1f}s] {message}", flush=True)

    spark = apply_job_settings(job_session_builder(SparkSession.builder.appName("clean_sales")).getOrCreate())
    job = None
    if GlueContext is not None:
        job = Job(GlueContext(spark.sparkContext))
        job.init(arguments["JOB_NAME"], arguments)
    log(f"run {config.run_id}: {config.input_uri} → {config.output_uri}")
    manifest = run_job(spark, config, log=log)
    log(f"run {config.run_id} {manifest['status']}" + (f": {manifest['reason']}" if manifest.get("reason") else ""))
    if job is not None:
        job.commit()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
