"""Property tests (hypothesis): the record splitter and the value parsers on generated input, against
small Python models of the rules in docs/data-contract.md.

Each generated case runs Spark, so the cases are few and each batches many values; the bounds keep the
whole file within a few tens of seconds on a laptop.
"""

import contextlib
import datetime as dt
import re
from decimal import Decimal

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pyspark.sql import functions as F

from conftest import RUN_DATE
from sales_cleaning import records as rec
from sales_cleaning import run_outputs, values
from sales_cleaning.classify import classify
from sales_cleaning.header import map_header

HEADER = "order_id,order_date,customer_id,product_id,quantity,unit_price"
# Spark runs in every case: no per-case deadline, no example database written into the work tree.
SPARK_CASES = settings(deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# Characters that matter to CSV and to the parsers, and some that only look like them.
TRICKY = [
    '"',
    ",",
    "\n",
    "\r",
    " ",
    "\t",
    "\x00",
    "\x0b",
    "\x0c",
    "\u00a0",
    "\u0085",
    "\u2028",
    "\ufeff",
    "\ufffd",
    "é",
    "€",
    "😀",
    "٣",
    "１",
    "$",
    "%",
    ".",
    "-",
    "+",
    "0",
    "1",
    "9",
    "a",
    "Z",
]
tricky_text = st.text(alphabet=st.sampled_from(TRICKY) | st.characters(codec="utf-8"), max_size=12)


def near(texts):
    """Texts of a strategy, some with one tricky character after them: where the edge cases are."""
    return st.tuples(texts, st.sampled_from(["", "", *TRICKY])).map(lambda pair: pair[0] + pair[1])


def column_values(spark, parser, texts):
    frame = spark.createDataFrame([(text,) for text in texts], "value string")
    return [row[0] for row in frame.select(parser(values.trim(F.col("value")))).collect()]


# ---------------------------------------------------------------- record splitter


def render_field(value: str, quote: bool) -> str:
    if quote or any(char in value for char in ',"\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


@st.composite
def records(draw):
    """Records written by a CSV writer from random fields, and random text that may be anything."""
    written = st.lists(st.tuples(tricky_text, st.booleans()), min_size=1, max_size=6).map(
        lambda fields: (",".join(render_field(value, quote) for value, quote in fields), [value for value, _ in fields])
    )
    # A character after what the writer wrote: the fields no longer come back as written.
    disturbed = st.tuples(written, st.sampled_from(TRICKY)).map(lambda pair: (pair[0][0] + pair[1], None))
    anything = tricky_text.map(lambda text: (text, None))
    return draw(st.lists(written | disturbed | anything, min_size=1, max_size=25))


@settings(SPARK_CASES, max_examples=40)
@given(cases=records())
# Found by this test: Java's `$` matched before a final line terminator, so these were two fields.
@example(cases=[('a,"b"\r', None), ('a,"b"\u2028', None), ('a,"b"\u0085', None), ("\n", None)])
def test_the_field_splitter_gives_back_every_written_field_and_agrees_with_the_header_splitter(spark, cases):
    frame = spark.createDataFrame([(record,) for record, _ in cases], "record string")
    split = rec.split_fields(frame).collect()
    for (record, fields), row in zip(cases, split, strict=True):
        if fields is not None:
            assert (row["well_formed"], row["fields"]) == (True, fields), record
        # The driver splits the header by the same rule.
        reference = rec.split_header(record)
        assert (row["well_formed"], row["fields"]) == (reference is not None, reference), record


# ---------------------------------------------------------------- files: lines, records, outcomes

WHITESPACE = values.WHITESPACE


def reference_records(data: bytes, max_lines: int) -> list[tuple[int, str]]:
    """The contract's record rule, read sequentially: (first line, record text) of every record."""
    raw_lines = data.split(b"\n")
    if raw_lines and raw_lines[-1] == b"":
        raw_lines.pop()
    lines = [line.removesuffix(b"\r").decode("utf-8", errors="replace") for line in raw_lines]
    found, index = [], 0
    while index < len(lines):
        if lines[index].count('"') % 2 == 0:
            found.append((index + 1, lines[index]))
            index += 1
            continue
        end = next((later for later in range(index + 1, len(lines)) if lines[later].count('"') % 2 == 1), None)
        text = "\n".join(lines[index : (end or index) + 1])
        if end is not None and end - index < max_lines and len(text.encode()) <= rec.MAX_RECORD_BYTES:
            found.append((index + 1, text))
            index = end + 1
        else:
            found.append((index + 1, lines[index]))
            index += 1
    return found


def one_replacement_per_run(text: str) -> str:
    # Java and Python agree on where invalid UTF-8 is, not on how many U+FFFD replace it.
    return re.sub("\ufffd+", "\ufffd", text)


@st.composite
def sales_files(draw):
    """A header, then valid rows (quoted at random), rows with stray quotes, junk text and junk bytes,
    with LF or CRLF and quoted line breaks."""
    valid_row = st.builds(
        lambda order, date, quantity, price, quote: ",".join(
            render_field(value, quote) for value in [order, date, "C1", "P" + order, quantity, price]
        ),
        st.from_regex(r"O[0-9]{1,3}", fullmatch=True),
        st.sampled_from(["2024-01-05", "01/05/2024", "05-Jan-2024", "January 5, 2024", "20240105", "bad"]),
        st.sampled_from(["1", " 2 ", "3.0", "0", "-1", "x"]),
        st.sampled_from(["2.00", "$1,299.00", "USD 5", "-1", "abc", "1\n2"]),
        st.booleans(),
    )
    text_row = st.one_of(valid_row, valid_row.map(lambda row: row + '"'), tricky_text)
    rows = draw(st.lists(text_row.map(lambda row: row.encode()) | st.binary(max_size=8), max_size=30))
    ending = draw(st.sampled_from([b"\n", b"\r\n"]))
    final = draw(st.sampled_from([ending, b""]))
    return HEADER.encode() + ending + ending.join(rows) + (final if rows else b"")


@contextlib.contextmanager
def small_partitions(spark):
    """Splits even a small file into several partitions, so records cross partition boundaries."""
    keys = ["spark.sql.files.maxPartitionBytes", "spark.sql.files.openCostInBytes"]
    before = {key: spark.conf.get(key) for key in keys}
    for key in keys:
        spark.conf.set(key, "256b")
    try:
        yield
    finally:
        for key, value in before.items():
            spark.conf.set(key, value)


@settings(SPARK_CASES, max_examples=8)
@given(data=sales_files(), max_lines=st.sampled_from([2, 3, rec.MAX_RECORD_LINES]))
# Found by this test: an invalid lead byte before a CRLF's CR was cut together with the CR.
@example(data=HEADER.encode() + b"\r\nO1,2024-01-05,C1,P1,1,2.00\xc3\r\n\xed\r\n", max_lines=2)
def test_every_line_of_a_file_lands_in_one_record_and_every_record_in_one_outcome(
    spark, tmp_path_factory, monkeypatch, data, max_lines
):
    monkeypatch.setattr(rec, "MAX_RECORD_LINES", max_lines)
    path = tmp_path_factory.mktemp("property") / "sales.csv"
    path.write_bytes(data)
    with small_partitions(spark):
        lines = rec.physical_lines(spark.read.text(str(path), lineSep="\n"))
        numbered = rec.number_lines(lines, rec.partition_offsets(rec.partition_stats(lines)))
        records = rec.assemble_records(numbered, rec.record_spans(numbered)).where(F.col("source_line") > 1)
        classified = classify(records, map_header(HEADER.split(",")), RUN_DATE).persist()
        outcomes = sorted(
            classified.select("source_line", "record", "outcome", "reasons").collect(), key=lambda row: row[0]
        )
        summary = run_outputs.summary(classified).first()
        classified.unpersist()
    expected = [(line, one_replacement_per_run(text)) for line, text in reference_records(data, max_lines)]
    assert [(row["source_line"], one_replacement_per_run(row["record"])) for row in outcomes] == expected[1:]
    read = int(summary["rows_read"] or 0)
    assert read == int(summary["rows_clean"] or 0) + int(summary["rows_rejected"] or 0) + int(
        summary["duplicates_dropped"] or 0
    )
    assert read == sum(row["outcome"] != "blank" for row in outcomes)
    for row in outcomes:
        assert (row["outcome"] == "rejected") == (len(row["reasons"]) > 0), row
        if "\x00" in row["record"]:
            assert (row["outcome"], row["reasons"]) == ("rejected", ["invalid_characters"]), row
        if row["outcome"] == "blank":
            assert row["record"].strip(WHITESPACE) == "", row


# ---------------------------------------------------------------- value parsers

DIGITS = "[0-9]"
PRICE_PREFIX = re.compile(r"^(US\$|USD|\$) ?", re.IGNORECASE)


def reference_price(text: str) -> Decimal | None:
    number = PRICE_PREFIX.sub("", text.strip(WHITESPACE), count=1)
    grouped = re.fullmatch(rf"-?{DIGITS}{{1,3}}(,{DIGITS}{{3}})+(\.{DIGITS}+)?", number)
    if not (grouped or re.fullmatch(rf"-?{DIGITS}+(\.{DIGITS}+)?", number)):
        return None
    return Decimal(number.replace(",", ""))


def reference_quantity(text: str) -> Decimal | None:
    trimmed = text.strip(WHITESPACE)
    return Decimal(re.sub(r"\.0+$", "", trimmed)) if re.fullmatch(rf"[+-]?{DIGITS}+(\.0+)?", trimmed) else None


def reference_discount(text: str) -> Decimal | None:
    trimmed = text.strip(WHITESPACE)
    percent = re.fullmatch(rf"([+-]?{DIGITS}+(\.{DIGITS}+)?) ?%", trimmed)
    if percent:
        return Decimal(percent.group(1)) / 100
    return Decimal(trimmed) if re.fullmatch(rf"[+-]?{DIGITS}+(\.{DIGITS}+)?", trimmed) else None


number_text = st.text(alphabet=st.sampled_from([*"0123456789", *"0123456789", ",", ".", "-", "+", "$", "%", " "]))
number_text = near(
    st.one_of(number_text, st.from_regex(r"(US\$|USD|\$)? ?-?[0-9]{1,8}(\.[0-9]{1,6})?%?", fullmatch=True))
)
money = st.decimals(min_value=-99_999_999, max_value=99_999_999, places=4, allow_nan=False, allow_infinity=False)


def price_forms(amount: Decimal) -> list[str]:
    plain = f"{amount:f}"
    grouped = f"{amount:,f}"
    return [plain, grouped, f"${plain}", f"US$ {grouped}", f"usd {plain}", f" \t{plain}\u000b "]


@settings(SPARK_CASES, max_examples=25)
@given(amounts=st.lists(money, min_size=1, max_size=10), texts=st.lists(number_text | tricky_text, max_size=30))
def test_a_price_parses_to_exactly_the_number_written_or_not_at_all(spark, amounts, texts):
    written = [form for amount in amounts for form in price_forms(amount)]
    parsed = column_values(spark, values.parse_price, written + texts)
    assert parsed[: len(written)] == [amount for amount in amounts for _ in price_forms(amount)]
    for text, value in zip(texts, parsed[len(written) :], strict=True):
        assert value == reference_price(text), repr(text)


@settings(SPARK_CASES, max_examples=25)
@given(texts=st.lists(number_text | tricky_text, min_size=1, max_size=40))
# The same `$` read `15%<U+2028>` as 15 %.
@example(texts=["15%\u2028", "0.5\u0085", "3\u2028", "3\r"])
# Found by this test: a possessive `0++` kept every zero of `000…0`, which then saturated as too many digits.
@example(texts=["0" * 20, "0" * 21 + ".5", "-" + "0" * 20 + "%"])
def test_quantities_and_discounts_parse_to_exactly_the_number_written_or_not_at_all(spark, texts):
    frame = spark.createDataFrame([(text,) for text in texts], "value string")
    trimmed = values.trim(F.col("value"))
    rows = frame.select(values.parse_quantity(trimmed), values.parse_discount(trimmed)).collect()
    for text, (quantity, discount) in zip(texts, rows, strict=True):
        assert quantity == reference_quantity(text), repr(text)
        assert discount == reference_discount(text), repr(text)


MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]  # fmt: skip


def date_forms(day: dt.date, upper: bool) -> list[str]:
    month = MONTHS[day.month - 1]
    short = month[:3].upper() if upper else month[:3].lower()
    return [
        f"{day:%Y-%m-%d}",
        f"{day:%Y-%m-%d}T23:59:59Z",
        f"{day:%Y-%m-%d} 00:00:00",
        f"{day.month}/{day.day}/{day:%Y}",
        f"{day:%m/%d/%Y}",
        f"{day:%Y/%m/%d}",
        f"{day:%d}-{short}-{day:%Y}",
        f"{month.upper() if upper else month} {day.day}, {day:%Y}",
        f"{day:%Y%m%d}",
    ]


def reference_date(text: str) -> dt.date | None:
    trimmed = text.strip(WHITESPACE)
    time = "([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]"
    forms = [
        (rf"({DIGITS}{{4}})-({DIGITS}{{2}})-({DIGITS}{{2}})(T{time}Z?| {time})?", lambda m: (m[1], m[2], m[3])),
        (rf"({DIGITS}{{1,2}})/({DIGITS}{{1,2}})/({DIGITS}{{4}})", lambda m: (m[3], m[1], m[2])),
        (rf"({DIGITS}{{4}})/({DIGITS}{{2}})/({DIGITS}{{2}})", lambda m: (m[1], m[2], m[3])),
        (rf"({DIGITS}{{4}})({DIGITS}{{2}})({DIGITS}{{2}})", lambda m: (m[1], m[2], m[3])),
    ]
    for pattern, parts in forms:
        if match := re.fullmatch(pattern, trimmed):
            year, month, day = (int(part) for part in parts(match))
            break
    else:
        named = re.fullmatch(rf"({DIGITS}{{2}})-([A-Za-z]{{3}})-({DIGITS}{{4}})", trimmed)
        full = re.fullmatch(rf"([A-Za-z]+) ({DIGITS}{{1,2}}), ({DIGITS}{{4}})", trimmed)
        abbreviations = [month[:3].lower() for month in MONTHS]
        if named and named[2].lower() in abbreviations:
            year, month, day = int(named[3]), abbreviations.index(named[2].lower()) + 1, int(named[1])
        elif full and full[1].capitalize() in MONTHS:
            year, month, day = int(full[3]), MONTHS.index(full[1].capitalize()) + 1, int(full[2])
        else:
            return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


date_text = st.text(alphabet=st.sampled_from([*"0123456789", *"0123456789", "-", "/", ":", "T", "Z", " ", ","]))
date_text = near(
    st.one_of(
        date_text,
        st.from_regex(r"[0-9]{1,4}[-/][0-9]{1,2}[-/][0-9]{1,4}( [0-9]{2}:[0-9]{2}:[0-9]{2})?", fullmatch=True),
        st.from_regex(r"[0-9]{2}-[A-Za-z]{3}-[0-9]{4}|[A-Za-z]{3,9} [0-9]{1,2}, [0-9]{4}|[0-9]{8}", fullmatch=True),
    )
)


@settings(SPARK_CASES, max_examples=25)
@given(
    days=st.lists(st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(9999, 12, 31)), min_size=1, max_size=5),
    upper=st.booleans(),
    texts=st.lists(date_text | tricky_text, max_size=30),
)
def test_a_date_parses_to_the_calendar_date_written_or_not_at_all(spark, days, upper, texts):
    written = [form for day in days for form in date_forms(day, upper)]
    parsed = column_values(spark, values.parse_date, written + texts)
    assert parsed[: len(written)] == [day for day in days for _ in date_forms(day, upper)]
    for text, value in zip(texts, parsed[len(written) :], strict=True):
        assert value == reference_date(text), repr(text)
