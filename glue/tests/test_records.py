"""Physical lines → records: exact line numbers, quote parity across partitions, strict field splitting."""

import pytest

from sales_cleaning import records as rec


def lines_frame(spark, lines, partitions):
    rdd = spark.sparkContext.parallelize([(line,) for line in lines], partitions)
    return rec.physical_lines(spark.createDataFrame(rdd, "value string"))


def assemble(spark, lines, partitions=1):
    numbered = rec.number_lines(
        frame := lines_frame(spark, lines, partitions), rec.partition_offsets(rec.partition_stats(frame))
    )
    rows = rec.assemble_records(numbered, rec.record_spans(numbered)).collect()
    return sorted((row["source_line"], row["record"], row["is_blank"]) for row in rows)


def test_each_line_is_a_record_numbered_from_one(spark):
    assert assemble(spark, ["h", "a", "b"]) == [(1, "h", False), (2, "a", False), (3, "b", False)]


def test_a_quoted_line_break_joins_lines_and_the_record_keeps_its_first_line_number(spark):
    assert assemble(spark, ["h", 'x,"one', 'two",y', "z"]) == [
        (1, "h", False),
        (2, 'x,"one\ntwo",y', False),
        (4, "z", False),
    ]


@pytest.mark.parametrize("partitions", [2, 3, 5])
def test_records_spanning_partition_boundaries_are_assembled_with_global_line_numbers(spark, partitions):
    lines = ["h", 'a,"1', "2", "3", '4"', "b", 'c,"x', 'y"', "d", "e"]
    assert assemble(spark, lines, partitions) == [
        (1, "h", False),
        (2, 'a,"1\n2\n3\n4"', False),
        (6, "b", False),
        (7, 'c,"x\ny"', False),
        (9, "d", False),
        (10, "e", False),
    ]


def test_a_stray_quote_makes_its_line_one_malformed_record_and_the_next_line_starts_a_new_one(spark):
    assert assemble(spark, ["h", 'O1,Monitor 27",x', "O2,a", "O3,b"]) == [
        (1, "h", False),
        (2, 'O1,Monitor 27",x', False),
        (3, "O2,a", False),
        (4, "O3,b", False),
    ]


@pytest.mark.parametrize("partitions", [1, 3])
def test_a_record_closes_on_its_last_allowed_line_but_not_one_line_later(spark, partitions):
    inner = ["x"] * (rec.MAX_RECORD_LINES - 2)
    closing_in_time = ["h", 'a,"1', *inner, '2"']
    assert assemble(spark, closing_in_time, partitions) == [
        (1, "h", False),
        (2, "\n".join(['a,"1', *inner, '2"']), False),
    ]
    too_late = ["h", 'a,"1', *inner, "x", '2"', "b"]
    assert assemble(spark, too_late, partitions) == [
        (1, "h", False),
        (2, 'a,"1', False),
        *[(line, "x", False) for line in range(3, rec.MAX_RECORD_LINES + 2)],
        (rec.MAX_RECORD_LINES + 2, '2"', False),
        (rec.MAX_RECORD_LINES + 3, "b", False),
    ]


def test_a_record_past_the_byte_bound_ends_after_its_first_line(spark):
    long = "y" * (rec.MAX_RECORD_BYTES - len('a,"1\n\n2"') + 1)
    assert [line for line, _, _ in assemble(spark, ["h", 'a,"1', long, '2"'])] == [1, 2, 3, 4]
    fits = long[:-1]
    assert [line for line, _, _ in assemble(spark, ["h", 'a,"1', fits, '2"'])] == [1, 2]


def test_odd_lines_pair_in_file_order_and_each_one_that_cannot_close_stands_alone(spark):
    far = rec.MAX_RECORD_LINES + 5
    lines = ["h", 'a"', 'b"', 'c"', *["x"] * far, 'd"', 'e"']
    starts = [line for line, _, _ in assemble(spark, lines, 2)]
    # 2+3 form a record, 4 cannot close before its bound, the two after the gap form one.
    assert starts == [1, 2, 4, *range(5, 5 + far), 5 + far]


def test_escaped_quotes_keep_the_parity_even(spark):
    assert assemble(spark, ["h", 'a,"say ""hi""",b', "c"]) == [
        (1, "h", False),
        (2, 'a,"say ""hi""",b', False),
        (3, "c", False),
    ]


def test_empty_and_whitespace_only_lines_are_blank(spark):
    assert assemble(spark, ["h", "", " \t ", "a"]) == [
        (1, "h", False),
        (2, "", True),
        (3, " \t ", True),
        (4, "a", False),
    ]


def test_an_empty_line_inside_a_quoted_field_belongs_to_the_record(spark):
    assert assemble(spark, ["h", 'a,"x', "", 'y"']) == [(1, "h", False), (2, 'a,"x\n\ny"', False)]


def test_the_carriage_return_of_a_crlf_is_dropped(spark):
    assert [row["value"] for row in lines_frame(spark, ["a,b\r", "c\rd"], 1).collect()] == ["a,b", "c\rd"]


def split(spark, record):
    row = rec.split_fields(spark.createDataFrame([(record,)], "record string")).first()
    return row["well_formed"], row["fields"]


@pytest.mark.parametrize(
    ("record", "fields"),
    [
        ("a,b,c", ["a", "b", "c"]),
        (",b,", ["", "b", ""]),
        (" a , b ", [" a ", " b "]),
        ('"a, b","say ""hi""",c', ["a, b", 'say "hi"', "c"]),
        ('"multi\nline",x', ["multi\nline", "x"]),
        ('"",x', ["", "x"]),
    ],
)
def test_well_formed_records_split_into_unquoted_fields(spark, record, fields):
    assert split(spark, record) == (True, fields)


@pytest.mark.parametrize("record", ['a,b"c', '"a"b,c', '"open,c', 'a,"x"y', 'a,"b""', 'a,"b"\r', 'a,"b"\u2028', "a\n"])
def test_broken_quoting_is_not_well_formed(spark, record):
    assert split(spark, record) == (False, None)


def test_a_single_line_longer_than_the_byte_bound_is_not_well_formed(spark):
    assert split(spark, "a," + "b" * (rec.MAX_RECORD_BYTES - 2)) == (True, ["a", "b" * (rec.MAX_RECORD_BYTES - 2)])
    assert split(spark, "a," + "é" * (rec.MAX_RECORD_BYTES // 2)) == (False, None)


def test_the_header_is_split_in_the_driver_the_same_way():
    assert rec.split_header('Order ID,"Name, full",qty') == ["Order ID", "Name, full", "qty"]
    assert rec.split_header('a,b"c') is None


def test_the_first_record_of_a_file_ends_at_the_first_line_break_outside_quotes():
    assert rec.first_record('a,"b\r\nc",d\r\nx,y') == 'a,"b\r\nc",d'


def test_a_first_record_whose_quotes_do_not_close_within_the_bound_is_its_first_line():
    assert rec.first_record('a,"b\r\nc,d\r\n') == 'a,"b'
    lines = ['a,"b', *["x"] * (rec.MAX_RECORD_LINES - 2), 'c"', "d"]
    assert rec.first_record("\n".join(lines)) == "\n".join(lines[:-1])
    assert rec.first_record("\n".join(['a,"b', *["x"] * (rec.MAX_RECORD_LINES - 1), 'c"'])) == 'a,"b'
