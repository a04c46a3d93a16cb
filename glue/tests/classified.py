"""Runs the classification transform on in-memory records, for tests of single rules."""

import datetime as dt

from sales_cleaning.classify import classify
from sales_cleaning.header import read_header
from sales_cleaning.profile import CONTRACT_FORMAT

RUN_DATE = dt.date(2026, 1, 1)
HEADER = "order_id,order_date,customer_id,product_id,quantity,unit_price"


def classify_records(spark, rows, header=HEADER, run_date=RUN_DATE, profile=CONTRACT_FORMAT):
    """`rows`: record texts (source lines 2, 3, …), read with `profile` (the contract's format by default).
    Returns one dict per record, by source line."""
    records = spark.createDataFrame(
        [(line, record, False, 0) for line, record in enumerate(rows, start=2)],
        "source_line long, record string, is_blank boolean, invalid_utf8 int",
    )
    mapping = read_header(header.encode(), profile)
    return sorted(
        (row.asDict() for row in classify(records, mapping, run_date, profile).collect()),
        key=lambda row: row["source_line"],
    )


def reasons_of(spark, rows, header=HEADER, run_date=RUN_DATE):
    return [row["reasons"] for row in classify_records(spark, rows, header, run_date)]
