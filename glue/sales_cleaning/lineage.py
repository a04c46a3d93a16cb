"""Lineage columns: where each row came from and which run wrote it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pyspark.sql import DataFrame
from pyspark.sql import functions as F


@dataclass(frozen=True)
class Lineage:
    source_uri: str
    source_version: str | None
    source_modified_at: dt.datetime
    run_id: str


def with_lineage(rows: DataFrame, lineage: Lineage) -> DataFrame:
    """Adds the run's lineage to rows that already carry their `source_line`."""
    return rows.withColumns(
        {
            "source_uri": F.lit(lineage.source_uri),
            "source_version": F.lit(lineage.source_version).cast("string"),
            # An aware datetime converts to its instant; a naive one would be read in the local time zone.
            "source_modified_at": F.lit(lineage.source_modified_at.astimezone(dt.UTC)).cast("timestamp"),
            "source_line": F.col("source_line").cast("bigint"),
            "run_id": F.lit(lineage.run_id),
        }
    )
