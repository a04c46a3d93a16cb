from pyspark.sql import functions as F

from sales_cleaning.session import BYTES_PER_SHUFFLE_PARTITION, STATIC_SETTINGS, shuffle_width


def test_a_small_input_shuffles_into_one_partition_per_core_and_a_large_one_into_at_most_four_per_core():
    assert shuffle_width(0, 2) == 2
    assert shuffle_width(1_000_000, 2) == 2
    assert shuffle_width(3 * BYTES_PER_SHUFFLE_PARTITION, 2) == 3
    assert shuffle_width(100 * BYTES_PER_SHUFFLE_PARTITION, 2) == 8
    assert shuffle_width(100 * BYTES_PER_SHUFFLE_PARTITION, 40) == 100
    assert shuffle_width(0, 0) == 1


def test_the_session_the_tests_run_on_has_the_static_settings_the_job_builds_its_session_with(spark):
    for key, value in STATIC_SETTINGS.items():
        assert spark.sparkContext.getConf().get(key) == value


def test_a_projection_over_a_union_is_planned_once_above_it_not_once_per_branch(spark):
    doubled = spark.range(3).union(spark.range(2)).select((F.col("id") * 2).alias("doubled"))
    plan = doubled._jdf.queryExecution().optimizedPlan().toString().splitlines()
    assert [line.lstrip(":+- ").split(" ")[0] for line in plan[:2]] == ["Project", "Union"]
    assert sorted(row.doubled for row in doubled.collect()) == [0, 0, 2, 2, 4]


def _cached_bytes(spark) -> int:
    return sum(info.memSize() for info in spark.sparkContext._jsc.sc().getRDDStorageInfo())


def test_cached_rows_are_kept_as_they_are_not_compressed(spark):
    # Compressed, 100,000 copies of one value would be one dictionary entry and a run length: a few bytes.
    value = "the same value on every row"
    before = _cached_bytes(spark)
    frame = spark.range(100_000).select(F.lit(value).alias("value")).persist()
    try:
        assert frame.count() == 100_000
        # What this frame added, not what other tests of the session left cached.
        assert _cached_bytes(spark) - before >= 100_000 * len(value)
    finally:
        frame.unpersist(blocking=True)
