"""The run-manifest JSON Schema, and run_job with every manifest it writes checked against it."""

import json
from importlib import resources
from pathlib import Path

from jsonschema import Draft202012Validator

from sales_cleaning.pipeline import run_job

SCHEMA = json.loads(resources.files("sales_cleaning").joinpath("run-manifest.schema.json").read_text("utf-8"))
Draft202012Validator.check_schema(SCHEMA)
VALIDATOR = Draft202012Validator(SCHEMA)


def schema_problems(manifest: dict) -> list[str]:
    """Where the manifest breaks the schema, one line per problem (empty when it conforms)."""
    return sorted(f"{error.json_path}: {error.message}" for error in VALIDATOR.iter_errors(manifest))


def broken_rules(manifest: dict) -> set[tuple[str, str]]:
    """(where, which schema keyword) of every problem, for tests that expect some."""
    return {(error.json_path, error.validator) for error in VALIDATOR.iter_errors(manifest)}


def run_job_checked(spark, config, s3=None) -> dict:
    """run_job, then the manifest it wrote, read back, must conform to the schema and equal what it returned.

    A failing run is checked the same way before its error goes on.
    """
    returned = None
    try:
        returned = run_job(spark, config, log=lambda _message: None, s3=s3)
    finally:
        written = json.loads(Path(config.output_uri, "manifests", f"{config.run_id}.json").read_text())
        assert schema_problems(written) == []
    assert written == returned
    return returned
