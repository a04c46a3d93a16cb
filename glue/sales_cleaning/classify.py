"""Records → every record's outcome: the pure transform at the heart of the job."""

from __future__ import annotations

import datetime as dt

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from . import records as rec
from .clean import clean_fields
from .duplicates import classify_duplicates, number_product_occurrences
from .header import HeaderMapping
from .profile import CONTRACT_FORMAT, SourceProfile


def classify(
    records: DataFrame, mapping: HeaderMapping, run_date: dt.date, profile: SourceProfile = CONTRACT_FORMAT
) -> DataFrame:
    """Every data record (header excluded) with its clean columns, `reasons` and `outcome`:
    `clean`, `rejected`, `duplicate_dropped` or `blank` (a blank line, not a record)."""
    split = rec.split_fields(records, profile.delimiter)
    well_formed = F.col("well_formed") & (F.size("fields") == mapping.field_count)
    cleaned = clean_fields(
        split.withColumn("well_formed", well_formed).withColumn("fields", F.when(well_formed, F.col("fields"))),
        mapping,
        run_date,
        profile,
    )
    validated = cleaned.drop("fields").withColumn(
        "reasons",
        F.when(F.col("is_blank"), F.array().cast("array<string>"))
        # A NUL is not text: no value of the record can be trusted, and Redshift could store none of them.
        .when(F.col("record").contains("\u0000"), F.array(F.lit("invalid_characters")))
        .when(~F.col("well_formed"), F.array(F.lit("malformed_record")))
        .otherwise(F.col("reasons")),
    )
    eligible = ~F.col("is_blank") & (F.size("reasons") == 0)
    if mapping.numbers_product_occurrences:
        validated = number_product_occurrences(validated, eligible)
    resolved = classify_duplicates(validated, eligible)
    duplicate = F.col("duplicate")
    return resolved.withColumns(
        {
            "reasons": F.when(duplicate == "duplicate_order_line", F.array(F.lit("duplicate_order_line"))).otherwise(
                F.col("reasons")
            ),
            "outcome": F.when(F.col("is_blank"), F.lit("blank"))
            .when(duplicate == "duplicate_dropped", F.lit("duplicate_dropped"))
            .when(duplicate == "none", F.lit("clean"))
            .otherwise(F.lit("rejected")),
        }
    ).drop("duplicate", "well_formed")
