"""The clean Parquet as Redshift's COPY ... FORMAT AS PARQUET reads it (issue 12, item 11).

COPY from Parquet goes through Redshift Spectrum, which reads a DECIMAL column in the form Hive and
Impala write it: FIXED_LEN_BYTE_ARRAY of the precision's minimal width. Spark's default writes small
decimals as INT32/INT64, the form that readers of that lineage reject with "incompatible Parquet schema".
"""

import pyarrow.parquet as pq

DECIMALS = {"unit_price": (12, 4), "discount": (5, 4), "total_amount": (14, 2)}


def minimal_bytes(precision: int) -> int:
    """The fewest bytes whose signed range holds every unscaled value of the precision."""
    width = 1
    while 2 ** (8 * width - 1) <= 10**precision:
        width += 1
    return width


def test_the_clean_decimals_are_fixed_length_byte_arrays_of_the_declared_precision(run_csv):
    manifest, output = run_csv("real_world_export.csv")
    assert manifest["status"] == "succeeded"
    parts = sorted((output / "cleaned" / "sales").rglob("*.parquet"))
    assert parts, "the run wrote no clean Parquet"
    for part in parts:
        schema = pq.ParquetFile(part).schema
        columns = {schema.column(index).name: schema.column(index) for index in range(len(schema))}
        for name, (precision, scale) in DECIMALS.items():
            column = columns[name]
            found = (column.physical_type, column.precision, column.scale, column.length)
            assert found == ("FIXED_LEN_BYTE_ARRAY", precision, scale, minimal_bytes(precision)), f"{part.name}: {name}"
