"""From physical lines to CSV records: line numbers, RFC 4180 quote parity within a bounded record,
strict field splitting.

A record continues on the next line while its count of `"` is odd, for at most MAX_RECORD_LINES
physical lines and MAX_RECORD_BYTES bytes. A record that cannot close within those bounds (a stray
quote such as `Monitor 27"`) ends after its first line, which is then malformed, and the next line
starts a new record: one bad line costs one row, never the rest of the file.

Only lines with an odd count of `"` can open or close a multi-line record, so the records that span
several lines are found from those lines alone; line numbers and byte offsets are computed per
partition (windows partitioned by spark_partition_id) plus small per-partition offsets computed in
the driver, so no step moves the whole file into one partition.
"""

from __future__ import annotations

import re

from pyspark.sql import Column, DataFrame, Window
from pyspark.sql import functions as F

MAX_RECORD_LINES = 100
"""Physical lines one record may span."""
MAX_RECORD_BYTES = 1024 * 1024
"""UTF-8 bytes one record may hold, its line breaks (`\\n`) included."""

# One RFC 4180 field: quoted (with "" escapes, line breaks allowed) or unquoted (no quote, delimiter, line
# break). Possessive quantifiers keep the Java regex linear on hostile input; `\z`, not `$`, which would also
# match before a final line terminator and accept `a,"b"<CR>` as two fields. Every pattern takes the
# delimiter (`,` `;` `\t` `|`), escaped.


def _field(delimiter: str, possessive: bool = True) -> str:
    plus = "+" if possessive else ""
    return rf'(?:"(?:[^"]|"")*{plus}"|[^"{re.escape(delimiter)}\n]*{plus})'


def well_formed_record(delimiter: str = ",") -> str:
    field = _field(delimiter)
    return rf"^{field}(?:{re.escape(delimiter)}{field})*+\z"


def field_after_delimiter(delimiter: str = ",") -> str:
    """Matched against delimiter + record, so every match consumes its delimiter: a leading empty field
    is not skipped the way a zero-length match at the start would be."""
    escaped = re.escape(delimiter)
    return rf'{escaped}("(?:[^"]|"")*+"|[^"{escaped}\n]*+)'


def quote_count(value: Column) -> Column:
    # `"` is one byte in UTF-8: byte lengths count it without walking the characters.
    return F.octet_length(value) - F.octet_length(F.replace(value, F.lit('"'), F.lit("")))


def physical_lines(text_lines: DataFrame) -> DataFrame:
    """Lines as read with `\\n` as the only separator: the CR of a CRLF dropped, and invalid UTF-8
    replaced by U+FFFD (`invalid_utf8` = 1 on the lines that had some).

    Spark keeps the file's bytes as they are; a round trip through Java strings turns each
    invalid byte into U+FFFD, so every later step sees valid text.
    """
    value = F.col("value")
    repaired = F.decode(F.encode(value, "UTF-8"), "UTF-8")
    # The CR goes after the repair: Spark counts characters by their lead byte, so on raw bytes an invalid
    # lead byte before the CR would take the CR for its continuation, and both would be cut.
    without_cr = F.regexp_replace(repaired, r"\r\z", "")
    return text_lines.select(without_cr.alias("value"), (repaired != value).cast("int").alias("invalid_utf8"))


def _bytes_with_break(value: Column) -> Column:
    return F.octet_length(value) + 1


def partition_stats(lines: DataFrame) -> list[tuple[int, int, int]]:
    """(partition id, line count, bytes with line breaks) of every partition: the only driver-side pass."""
    rows = (
        lines.withColumn("_pid", F.spark_partition_id())
        .groupBy("_pid")
        .agg(F.count(F.lit(1)).alias("lines"), F.sum(_bytes_with_break(F.col("value"))).alias("bytes"))
        .collect()
    )
    return sorted((row["_pid"], row["lines"], row["bytes"] or 0) for row in rows)


def partition_offsets(stats: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """(partition id, lines before it, bytes before it): prefix sums over the partitions in file order."""
    offsets, lines_before, bytes_before = [], 0, 0
    for pid, lines, size in stats:
        offsets.append((pid, lines_before, bytes_before))
        lines_before += lines
        bytes_before += size
    return offsets


def number_lines(lines: DataFrame, offsets: list[tuple[int, int, int]]) -> DataFrame:
    """Adds `line` (1-based physical line number), `offset` (bytes of the file before the line, as
    the job holds it), `bytes` (the line's own) and `odd_quotes` (its count of `"` is odd)."""
    spark = lines.sparkSession
    offsets_df = spark.createDataFrame(offsets or [(0, 0, 0)], "_pid int, lines_before long, bytes_before long")
    in_partition = Window.partitionBy("_pid").orderBy("_mid")
    before = in_partition.rowsBetween(Window.unboundedPreceding, -1)
    return (
        lines.withColumn("_pid", F.spark_partition_id())
        .withColumn("_mid", F.monotonically_increasing_id())
        .withColumn("bytes", F.octet_length("value").cast("long"))
        .join(F.broadcast(offsets_df), "_pid")
        .withColumn("line", F.col("lines_before") + F.row_number().over(in_partition))
        .withColumn(
            "offset",
            F.col("bytes_before") + F.coalesce(F.sum(F.col("bytes") + 1).over(before), F.lit(0)).cast("long"),
        )
        .withColumn("odd_quotes", quote_count(F.col("value")) % 2 == 1)
        .select("line", "value", "invalid_utf8", "offset", "bytes", "odd_quotes")
    )


def record_spans(numbered: DataFrame) -> DataFrame:
    """`start`, `end`: the first and last line of every record that spans several lines.

    Such a record opens on a line with an odd count of `"` and closes on the next such line, if
    that comes within the bounds. Reading the file in order, each odd line either closes with the
    next one or stands alone, so along a run of odd lines that each could close with the next, the
    first pairs with the second, the third with the fourth, and so on. The lines are few (two per
    quoted line break, one per stray quote), so one ordered window over them is cheap.
    """
    in_file = Window.orderBy("line")
    odd = (
        numbered.where("odd_quotes")
        .select("line", "offset", "bytes")
        .withColumn("next_line", F.lead("line").over(in_file))
        .withColumn("next_end", F.lead(F.col("offset") + F.col("bytes")).over(in_file))
        .withColumn(
            "closes",
            F.coalesce(
                (F.col("next_line") - F.col("line") < MAX_RECORD_LINES)
                & (F.col("next_end") - F.col("offset") <= MAX_RECORD_BYTES),
                F.lit(False),
            ),
        )
    )
    runs = odd.withColumn(
        "run",
        F.sum(F.coalesce(~F.lag("closes").over(in_file), F.lit(True)).cast("int")).over(
            in_file.rowsBetween(Window.unboundedPreceding, 0)
        ),
    )
    position = F.row_number().over(Window.partitionBy("run").orderBy("line")) - 1
    return (
        runs.withColumn("position", position)
        .where(F.col("closes") & (F.col("position") % 2 == 0))
        .select(F.col("line").alias("start"), F.col("next_line").alias("end"))
    )


def assemble_records(numbered: DataFrame, spans: DataFrame) -> DataFrame:
    """One row per record: `source_line` (its first line), `record` (lines joined by \\n), `is_blank`
    (empty or whitespace only) and `invalid_utf8`.

    Single-line records (the common case) pass straight through; only records spanning several
    lines are grouped.
    """
    members = spans.select(F.explode(F.sequence("start", "end")).alias("line"), "start")
    # Broadcast: two longs per line of a multi-line record, where a shuffle would move every line of the file.
    lines = numbered.join(F.broadcast(members), "line", "left")
    one_line = lines.where(F.col("start").isNull()).select(
        F.col("line").alias("source_line"), F.col("value").alias("record"), "invalid_utf8"
    )
    several_lines = (
        lines.where(F.col("start").isNotNull())
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
    return one_line.unionByName(several_lines).withColumn("is_blank", F.col("record").rlike(r"^\s*+\z"))


def split_fields(records: DataFrame, delimiter: str = ",") -> DataFrame:
    """Adds `well_formed` (strict RFC 4180 shape, within MAX_RECORD_BYTES) and `fields` (unquoted values)."""
    raw_fields = F.regexp_extract_all(
        F.concat(F.lit(delimiter), F.col("record")), F.lit(field_after_delimiter(delimiter)), 1
    )
    unquoted = F.transform(
        raw_fields,
        lambda field: F.when(
            field.startswith('"'),
            F.regexp_replace(field.substr(F.lit(2), F.length(field) - 2), '""', '"'),
        ).otherwise(field),
    )
    well_formed = (F.octet_length("record") <= MAX_RECORD_BYTES) & F.col("record").rlike(well_formed_record(delimiter))
    return records.withColumn("well_formed", well_formed).withColumn("fields", F.when(well_formed, unquoted))


def split_header(text: str, delimiter: str = ",") -> list[str] | None:
    """Fields of a header line (driver side); None when it is not a well-formed record."""
    field, escaped = _field(delimiter, possessive=False), re.escape(delimiter)
    if not re.fullmatch(rf"{field}(?:{escaped}{field})*", text):
        return None
    values = []
    for match in re.finditer(rf'{escaped}("(?:[^"]|"")*"|[^"{escaped}\n]*)', delimiter + text):
        value = match.group(1)
        values.append(value[1:-1].replace('""', '"') if value.startswith('"') else value)
    return values


def first_record(text: str) -> str:
    """The first record of a file's opening text, without its line terminator.

    Quote-aware within MAX_RECORD_LINES, as the job assembles every record: when the quotes of the
    first line do not close in time, the record is that line alone. (The job reads the header from
    the file's first 64 KiB, well within MAX_RECORD_BYTES.)
    """
    inside, lines = False, 1
    for index, char in enumerate(text):
        if char == '"':
            inside = not inside
        elif char in "\r\n" and not inside:
            return text[:index]
        elif char == "\n":
            lines += 1
            if lines > MAX_RECORD_LINES:
                break
    return re.split(r"[\r\n]", text, maxsplit=1)[0] if inside else text
