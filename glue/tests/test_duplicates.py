"""Within-file duplicates: identical rows collapse to the last copy; a line key keeps its last row."""

from classified import HEADER, classify_records


def outcomes(spark, rows, header=HEADER):
    return [(row["source_line"], row["outcome"], row["reasons"]) for row in classify_records(spark, rows, header)]


def test_rows_identical_after_cleaning_collapse_to_the_last_copy(spark):
    rows = ["O1,2024-01-01,C1,P1,1,$2.00", "O1,01/01/2024, C1 ,P1,1.0,2", "O1,2024-01-01,C1,P1,1,2.00"]
    assert outcomes(spark, rows) == [(2, "duplicate_dropped", []), (3, "duplicate_dropped", []), (4, "clean", [])]


def test_rows_sharing_a_line_key_but_differing_keep_the_last_and_reject_the_others(spark):
    rows = ["O1,2024-01-01,C1,P1,1,2.00", "O1,2024-01-01,C1,P1,3,2.00", "O1,2024-01-01,C1,P2,1,2.00"]
    assert outcomes(spark, rows) == [(2, "rejected", ["duplicate_order_line"]), (3, "clean", []), (4, "clean", [])]


def test_both_rules_together_drop_the_identical_copy_and_reject_the_older_conflict(spark):
    rows = ["O1,2024-01-01,C1,P1,1,2.00", "O1,2024-01-01,C1,P1,5,2.00", "O1,2024-01-01,C1,P1,1,2.00"]
    assert outcomes(spark, rows) == [
        (2, "duplicate_dropped", []),
        (3, "rejected", ["duplicate_order_line"]),
        (4, "clean", []),
    ]


def test_with_a_line_id_column_the_same_product_on_two_lines_is_two_lines(spark):
    header = HEADER + ",line_id"
    rows = ["O1,2024-01-01,C1,P1,1,2.00,1", "O1,2024-01-01,C1,P1,1,2.00,2"]
    assert outcomes(spark, rows, header) == [(2, "clean", []), (3, "clean", [])]


def test_with_a_line_id_column_the_key_is_order_and_line_id(spark):
    header = HEADER + ",line_id"
    rows = ["O1,2024-01-01,C1,P1,1,2.00,1", "O1,2024-01-01,C1,P2,1,2.00,1", "O2,2024-01-01,C1,P2,1,2.00,1"]
    assert outcomes(spark, rows, header) == [
        (2, "rejected", ["duplicate_order_line"]),
        (3, "clean", []),
        (4, "clean", []),
    ]


def test_rejected_rows_take_no_part_in_duplicate_rules(spark):
    rows = ["O1,2024-01-01,C1,P1,1,2.00", "O1,bad,C1,P1,1,2.00"]
    assert outcomes(spark, rows) == [(2, "clean", []), (3, "rejected", ["invalid_date"])]
