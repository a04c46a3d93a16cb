import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
from pyspark.sql import SparkSession

from manifests import run_job_checked
from sales_cleaning.job_config import JobConfig
from sales_cleaning.session import apply_job_settings, job_session_builder

RUN_DATE = dt.date(2026, 1, 1)


@pytest.fixture(scope="session")
def spark():
    if shutil.which("java") is None:
        pytest.fail("Java 17 is required to run Spark: install a JDK 17 and put `java` on PATH")
    session = (
        job_session_builder(SparkSession.builder.master("local[2]"))
        .appName("sales-cleaning-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.memory", os.environ.get("SPARK_DRIVER_MEMORY", "2g"))
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    # Two shuffle partitions: the test inputs are tiny, and each extra task costs time.
    yield apply_job_settings(session, shuffle_partitions=2)
    session.stop()


FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def run_csv(spark, tmp_path):
    """Runs the job on a fixture file (a name under fixtures/) or on the given text or bytes;
    returns (manifest, output folder). The manifest is checked against its JSON Schema."""

    def run(content: bytes | str, run_id: str = "test-run", run_date: dt.date = RUN_DATE):
        source = tmp_path / "sales_data.csv"
        if isinstance(content, str) and content.endswith(".csv") and "\n" not in content:
            content = (FIXTURES / content).read_bytes()
        source.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        output = tmp_path / "out"
        config = JobConfig(
            input_uri=str(source), output_uri=str(output), run_id=run_id, run_date=run_date, source_version="v1"
        )
        return run_job_checked(spark, config), output

    return run
