"""What a run writes: raw records cut to whole UTF-8 characters within the warehouse's byte limit."""

import pytest

from sales_cleaning.run_outputs import ROWS_PER_WRITE_TASK, utf8_prefix, write_tasks

CASES = [
    ("", 5, ""),
    ("abcde", 5, "abcde"),
    ("abcdef", 5, "abcde"),
    ("abcé", 5, "abcé"),
    ("abcdé", 5, "abcd"),
    ("ab€", 5, "ab€"),
    ("abc€", 5, "abc"),
    ("abcd€", 5, "abcd"),
    ("a😀", 5, "a😀"),
    ("ab😀", 5, "ab"),
    ("😀😀", 7, "😀"),
    ("\ufffd\ufffd", 4, "\ufffd"),
]


@pytest.fixture(scope="module")
def prefixes(spark):
    frame = spark.createDataFrame([(text, limit) for text, limit, _ in CASES], "text string, limit int")
    rows = frame.select(*[utf8_prefix(frame.text, limit).alias(f"c{limit}") for limit in {5, 4, 7}]).collect()
    return [row[f"c{limit}"] for row, (_, limit, _) in zip(rows, CASES, strict=True)]


@pytest.mark.parametrize(("index", "case"), list(enumerate(CASES)), ids=[repr(case[0]) for case in CASES])
def test_a_text_is_cut_to_the_whole_characters_that_fit_the_byte_limit(prefixes, index, case):
    _, limit, expected = case
    assert prefixes[index] == expected
    assert len(prefixes[index].encode("utf-8")) <= limit


def test_clean_rows_are_written_by_one_task_per_quarter_million_rows_and_at_least_one():
    assert write_tasks(0) == 1
    assert write_tasks(10_000) == 1
    assert write_tasks(ROWS_PER_WRITE_TASK) == 1
    assert write_tasks(ROWS_PER_WRITE_TASK + 1) == 2
    assert write_tasks(10_000_000) == 40
