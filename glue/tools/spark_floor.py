"""The bare Spark floor the Glue job is measured against (`npm run bench:job`): the same CSV read with
Spark's CSV reader and written back as Parquet partitioned by month, under the job's Spark settings.

Not part of the job (it does not ship in the job's zip). No cleaning: every column stays a string, the
month is the date column's `yyyy-MM` where Spark's date cast reads it (the generator's ISO dates), null
elsewhere. Prints one JSON line: the seconds to a ready session and the seconds of the copy.
"""

from __future__ import annotations

import time

STARTED = time.monotonic()

import argparse  # noqa: E402 - the clock starts before the imports, as the job's process start does
import json  # noqa: E402
import re  # noqa: E402

from pyspark.sql import SparkSession  # noqa: E402
from pyspark.sql import functions as F  # noqa: E402

from sales_cleaning.session import apply_job_settings  # noqa: E402

MONTH_COLUMN = "order_month"


def date_column(columns: list[str]) -> str:
    """The order date's column among the header's (`order_date`, `Order Date`, `order-date`, ...)."""
    for column in columns:
        if re.sub(r"[^a-z]", "", column.lower()) == "orderdate":
            return column
    raise ValueError(f"no order date column in the header {columns}: pass --date_column")


def copy_as_parquet(spark: SparkSession, input_uri: str, output_uri: str, date: str | None = None) -> None:
    """Reads the CSV (header, all strings, no schema inference: one pass) and writes it partitioned by month."""
    frame = spark.read.option("header", "true").option("encoding", "UTF-8").csv(input_uri)
    month = F.date_format(F.to_date(F.col(f"`{date or date_column(frame.columns)}`")), "yyyy-MM")
    frame.withColumn(MONTH_COLUMN, month).write.mode("overwrite").partitionBy(MONTH_COLUMN).parquet(output_uri)


def main() -> None:
    parser = argparse.ArgumentParser(prog="spark_floor", description=__doc__.split("\n\n")[0])
    parser.add_argument("--input_uri", required=True)
    parser.add_argument("--output_uri", required=True)
    parser.add_argument("--date_column", help="the order date's header name (found in the header when omitted)")
    arguments = parser.parse_args()
    spark = apply_job_settings(SparkSession.builder.appName("spark_floor").getOrCreate())
    session_ready = time.monotonic()
    copy_as_parquet(spark, arguments.input_uri, arguments.output_uri, arguments.date_column)
    copied = time.monotonic()
    spark.stop()
    print(json.dumps({"session_s": round(session_ready - STARTED, 3), "copy_s": round(copied - session_ready, 3)}))


if __name__ == "__main__":
    main()
