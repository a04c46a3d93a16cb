"""Reads a run's outputs back for assertions."""

from decimal import Decimal
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


def order_totals(rows: list[dict]) -> dict:
    """A truth file's `total` and `by_month` aggregates (docs/ground-truth.md) of clean rows: lines,
    distinct orders, units and revenue (exact, 2 decimals), by month sorted by key."""

    def totals(group: list[dict]) -> dict:
        revenue = sum((row["total_amount"] for row in group), Decimal("0"))
        return {
            "lines": len(group),
            "orders": len({row["order_id"] for row in group}),
            "units": sum(row["quantity"] for row in group),
            "revenue": f"{revenue:.2f}",
        }

    months = sorted({row["order_date"].strftime("%Y-%m") for row in rows})
    return {
        "total": totals(rows),
        "by_month": {
            month: totals([row for row in rows if row["order_date"].strftime("%Y-%m") == month]) for month in months
        },
    }
