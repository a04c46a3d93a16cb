"""Within-file duplicate rules (DESIGN 4.2) over rows that passed validation."""
from __future__ import annotations

from pyspark.sql import DataFrame, Window
from pyspark.sql import functions as F

from .clean import CLEAN_COLUMNS

KEY_COLUMNS = ["order_id", "line_key"]


def classify_duplicates(valid: DataFrame) -> DataFrame:
    """Adds `outcome`: `clean`, `duplicate_dropped` (an identical row appears later) or
    `duplicate_order_line` (a different row with the same line key appears later)."""
    identical = Window.partitionBy(*CLEAN_COLUMNS)
    same_key = Window.partitionBy(*KEY_COLUMNS)
    return valid.withColumn(
        "outcome",
        F.when(F.col("source_line") < F.max("source_line").over(identical), F.lit("duplicate_dropped"))
        .when(F.col("source_line") < F.max("source_line").over(same_key), F.lit("duplicate_order_line"))
        .otherwise(F.lit("clean")),
    )
