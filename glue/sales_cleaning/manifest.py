"""The run manifest (docs/data-contract.md, run-manifest.schema.json) and the Redshift COPY manifests,
built from plain values: no Spark, no storage."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .contract import REASON_ORDER

if TYPE_CHECKING:
    from .io import ObjectStatus
    from .job_config import JobConfig

ERROR_LENGTH = 2000


class FileRejectedError(Exception):
    """The file as a whole cannot be processed; `reason` goes into the manifest, with `detail` when
    the reason alone cannot say what is wrong."""

    def __init__(self, reason: str, detail: str | None = None):
        super().__init__(reason + (f": {detail}" if detail else ""))
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class ProcessedFile:
    """What cleaning one file produced: its counts, and the objects it wrote."""

    counts: dict[str, int]
    reasons: dict[str, int]
    ignored_columns: list[str]
    has_line_id: bool
    quality: dict[str, int]
    clean_files: list[ObjectStatus]
    rejected_files: list[ObjectStatus]
    copy_manifests: dict[str, str]
    sample_rejections: list[dict]


def iso_time(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def reason_sort_key(reason: str) -> tuple[int, str]:
    """Contract order by reason name (`missing_required:order_id` sorts as `missing_required`), then by text."""
    name = reason.split(":", 1)[0]
    return (REASON_ORDER.index(name) if name in REASON_ORDER else len(REASON_ORDER), reason)


def _reconciliation(counts: dict[str, int]) -> dict:
    reconciled = counts["rows_read"] == counts["rows_clean"] + counts["rows_rejected"] + counts["duplicates_dropped"]
    return {
        "name": "reconciliation",
        "passed": reconciled,
        "detail": f"rows_read {counts['rows_read']} = rows_clean {counts['rows_clean']}"
        f" + rows_rejected {counts['rows_rejected']} + duplicates_dropped {counts['duplicates_dropped']}",
    }


def _outcome_fields(outcome: ProcessedFile | BaseException) -> dict:
    if isinstance(outcome, FileRejectedError):
        return {
            "status": "rejected_file",
            "reason": outcome.reason,
            **({"detail": outcome.detail[:ERROR_LENGTH]} if outcome.detail else {}),
            "counts": None,
            "outputs": {"clean": [], "rejected": []},
        }
    if isinstance(outcome, BaseException):
        return {"status": "failed", "error": f"{type(outcome).__name__}: {outcome}"[:ERROR_LENGTH]}
    return {
        "status": "succeeded",
        "counts": outcome.counts,
        "reasons": dict(sorted(outcome.reasons.items(), key=lambda item: reason_sort_key(item[0]))),
        "ignored_columns": outcome.ignored_columns,
        "has_line_id": outcome.has_line_id,
        "quality": outcome.quality,
        "outputs": {
            "clean": [{"uri": item.uri, "size": item.size} for item in outcome.clean_files],
            "rejected": [{"uri": item.uri, "size": item.size} for item in outcome.rejected_files],
        },
        "copy_manifests": outcome.copy_manifests,
        "checks": [_reconciliation(outcome.counts)],
        "sample_rejections": outcome.sample_rejections,
    }


def build_manifest(
    *,
    config: JobConfig,
    source: ObjectStatus | None,
    started_at: dt.datetime,
    ended_at: dt.datetime,
    outcome: ProcessedFile | BaseException,
    source_profile: dict | None = None,
) -> dict:
    """The run manifest: `succeeded` with a ProcessedFile, `rejected_file` with a FileRejectedError,
    `failed` with any other error. `source` is None when the input could not even be looked at;
    `source_profile` ({name, digest}) is set on every run that was given a profile."""
    return {
        "run_id": config.run_id,
        "source": {
            "uri": config.input_uri,
            "version": config.source_version,
            "size": source.size if source else None,
            "modified_at": iso_time(source.modified_at) if source else None,
        },
        "started_at": iso_time(started_at),
        "run_date": config.run_date.isoformat(),
        **({"source_profile": source_profile} if source_profile else {}),
        **_outcome_fields(outcome),
        "ended_at": iso_time(ended_at),
    }


def manifest_text(manifest: dict) -> str:
    return json.dumps(manifest, indent=2)


def redshift_copy_manifest(files: list[ObjectStatus]) -> str:
    """A Redshift COPY manifest for the files; COPY from Parquet needs each file's content_length."""
    entries = [{"url": item.uri, "mandatory": True, "meta": {"content_length": item.size}} for item in files]
    return json.dumps({"entries": entries}, indent=2)
