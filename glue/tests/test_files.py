"""Whole files: bad files end as rejected_file, odd but valid files load, reasons and duplicates."""
from outputs import clean_rows, rejected_rows

HEADER = "order_id,order_date,customer_id,product_id,quantity,unit_price"


def test_an_empty_file_is_rejected_whole(run_csv):
    manifest, _ = run_csv(b"")
    assert (manifest["status"], manifest["reason"]) == ("rejected_file", "empty_file")


def test_a_header_only_file_is_rejected_whole(run_csv):
    manifest, _ = run_csv(HEADER + "\n")
    assert (manifest["status"], manifest["reason"]) == ("rejected_file", "no_data_rows")


def test_a_file_missing_required_columns_names_them(run_csv):
    manifest, output = run_csv("order_id,order_date,customer_id\nO1,2024-01-01,C1\n")
    assert (manifest["status"], manifest["reason"]) == ("rejected_file", "missing_required_columns:product_id,quantity,unit_price")
    assert clean_rows(output) == []


def test_a_binary_file_named_csv_is_not_text(run_csv):
    manifest, _ = run_csv(bytes(range(256)) * 4)
    assert (manifest["status"], manifest["reason"]) == ("rejected_file", "not_text")


def test_bom_crlf_and_quoted_line_breaks_keep_exact_line_numbers(run_csv):
    content = "\ufeff" + HEADER + ",product_name\r\nO1,2024-01-01,C1,P1,1,2.50,\"Big\r\nBox\"\r\nO2,2024-01-02,C2,P2,2,3.00,Lamp\r\n"
    manifest, output = run_csv(content)
    rows = clean_rows(output)
    assert manifest["counts"]["rows_read"] == 2
    assert [(row["order_id"], row["source_line"], row["product_name"]) for row in rows] == [("O1", 2, "Big Box"), ("O2", 4, "Lamp")]


def test_invalid_utf8_bytes_are_replaced_and_counted_and_the_row_still_loads(run_csv):
    content = (HEADER + ",city\nO1,2024-01-01,C1,P1,1,2.50,Z\xfcrich\n").encode("latin-1")
    manifest, output = run_csv(content)
    assert manifest["quality"]["records_with_invalid_utf8"] == 1
    assert clean_rows(output)[0]["city"] == "Z\ufffdrich"


def test_extra_columns_are_ignored_and_reported(run_csv):
    manifest, output = run_csv("Region," + HEADER + ",Notes\nEU,O1,2024-01-01,C1,P1,1,2.50,\"a, b\"\n")
    assert manifest["ignored_columns"] == ["Region", "Notes"]
    assert clean_rows(output)[0]["order_id"] == "O1"


def test_a_row_gets_every_reason_that_applies_in_contract_order(run_csv):
    manifest, output = run_csv(HEADER + ",discount\n,1999-01-01,C1,P1,-2,$-3.00,150%\n")
    rejected = rejected_rows(output)
    assert rejected[0]["reasons"] == "missing_required:order_id;date_out_of_range;non_positive_quantity;negative_price;invalid_discount"
    assert manifest["reasons"]["negative_price"] == 1


def test_wrong_field_count_and_broken_quotes_are_malformed_records(run_csv):
    manifest, output = run_csv(HEADER + "\nO1,2024-01-01,C1,P1,1\nO2,2024-01-01,C1,P\"x\"1,1,1.00\nO3,2024-01-01,C1,P1,1,1.00,extra\n")
    assert [row["reasons"] for row in rejected_rows(output)] == ["malformed_record"] * 3
    assert manifest["counts"]["rows_rejected"] == 3


def test_identical_rows_collapse_and_the_last_conflicting_line_wins(run_csv):
    content = HEADER + "\nO1,2024-01-01,C1,P1,1,$2.00\nO1,01/01/2024,C1,P1,1,2.00\nO1,2024-01-01,C1,P2,1,5.00\nO1,2024-01-01,C1,P2,3,5.00\n"
    manifest, output = run_csv(content)
    assert manifest["counts"] == {"rows_read": 4, "rows_clean": 2, "rows_rejected": 1, "duplicates_dropped": 1, "blank_lines": 0}
    assert [(row["product_id"], row["quantity"], row["source_line"]) for row in clean_rows(output)] == [("P1", 1, 3), ("P2", 3, 5)]
    assert [(row["source_line"], row["reasons"]) for row in rejected_rows(output)] == [(4, "duplicate_order_line")]


def test_reconciliation_holds_and_the_copy_manifest_lists_content_lengths(run_csv):
    manifest, output = run_csv(HEADER + "\nO1,2024-01-01,C1,P1,1,2.00\nO2,bad,C1,P1,1,2.00\n")
    counts = manifest["counts"]
    assert counts["rows_read"] == counts["rows_clean"] + counts["rows_rejected"] + counts["duplicates_dropped"]
    assert manifest["checks"][0] == {"name": "reconciliation", "passed": True, "detail": "rows_read = rows_clean + rows_rejected + duplicates_dropped"}
    import json
    copy_manifest = json.loads((output / "manifests" / "test-run.clean.copy.json").read_text())
    assert all(entry["meta"]["content_length"] > 0 and entry["mandatory"] for entry in copy_manifest["entries"])
    assert len(copy_manifest["entries"]) == len(manifest["outputs"]["clean"])


def test_lineage_columns_are_on_every_clean_row(run_csv):
    _, output = run_csv(HEADER + "\nO1,2024-01-01,C1,P1,1,2.00\n")
    row = clean_rows(output)[0]
    assert (row["run_id"], row["source_version"], row["source_line"], row["order_month"]) == ("test-run", "v1", 2, "2024-01")
    assert row["source_uri"].endswith("sales_data.csv") and row["source_modified_at"] is not None


def test_a_real_world_export_keeps_every_line_of_long_orders(run_csv):
    header = "Row ID,Order ID,Order Date,Ship Date,Ship Mode,Customer ID,Customer Name,Segment,Country,City,State,Postal Code,Region,Product ID,Category,Sub-Category,Product Name,Sales,Quantity,Discount,Profit,Price"
    lines = [header]
    for row_id in range(1, 15):
        product = "FUR-BO-10001798" if row_id in (3, 9) else f"OFF-PA-{row_id:08d}"
        lines.append(f"{row_id},CA-2024-152156,11/8/2024,11/11/2024,Second Class,CG-12520,Claire Gute,Consumer,United States,Henderson,Kentucky,42420,South,{product},Furniture,Bookcases,\"Bush Somerset Collection Bookcase, Fully Assembled\",261.96,2,0,41.91,130.98")
    manifest, output = run_csv("\n".join(lines) + "\n")
    rows = clean_rows(output)
    assert manifest["counts"]["rows_clean"] == 14
    assert [row["line_id"] for row in rows] == [str(number) for number in range(1, 15)]
    assert sum(1 for row in rows if row["product_id"] == "FUR-BO-10001798") == 2
    assert "Ship Date" in manifest["ignored_columns"]
