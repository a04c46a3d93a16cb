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


def number_product_occurrences(rows: DataFrame, eligible: Column) -> DataFrame:
    """line_key `product_occurrence` (docs/data-contract.md, Source profiles): on the `eligible` rows, the
    n-th occurrence (n ≥ 2) of a product within its order gets line_key `<product_id>#<n>`; the first
    keeps the product id.

    Occurrences are counted in file order after rule 1 (identical rows collapse to the last copy), so
    every copy of one row gets the number of the copy that survives, and rule 1 still drops the others.
    """
    identical = Window.partitionBy(*[column for column in CLEAN_COLUMNS if column != "line_key"])
    eligible_line = F.when(eligible, F.col("source_line"))
    same_product = Window.partitionBy(eligible, "order_id", "product_id").orderBy("_last_identical")
    occurrence = F.dense_rank().over(same_product)
    return (
        rows.withColumn("_last_identical", F.max(eligible_line).over(identical))
        .withColumn(
            "line_key",
            F.when(eligible & (occurrence > 1), F.concat_ws("#", "product_id", occurrence.cast("string"))).otherwise(
                F.col("line_key")
            ),
        )
        .drop("_last_identical")
    )
