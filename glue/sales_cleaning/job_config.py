"""What one run of the job works on: its input, its output folder, its id, its date and its source profile."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class JobConfig:
    input_uri: str
    output_uri: str
    run_id: str
    run_date: dt.date
    source_version: str | None = None
    source_profile_uri: str | None = None
    """The source profile the input is read with (s3:// or a local path); None: the contract's header matching."""
