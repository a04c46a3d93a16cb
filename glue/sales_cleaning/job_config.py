"""What one run of the job works on: its input, its output folder, its id and its date."""

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
