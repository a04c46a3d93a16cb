import { describe, expect, it } from 'vitest';
import { ScriptErrorScanner, type OutputStream } from '../../emulator/glue-runner/script-error.js';

function scan(chunks: (string | [OutputStream, string])[], exit: { code: number | null; signal?: NodeJS.Signals } = { code: 1 }): string {
  const scanner = new ScriptErrorScanner();
  for (const chunk of chunks) {
    if (typeof chunk === 'string') scanner.push(chunk, 'stderr');
    else scanner.push(chunk[1], chunk[0]);
  }
  return scanner.message(exit);
}

const sparkShutdown = (lines: number) =>
  Array.from({ length: lines }, (_, i) => `25/12/04 18:30:${String(i % 60).padStart(2, '0')} INFO ShutdownHookManager: Deleting directory /tmp/spark-${i}\n`).join('');

/** What spark-submit prints when a task fails reading a file: Spark's wrapper, the task's exception, its causes. */
const stageFailure = [
  'Traceback (most recent call last):\n  File "/run/job.py", line 4, in <module>\n    spark.read.parquet(path).count()\n',
  'py4j.protocol.Py4JJavaError: An error occurred while calling o28.parquet.\n',
  ': org.apache.spark.SparkException: Job aborted due to stage failure: Task 0 in stage 0.0 failed 1 times, most recent failure: '
    + 'Lost task 0.0 in stage 0.0 (TID 0) (192.0.2.2 executor driver): org.apache.spark.SparkException: Exception thrown in awaitResult: \n',
  '\tat org.apache.spark.util.SparkThreadUtils$.awaitResult(SparkThreadUtils.scala:56)\n',
  'Caused by: org.apache.spark.SparkException: [CANNOT_READ_FILE_FOOTER] Could not read footer for file: s3://bucket/in/bad.parquet.\n',
  '\tat org.apache.spark.sql.errors.QueryExecutionErrors$.cannotReadFooterForFileError(QueryExecutionErrors.scala:1077)\n',
  'Caused by: java.lang.RuntimeException: s3://bucket/in/bad.parquet is not a Parquet file. Expected magic number at tail, but found [32, 97, 108, 108]\n',
  '\t... 14 more\n\nDriver stacktrace:\n',
].join('');

describe('ScriptErrorScanner', () => {
  it('reports the exception that ends a Python traceback, without its module', () => {
    expect(scan([
      'Traceback (most recent call last):\n',
      '  File "/run/clean_sales.py", line 12, in <module>\n',
      '    raise ValueError("input file has no order_id column")\n',
      'ValueError: input file has no order_id column\n',
    ])).toBe('ValueError: input file has no order_id column');
    expect(scan(['Traceback (most recent call last):\n  File "x.py", line 1\nsales_cleaning.pipeline.InputNotFoundError: the input s3://b/raw/x.csv does not exist\n']))
      .toBe('InputNotFoundError: the input s3://b/raw/x.csv does not exist');
  });

  it('finds a PySpark traceback on stdout, where spark-submit puts the Python driver\'s stderr, among Spark\'s logging on stderr', () => {
    expect(scan([
      ['stderr', '25/12/04 18:30:00 WARN Utils: Set SPARK_LOCAL_IP if you need to bind to another address\n'],
      ['stdout', 'clean_sales [   2.2s] run r1\nTraceback (most recent call last):\n  File "/run/clean_sales.py", line 80, in <module>\n'],
      ['stderr', sparkShutdown(3)],
      ['stdout', 'pyspark.errors.exceptions.captured.AnalysisException: [PATH_NOT_FOUND] Path does not exist: s3://b/raw/x.csv.\n'],
      ['stderr', sparkShutdown(300)],
    ])).toBe('AnalysisException: [PATH_NOT_FOUND] Path does not exist: s3://b/raw/x.csv.');
  });

  it('reports a Py4J error as its Java exception even when megabytes of Spark logging follow it', () => {
    const message = scan([
      ['stdout', 'Traceback (most recent call last):\n  File "/run/clean_sales.py", line 40, in <module>\n    df = spark.read.csv(path)\n'],
      ['stdout', 'py4j.protocol.Py4JJavaError: An error occurred while calling o52.csv.\n'],
      ['stdout', ': java.io.FileNotFoundException: File s3://bucket/raw/gone.csv does not exist\n'],
      ['stdout', '\tat org.apache.hadoop.fs.RawLocalFileSystem.deprecatedGetFileStatus(RawLocalFileSystem.java:915)\n'],
      ['stderr', sparkShutdown(30_000)],
    ]);
    expect(message).toBe('FileNotFoundException: File s3://bucket/raw/gone.csv does not exist');
  });

  it('reports a failed Spark task as the task\'s exception and its root cause, without Spark\'s wrapper', () => {
    expect(scan([['stdout', stageFailure], sparkShutdown(20)])).toBe(
      'a Spark task failed: SparkException: Exception thrown in awaitResult (caused by RuntimeException: '
      + 's3://bucket/in/bad.parquet is not a Parquet file. Expected magic number at tail, but found [32, 97, 108, 108])',
    );
  });

  it('puts lines split across chunks back together, per stream', () => {
    expect(scan([
      ['stdout', 'Traceback (most recent call last):\n  File "x.py", line 1\nKeyEr'],
      ['stderr', '25/12/04 18:30:00 INFO SparkContext: Stopped\n'],
      ['stdout', 'ror: \'order_id\'\n'],
    ])).toBe("KeyError: 'order_id'");
  });

  it('reports the last traceback when exceptions are chained', () => {
    expect(scan([
      'Traceback (most recent call last):\n  File "a.py", line 1\nKeyError: \'x\'\n\n',
      'During handling of the above exception, another exception occurred:\n\n',
      'Traceback (most recent call last):\n  File "a.py", line 3\nRuntimeError: could not clean the file\n',
      sparkShutdown(10),
    ])).toBe('RuntimeError: could not clean the file');
  });

  it('falls back to the last line naming an exception, never to Spark\'s log lines', () => {
    expect(scan(['log line\n', 'java.lang.OutOfMemoryError: Java heap space\n', sparkShutdown(5)])).toBe('OutOfMemoryError: Java heap space');
    expect(scan(['25/12/04 18:30:00 ERROR SparkContext: Error initializing SparkContext.\n', sparkShutdown(5)], { code: 3 }))
      .toBe('the script exited with code 3 without raising an exception and printed nothing but Spark\'s logging');
    expect(scan([['stdout', 'cleaned 0 files\n'], sparkShutdown(5)], { code: 2 }))
      .toBe('the script exited with code 2 without raising an exception; its last output: cleaned 0 files');
  });

  it('says which signal ended a process that died without an exception', () => {
    expect(scan([sparkShutdown(5)], { code: null, signal: 'SIGKILL' }))
      .toBe('the job\'s process was killed by SIGKILL before the script finished (the machine may have run out of memory)');
  });

  it('rewrites local paths into the user\'s terms', () => {
    const scanner = new ScriptErrorScanner();
    scanner.push('Traceback (most recent call last):\n  File "x.py"\npy4j.protocol.Py4JJavaError: An error occurred while calling o34.getFileStatus.\n'
      + ': java.io.FileNotFoundException: File /scratch/run/s3/b/raw/x.csv does not exist\n', 'stdout');
    expect(scanner.message({ code: 1 }, (text) => text.replaceAll('/scratch/run/s3/', 's3://')))
      .toBe('FileNotFoundException: File s3://b/raw/x.csv does not exist');
  });

  it('bounds the message length', () => {
    const message = scan([`Traceback (most recent call last):\nValueError: ${'x'.repeat(10_000)}\n`]);
    expect(message.length).toBe(2048);
    expect(message.endsWith('…')).toBe(true);
  });
});
