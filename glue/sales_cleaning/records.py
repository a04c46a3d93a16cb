"""From physical lines to CSV records: line numbers, RFC 4180 quote parity, strict field splitting.

A record continues on the next line while its count of `"` is odd. Line numbers and parity need
a running total over the whole file; it is computed per partition (windows partitioned by
spark_partition_id) plus small per-partition offsets computed in the driver, so no step moves
the whole file into one partition.
"""

from __future__ import annotations

import re

from pyspark.sql import Column, DataFrame, Window
from pyspark.sql import functions as F

# One RFC 4180 field: quoted (with "" escapes, line breaks allowed) or unquoted (no quote, comma, line break).
# Possessive quantifiers keep the Java regex linear on hostile input.
FIELD = r'(?:"(?:[^"]|"")*+"|[^",\n]*+)'
WELL_FORMED_RECORD = rf"^{FIELD}(?:,{FIELD})*+$"
# Matched against "," + record, so every match consumes its comma: a leading empty field is not skipped
# the way a zero-length match at the start would be.
FIELD_AFTER_COMMA = r',("(?:[^"]|"")*+"|[^",\n]*+)'

_PY_FIELD_AFTER_COMMA = re.compile(r',("(?:[^"]|"")*"|[^",\n]*)')


def quote_count(value: Column) -> Column:
    return F.length(value) - F.length(F.translate(value, '"', ""))


def physical_lines(text_lines: DataFrame) -> DataFrame:
    """Lines as read with `\\n` as the only separator: the CR of a CRLF dropped, and invalid UTF-8
    replaced by U+FFFD (`invalid_utf8` = 1 on the lines that had some).

    Spark keeps the file's bytes as they are; a round trip through Java strings turns each
    invalid byte into U+FFFD, so every later step sees valid text.
    """
    value = F.col("value")
    without_cr = F.when(value.endswith("\r"), F.expr("substring(value, 1, length(value) - 1)")).otherwise(value)
    repaired = F.decode(F.encode(without_cr, "UTF-8"), "UTF-8")
    return text_lines.select(repaired.alias("value"), (repaired != without_cr).cast("int").alias("invalid_utf8"))


def partition_stats(lines: DataFrame) -> list[tuple[int, int, int]]:
    """(partition id, line count, quote count) of every partition: the only driver-side pass."""
    rows = (
        lines.withColumn("_pid", F.spark_partition_id())
        .groupBy("_pid")
        .agg(F.count(F.lit(1)).alias("lines"), F.sum(quote_count(F.col("value"))).alias("quotes"))
        .collect()
    )
    return sorted((row["_pid"], row["lines"], row["quotes"] or 0) for row in rows)


def partition_offsets(stats: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """(partition id, lines before it, quotes before it): prefix sums over the partitions in file order."""
    offsets, lines_before, quotes_before = [], 0, 0
    for pid, lines, quotes in stats:
        offsets.append((pid, lines_before, quotes_before))
        lines_before += lines
        quotes_before += quotes
    return offsets


def number_lines(lines: DataFrame, offsets: list[tuple[int, int, int]]) -> DataFrame:
    """Adds `line` (1-based physical line number), `quotes` and `continues` (inside a quoted field)."""
    spark = lines.sparkSession
    offsets_df = spark.createDataFrame(offsets or [(0, 0, 0)], "_pid int, lines_before long, quotes_before long")
    in_partition = Window.partitionBy("_pid").orderBy("_mid")
    before = in_partition.rowsBetween(Window.unboundedPreceding, -1)
    return (
        lines.withColumn("_pid", F.spark_partition_id())
        .withColumn("_mid", F.monotonically_increasing_id())
        .withColumn("quotes", quote_count(F.col("value")))
        .join(F.broadcast(offsets_df), "_pid")
        .withColumn("line", F.col("lines_before") + F.row_number().over(in_partition))
        .withColumn("quotes_before", F.col("quotes_before") + F.coalesce(F.sum("quotes").over(before), F.lit(0)))
        .withColumn("continues", (F.col("quotes_before") % 2) == 1)
        .withColumn(
            "start_in_partition",
            F.max(F.when(~F.col("continues"), F.col("line"))).over(
                in_partition.rowsBetween(Window.unboundedPreceding, 0)
            ),
        )
        .select("_pid", "line", "value", "invalid_utf8", "quotes", "continues", "start_in_partition")
    )


def record_start_carry(numbered: DataFrame) -> list[tuple[int, int]]:
    """(partition id, last record start before it): for records that span a partition boundary."""
    rows = numbered.groupBy("_pid").agg(F.max(F.when(~F.col("continues"), F.col("line"))).alias("last_start")).collect()
    carry, last = [], 0
    for pid, start in sorted((row["_pid"], row["last_start"]) for row in rows):
        carry.append((pid, last))
        if start is not None:
            last = start
    return carry


def assemble_records(numbered: DataFrame, carry: list[tuple[int, int]]) -> DataFrame:
    """One row per record: `source_line` (its first line), `record` (lines joined by \\n), `is_blank`
    (empty or whitespace only) and `invalid_utf8`.

    Single-line records (the common case) pass straight through; only records spanning several
    lines are grouped.
    """
    spark = numbered.sparkSession
    carry_df = spark.createDataFrame(carry or [(0, 0)], "_pid int, carried_start long")
    with_start = numbered.join(F.broadcast(carry_df), "_pid").withColumn(
        "start", F.coalesce(F.col("start_in_partition"), F.col("carried_start"))
    )
    single = (~F.col("continues")) & (F.col("quotes") % 2 == 0)
    one_line = with_start.where(single).select(
        F.col("line").alias("source_line"), F.col("value").alias("record"), "invalid_utf8"
    )
    several_lines = (
        with_start.where(~single)
        .groupBy("start")
        .agg(
            F.array_sort(F.collect_list(F.struct("line", "value"))).alias("parts"),
            F.max("invalid_utf8").alias("invalid_utf8"),
        )
        .select(
            F.col("start").alias("source_line"),
            F.concat_ws("\n", F.transform("parts", lambda part: part["value"])).alias("record"),
            "invalid_utf8",
        )
    )
    return one_line.unionByName(several_lines).withColumn("is_blank", F.col("record").rlike(r"^\s*+$"))


def split_fields(records: DataFrame) -> DataFrame:
    """Adds `well_formed` (strict RFC 4180 shape) and `fields` (unquoted values) to each record."""
    raw_fields = F.regexp_extract_all(F.concat(F.lit(","), F.col("record")), F.lit(FIELD_AFTER_COMMA), 1)
    unquoted = F.transform(
        raw_fields,
        lambda field: F.when(
            field.startswith('"'),
            F.regexp_replace(field.substr(F.lit(2), F.length(field) - 2), '""', '"'),
        ).otherwise(field),
    )
    well_formed = F.col("record").rlike(WELL_FORMED_RECORD)
    return records.withColumn("well_formed", well_formed).withColumn("fields", F.when(well_formed, unquoted))


def split_header(text: str) -> list[str] | None:
    """Fields of a header line (driver side); None when it is not a well-formed record."""
    if not re.fullmatch(r'(?:"(?:[^"]|"")*"|[^",\n]*)(?:,(?:"(?:[^"]|"")*"|[^",\n]*))*', text):
        return None
    values = []
    for match in _PY_FIELD_AFTER_COMMA.finditer("," + text):
        value = match.group(1)
        values.append(value[1:-1].replace('""', '"') if value.startswith('"') else value)
    return values


def first_record(text: str) -> str:
    """The first record of a file's opening text (quote-aware), without its line terminator."""
    inside = False
    for index, char in enumerate(text):
        if char == '"':
            inside = not inside
        elif char in "\r\n" and not inside:
            return text[:index]
    return text
