"""The Parquet schemas the job writes, held against test/fixtures/redshift/job-output-schema.json, which
test/lambda/job-output-schema.test.ts holds against the loader's COPY column lists and the warehouse DDL:
COPY from Parquet maps columns by position, so a column added, moved or retyped here must change there too."""

import json
from pathlib import Path

import pyarrow.parquet as pq

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "test" / "fixtures" / "redshift" / "job-output-schema.json"
ONE_CLEAN_ONE_REJECTED = (
    "order_id,order_date,customer_id,product_id,quantity,unit_price\n"
    "O1,2024-01-31,C1,P1,3,19.99\n"
    "O2,2024-01-31,C1,P2,-1,5\n"
)


def parquet_columns(folder: Path) -> list[dict]:
    """Name, physical type and logical type of each column of the folder's Parquet files (all alike)."""
    schemas = {
        tuple((column.name, column.physical_type, str(column.logical_type)) for column in pq.ParquetFile(file).schema)
        for file in folder.rglob("*.parquet")
    }
    assert len(schemas) == 1, f"the Parquet files under {folder} differ in schema: {schemas}"
    return [{"name": name, "physical": physical, "logical": logical} for name, physical, logical in schemas.pop()]


def test_the_job_writes_the_parquet_schemas_the_loader_and_the_warehouse_are_held_against(run_csv):
    manifest, output = run_csv(ONE_CLEAN_ONE_REJECTED)
    assert (manifest["counts"]["rows_clean"], manifest["counts"]["rows_rejected"]) == (1, 1)
    actual = {"clean": parquet_columns(output / "cleaned" / "sales"), "rejected": parquet_columns(output / "rejected")}
    expected = json.loads(SCHEMA_FILE.read_text())
    assert actual == expected, (
        f"the job's Parquet output no longer matches {SCHEMA_FILE.name}: if the change is meant, write this into it "
        "and "
        f"make the loader's CLEAN_COLUMNS/REJECTED_COLUMNS and sql/ddl follow:\n{json.dumps(actual, indent=2)}"
    )
