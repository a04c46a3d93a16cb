"""A pre-warmed Glue run: the Spark process of one future run, started before the run exists.

spark-submit runs this file instead of the job's script. It may warm the JVM with a dry run of the job
on a tiny sample (so that Spark's code generation and the JIT are done before the real run); the dry
run's script creates the SparkSession as the real run's would (its app name and static settings), else
this file creates it. It prints the ready line, then waits for its one assignment: the run's script,
Python files, arguments, environment and S3 mount. It runs that script as `python script.py ARGS` would,
in a fresh session, and the process ends with the script, as a cold run's does: one process per run.

The runner (pool-process.ts) writes the assignment file; the line protocol is on stdout, which
spark-submit merges with the Python driver's stderr.
"""

from __future__ import annotations

import json
import os
import runpy
import sys
import time
import traceback

READY_LINE = "glue-runner-pool: ready"
WARMUP_FAILED_LINE = "glue-runner-pool: warm-up failed"
POLL_SECONDS = 0.02


def mount(spark, buckets: dict[str, str]) -> None:
    """s3://<bucket>/... resolves to <dir>/... (the Hadoop settings a cold run gets from spark-submit)."""
    conf = spark.sparkContext._jsc.hadoopConfiguration()
    for bucket, folder in buckets.items():
        conf.set(f"fs.viewfs.mounttable.{bucket}.linkFallback", f"file://{folder}")


def unmount(spark, buckets: list[str]) -> None:
    """Forgets buckets mounted by spark-submit's settings: in the Hadoop configuration, and in the session's
    settings, from which Spark SQL rebuilds a Hadoop configuration for every query."""
    conf = spark.sparkContext._jsc.hadoopConfiguration()
    for bucket in buckets:
        conf.unset(f"fs.viewfs.mounttable.{bucket}.linkFallback")
        spark.conf.unset(f"spark.hadoop.fs.viewfs.mounttable.{bucket}.linkFallback")


def run_script(script: str, py_files: list[str], argv: list[str]) -> None:
    """Runs a script as `python script.py ARGS` with `--py-files` would: __main__, argv, sys.path."""
    sys.argv = [script, *argv]
    sys.path[:0] = [os.path.dirname(script), *py_files]
    runpy.run_path(script, run_name="__main__")


def run_assigned(session, assignment: dict) -> None:
    """Runs the run's script with the driver's path holding what spark-submit --py-files gives a cold run:
    the script's folder, the Python files (first on PYTHONPATH), the copies Spark ships of them and Spark's
    file root, then the rest. A cold run's SparkContext adds those two when the script creates its
    session, after the script's top-level imports; here the session exists already, so they come after the
    Python files, and an import finds the run's own files either way."""
    from pyspark import SparkFiles

    script, py_files = assignment["script"], assignment["py_files"]
    for py_file in py_files:
        session.sparkContext.addPyFile(py_file)
    root = SparkFiles.getRootDirectory()
    shipped = [
        os.path.join(root, os.path.basename(path)) for path in py_files if path[-4:].lower() in (".zip", ".egg", ".jar")
    ]
    rest = [entry for entry in sys.path if entry != root and entry not in shipped]
    sys.path[:] = [os.path.dirname(script), *py_files, *reversed(shipped), root, *rest]
    sys.argv = [script, *assignment["argv"]]
    runpy.run_path(script, run_name="__main__")


def forget_modules_from(paths: list[str]) -> None:
    """Drops the modules imported from the warm-up's copies of the job's files, so the run imports its own."""
    for name, module in list(sys.modules.items()):
        origin = getattr(module, "__file__", None) or ""
        if any(origin.startswith(path) for path in paths):
            del sys.modules[name]
    sys.path[:] = [entry for entry in sys.path if not any(entry.startswith(path) for path in paths)]


def warm_up(spec: dict) -> None:
    """The dry run: the job on a tiny sample, outputs into a scratch folder the runner discards (mounted by
    spark-submit's settings, since the script creates the session; unmounted after)."""
    from pyspark.sql import SparkSession

    saved_argv, saved_path = list(sys.argv), list(sys.path)
    try:
        run_script(spec["script"], spec["py_files"], spec["argv"])
    except SystemExit as exit_:
        if exit_.code not in (None, 0):
            raise
    finally:
        sys.argv, sys.path[:] = saved_argv, saved_path
        forget_modules_from([os.path.dirname(spec["script"]), *spec["py_files"]])
        spark = SparkSession.builder.getOrCreate()
        unmount(spark, spec["buckets"])
        spark.catalog.clearCache()


def fresh_session(spark, unmounted: list[str]):
    """A new session on the warm SparkContext, made the one getOrCreate() returns: the run sees none of
    the dry run's SQL settings, temporary views, caches or scratch folder, and shares its compiled code and JIT."""
    from pyspark.sql import SparkSession

    session = spark.newSession()
    unmount(session, unmounted)
    SparkSession._instantiatedSession = session
    SparkSession._activeSession = session
    spark._jvm.SparkSession.setDefaultSession(session._jsparkSession)
    spark._jvm.SparkSession.setActiveSession(session._jsparkSession)
    return session


def wait_for(path: str) -> dict:
    while not os.path.exists(path):
        time.sleep(POLL_SECONDS)
    with open(path, encoding="utf-8") as file:
        return json.load(file)


def main(slot_dir: str) -> None:
    from pyspark.sql import SparkSession

    warmup = os.path.join(slot_dir, "warmup.json")
    spec = {"buckets": []}
    if os.path.exists(warmup):
        with open(warmup, encoding="utf-8") as file:
            spec = json.load(file)
        try:
            warm_up(spec)
        except BaseException:  # noqa: BLE001 - a failed dry run leaves a warm session all the same
            print(WARMUP_FAILED_LINE, flush=True)
            traceback.print_exc(file=sys.stdout)
            sys.stdout.flush()
    session = fresh_session(SparkSession.builder.getOrCreate(), spec["buckets"])
    print(READY_LINE, flush=True)

    assignment = wait_for(os.path.join(slot_dir, "assignment.json"))
    for name, value in assignment["env"].items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    # As spark-submit --py-files puts them on a cold run's driver path, and its Python children's.
    os.environ["PYTHONPATH"] = os.pathsep.join([*assignment["py_files"], *filter(None, [os.environ.get("PYTHONPATH")])])
    os.chdir(assignment["cwd"])
    mount(session, assignment["buckets"])
    run_assigned(session, assignment)


if __name__ == "__main__":
    # Python put this file's folder first on the path; a cold run's script finds its own folder there instead.
    here = os.path.dirname(os.path.realpath(__file__))
    sys.path[:] = [entry for entry in sys.path if os.path.realpath(entry or ".") != here]
    main(sys.argv[1])
