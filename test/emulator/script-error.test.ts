import { describe, expect, it } from 'vitest';
import { ScriptErrorScanner } from '../../emulator/glue-runner/script-error.js';

function scan(chunks: string[], exitCode: number | null = 1): string {
  const scanner = new ScriptErrorScanner();
  for (const chunk of chunks) scanner.push(chunk);
  return scanner.message(exitCode);
}

const sparkShutdown = (lines: number) =>
  Array.from({ length: lines }, (_, i) => `25/12/04 18:30:${String(i % 60).padStart(2, '0')} INFO ShutdownHookManager: Deleting directory /tmp/spark-${i}\n`).join('');

describe('ScriptErrorScanner', () => {
  it('reports the exception line that ends a Python traceback', () => {
    expect(scan([
      'Traceback (most recent call last):\n',
      '  File "/run/clean_sales.py", line 12, in <module>\n',
      '    raise ValueError("input file has no order_id column")\n',
      'ValueError: input file has no order_id column\n',
    ])).toBe('ValueError: input file has no order_id column');
  });

  it('keeps a Py4J error with its Java cause even when megabytes of Spark logging follow it', () => {
    const message = scan([
      '25/12/04 18:30:00 INFO SparkContext: Running Spark version 3.5.4\n',
      'Traceback (most recent call last):\n  File "/run/clean_sales.py", line 40, in <module>\n    df = spark.read.csv(path)\n',
      'py4j.protocol.Py4JJavaError: An error occurred while calling o52.csv.\n',
      ': java.io.FileNotFoundException: File s3://bucket/raw/gone.csv does not exist\n',
      '\tat org.apache.hadoop.fs.RawLocalFileSystem.deprecatedGetFileStatus(RawLocalFileSystem.java:915)\n',
      sparkShutdown(30_000),
    ]);
    expect(message).toBe('py4j.protocol.Py4JJavaError: An error occurred while calling o52.csv. : java.io.FileNotFoundException: File s3://bucket/raw/gone.csv does not exist');
  });

  it('puts lines split across chunks back together', () => {
    expect(scan(['Traceback (most recent call last):\n  File "x.py", line 1\nKeyEr', 'ror: \'order_id\'\n'])).toBe("KeyError: 'order_id'");
  });

  it('reports the last traceback when exceptions are chained', () => {
    expect(scan([
      'Traceback (most recent call last):\n  File "a.py", line 1\nKeyError: \'x\'\n\n',
      'During handling of the above exception, another exception occurred:\n\n',
      'Traceback (most recent call last):\n  File "a.py", line 3\nRuntimeError: could not clean the file\n',
      sparkShutdown(10),
    ])).toBe('RuntimeError: could not clean the file');
  });

  it('falls back to the last line naming an exception, then to the last lines and the exit code', () => {
    expect(scan(['log line\n', 'SystemExit: 2\n', 'closing\n'])).toBe('SystemExit: 2');
    expect(scan(['first\n', 'second\n', 'third\n', 'fourth'], 137)).toBe('the script exited with code 137: second | third | fourth');
    expect(scan([], 1)).toBe('the script exited with code 1: no output');
  });

  it('bounds the message length', () => {
    const message = scan([`Traceback (most recent call last):\nValueError: ${'x'.repeat(10_000)}\n`]);
    expect(message.length).toBe(2048);
    expect(message.endsWith('…')).toBe(true);
  });
});
