"""Reads a run's outputs back for assertions."""

from pathlib import Path

import pyarrow.dataset as ds


def clean_rows(output: Path, run_id: str = "test-run") -> list[dict]:
    folder = output / "cleaned" / "sales" / f"run_id={run_id}"
    if not folder.exists():
        return []
    rows = ds.dataset(str(folder), format="parquet", partitioning="hive").to_table().to_pylist()
    return sorted(rows, key=lambda row: row["source_line"])


def rejected_rows(output: Path, run_id: str = "test-run") -> list[dict]:
    folder = output / "rejected" / f"run_id={run_id}"
    if not folder.exists():
        return []
    rows = ds.dataset(str(folder), format="parquet").to_table().to_pylist()
    return sorted(rows, key=lambda row: row["source_line"])
