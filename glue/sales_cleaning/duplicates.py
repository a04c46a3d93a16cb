"""Within-file duplicate rules (docs/data-contract.md "Duplicates") over rows that passed validation."""

from __future__ import annotations

from pyspark.sql import Column, DataFrame, Window
from pyspark.sql import functions as F

from .contract import CLEAN_COLUMNS, LINE_KEY_COLUMNS


def classify_duplicates(rows: DataFrame, eligible: Column) -> DataFrame:
    """Adds `duplicate` to the `eligible` rows (those that passed validation; null on the others):
    `duplicate_dropped` when an identical row (every clean column) comes later in the file,
    `duplicate_order_line` when a different row with the same line key comes later, else `none`.

    Deciding both against all later rows equals applying the rules one after the other: the last
    copy of any later row with the same key survives rule 1. The line-key window runs first, so the
    identical-row window (whose columns include the key) reuses its shuffle.
    """
    same_key = Window.partitionBy(*LINE_KEY_COLUMNS)
    identical = Window.partitionBy(
        *LINE_KEY_COLUMNS, *[column for column in CLEAN_COLUMNS if column not in LINE_KEY_COLUMNS]
    )
    eligible_line = F.when(eligible, F.col("source_line"))
    return (
        rows.withColumn("_last_of_key", F.max(eligible_line).over(same_key))
        .withColumn("_last_identical", F.max(eligible_line).over(identical))
        .withColumn(
            "duplicate",
            F.when(~eligible, F.lit(None).cast("string"))
            .when(F.col("source_line") < F.col("_last_identical"), F.lit("duplicate_dropped"))
            .when(F.col("source_line") < F.col("_last_of_key"), F.lit("duplicate_order_line"))
            .otherwise(F.lit("none")),
        )
        .drop("_last_of_key", "_last_identical")
    )
