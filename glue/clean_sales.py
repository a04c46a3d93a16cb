"""AWS Glue job entry: reads the arguments, builds the Spark session, runs the cleaning pipeline.

On Glue (awsglue importable) it uses getResolvedOptions and Job init/commit; locally it parses
the same `--name value` arguments. Nothing else differs.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import sys

from pyspark.sql import SparkSession

from sales_cleaning.pipeline import JobConfig, run_job
from sales_cleaning.session import apply_job_settings

REQUIRED = ["input_uri", "output_uri"]
OPTIONAL = ["run_id", "source_version", "run_date"]

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
    values: dict[str, str] = {}
    for index, token in enumerate(argv):
        if token.startswith("--") and index + 1 < len(argv) and not argv[index + 1].startswith("--"):
            values[token[2:]] = argv[index + 1]
    missing = [name for name in REQUIRED if not values.get(name)]
    if missing:
        raise SystemExit(f"clean_sales: missing job argument(s): {', '.join('--' + name for name in missing)}")
    return values


def job_config(arguments: dict[str, str]) -> JobConfig:
    run_date = dt.date.fromisoformat(arguments["run_date"]) if arguments.get("run_date") else dt.datetime.now(dt.timezone.utc).date()
    run_id = arguments.get("run_id") or "local-" + hashlib.sha256(
        f"{arguments['input_uri']}|{arguments.get('source_version')}|{dt.datetime.now(dt.timezone.utc).isoformat()}".encode()
    ).hexdigest()[:16]
    return JobConfig(
        input_uri=arguments["input_uri"],
        output_uri=arguments["output_uri"],
        run_id=run_id,
        run_date=run_date,
        source_version=arguments.get("source_version") or None,
    )


def main(argv: list[str]) -> None:
    arguments = parse_arguments(argv)
    config = job_config(arguments)
    spark = apply_job_settings(SparkSession.builder.appName("clean_sales").getOrCreate())
    job = None
    if GlueContext is not None:
        job = Job(GlueContext(spark.sparkContext))
        job.init(arguments["JOB_NAME"], arguments)
    manifest = run_job(spark, config, log=lambda message: print(f"clean_sales: {message}", flush=True))
    print(f"clean_sales: run {config.run_id} {manifest['status']}", flush=True)
    if job is not None:
        job.commit()


if __name__ == "__main__":
    main(sys.argv[1:])
