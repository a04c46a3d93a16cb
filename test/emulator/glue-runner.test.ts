import { CreateJobCommand, GetJobRunCommand, GetJobRunsCommand, BatchStopJobRunCommand, GlueClient, StartJobRunCommand, ConcurrentRunsExceededException } from '@aws-sdk/client-glue';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../deadline.js';
import { allowEverything, createRole, startHarness, type Harness } from './emulator-harness.js';

const bucket = 'glue-runner-test';
let harness: Harness;
let glue: GlueClient;
let s3: S3Client;
let roleArn: string;

async function defineJob(options: { name: string; script: string; maxConcurrentRuns?: number; timeoutMinutes?: number; type?: string; queuing?: boolean }) {
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `scripts/${options.name}.py`, Body: options.script }));
  await glue.send(new CreateJobCommand({
    Name: options.name, Role: roleArn,
    Command: { Name: options.type ?? 'pythonshell', ScriptLocation: `s3://${bucket}/scripts/${options.name}.py`, PythonVersion: '3' },
    DefaultArguments: { '--greeting': 'hello', '--output_uri': `s3://${bucket}/out/` },
    ExecutionProperty: { MaxConcurrentRuns: options.maxConcurrentRuns ?? 1 },
    Timeout: options.timeoutMinutes ?? 10,
    GlueVersion: '5.0',
    JobRunQueuingEnabled: options.queuing,
  }));
}

async function runState(jobName: string, runId: string) {
  return (await glue.send(new GetJobRunCommand({ JobName: jobName, RunId: runId }))).JobRun!.JobRunState;
}

async function finalRun(jobName: string, runId: string) {
  return waitFor(`run ${runId} to end`, async () => {
    const { JobRun } = await glue.send(new GetJobRunCommand({ JobName: jobName, RunId: runId }));
    return ['WAITING', 'STARTING', 'RUNNING', 'STOPPING'].includes(JobRun!.JobRunState!) ? undefined : JobRun!;
  }, 120_000);
}

beforeAll(async () => {
  // One emulated minute of job Timeout lasts 1 s here.
  harness = await startHarness({ glueMinuteMs: 1000 });
  glue = new GlueClient(harness.aws);
  s3 = new S3Client(harness.aws);
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  roleArn = await createRole(harness.aws, { name: 'glue', statements: allowEverything });
});

afterAll(async () => harness?.close());

describe('glue runner', () => {
  it('runs the registered script with default arguments merged with the run arguments', async () => {
    await defineJob({
      name: 'echo',
      script: 'import json, sys\nargs = dict(zip(sys.argv[1::2], sys.argv[2::2]))\nprint(json.dumps(args))\n',
    });
    const { JobRunId } = await glue.send(new StartJobRunCommand({ JobName: 'echo', Arguments: { '--greeting': 'hi', '--extra': '1' } }));
    const { JobRun: starting } = await glue.send(new GetJobRunCommand({ JobName: 'echo', RunId: JobRunId }));
    expect(['STARTING', 'RUNNING']).toContain(starting!.JobRunState);
    const run = await finalRun('echo', JobRunId!);
    expect(run.JobRunState).toBe('SUCCEEDED');
    expect(run.Arguments).toEqual({ '--greeting': 'hi', '--extra': '1' });
    expect(run.CompletedOn).toBeInstanceOf(Date);
    const { JobRuns } = await glue.send(new GetJobRunsCommand({ JobName: 'echo' }));
    expect(JobRuns!.map((listed) => listed.Id)).toEqual([JobRunId]);
  });

  it('reports FAILED with the exception of a script that raises', async () => {
    await defineJob({ name: 'raises', script: 'raise ValueError("input file has no order_id column")\n' });
    const { JobRunId } = await glue.send(new StartJobRunCommand({ JobName: 'raises' }));
    const run = await finalRun('raises', JobRunId!);
    expect(run.JobRunState).toBe('FAILED');
    expect(run.ErrorMessage).toBe('ValueError: input file has no order_id column');
  });

  it('refuses a run past MaxConcurrentRuns and stops a run on request', async () => {
    await defineJob({ name: 'sleeps', script: 'import time\ntime.sleep(60)\n' });
    const { JobRunId } = await glue.send(new StartJobRunCommand({ JobName: 'sleeps' }));
    await expect(glue.send(new StartJobRunCommand({ JobName: 'sleeps' }))).rejects.toBeInstanceOf(ConcurrentRunsExceededException);
    const stop = await glue.send(new BatchStopJobRunCommand({ JobName: 'sleeps', JobRunIds: [JobRunId!, 'jr_unknown'] }));
    expect(stop.SuccessfulSubmissions).toEqual([{ JobName: 'sleeps', JobRunId }]);
    expect(stop.Errors!.map((error) => error.JobRunId)).toEqual(['jr_unknown']);
    expect((await finalRun('sleeps', JobRunId!)).JobRunState).toBe('STOPPED');
    const { JobRunId: next } = await glue.send(new StartJobRunCommand({ JobName: 'sleeps' }));
    await glue.send(new BatchStopJobRunCommand({ JobName: 'sleeps', JobRunIds: [next!] }));
    expect((await finalRun('sleeps', next!)).JobRunState).toBe('STOPPED');
  });

  it('queues runs past MaxConcurrentRuns in WAITING when job run queuing is on, and starts them first come first served', async () => {
    // Each run holds its slot until the test creates its gate file.
    const gates = mkdtempSync(join(tmpdir(), 'glue-gates-'));
    await defineJob({
      name: 'queued', queuing: true,
      script: 'import os, sys, time\nargs = dict(zip(sys.argv[1::2], sys.argv[2::2]))\nwhile not os.path.exists(args["--gate"]):\n    time.sleep(0.05)\n',
    });
    const start = async (gate: string) => (await glue.send(new StartJobRunCommand({ JobName: 'queued', Arguments: { '--gate': join(gates, gate) } }))).JobRunId!;
    const first = await start('first');
    const second = await start('second');
    const third = await start('third');
    const fourth = await start('fourth');
    await waitFor('the first run to run', async () => (await runState('queued', first)) === 'RUNNING' || undefined);
    expect([await runState('queued', second), await runState('queued', third), await runState('queued', fourth)]).toEqual(['WAITING', 'WAITING', 'WAITING']);
    expect((await glue.send(new GetJobRunCommand({ JobName: 'queued', RunId: second }))).JobRun?.JobRunQueuingEnabled).toBe(true);

    // A queued run can be stopped before it ever starts.
    const stop = await glue.send(new BatchStopJobRunCommand({ JobName: 'queued', JobRunIds: [third] }));
    expect(stop.SuccessfulSubmissions).toEqual([{ JobName: 'queued', JobRunId: third }]);
    expect(await finalRun('queued', third)).toMatchObject({ JobRunState: 'STOPPED', ExecutionTime: 0 });

    writeFileSync(join(gates, 'first'), '');
    expect((await finalRun('queued', first)).JobRunState).toBe('SUCCEEDED');
    await waitFor('the second run to leave the queue', async () => (await runState('queued', second)) === 'RUNNING' || undefined);
    expect(await runState('queued', fourth)).toBe('WAITING');
    writeFileSync(join(gates, 'second'), '');
    writeFileSync(join(gates, 'fourth'), '');
    expect((await finalRun('queued', second)).JobRunState).toBe('SUCCEEDED');
    expect((await finalRun('queued', fourth)).JobRunState).toBe('SUCCEEDED');
  }, 60_000);

  it('lets the run\'s JobRunQueuingEnabled override the job\'s', async () => {
    await defineJob({ name: 'unqueued', script: 'import time\ntime.sleep(60)\n' });
    const { JobRunId: running } = await glue.send(new StartJobRunCommand({ JobName: 'unqueued' }));
    const { JobRunId: queued } = await glue.send(new StartJobRunCommand({ JobName: 'unqueued', JobRunQueuingEnabled: true }));
    expect(await runState('unqueued', queued!)).toBe('WAITING');
    await expect(glue.send(new StartJobRunCommand({ JobName: 'unqueued', JobRunQueuingEnabled: false }))).rejects.toBeInstanceOf(ConcurrentRunsExceededException);
    await glue.send(new BatchStopJobRunCommand({ JobName: 'unqueued', JobRunIds: [queued!, running!] }));
    expect((await finalRun('unqueued', queued!)).JobRunState).toBe('STOPPED');
    expect((await finalRun('unqueued', running!)).JobRunState).toBe('STOPPED');
  });

  it('ends a run that exceeds its timeout with TIMEOUT', async () => {
    await defineJob({ name: 'slow', script: 'import time\ntime.sleep(60)\n', timeoutMinutes: 1 });
    const { JobRunId } = await glue.send(new StartJobRunCommand({ JobName: 'slow' }));
    const run = await finalRun('slow', JobRunId!);
    expect(run.JobRunState).toBe('TIMEOUT');
    expect(run.ExecutionTime).toBeLessThan(10);
  });

  it('answers EntityNotFoundException for a job that does not exist', async () => {
    await expect(glue.send(new StartJobRunCommand({ JobName: 'missing' }))).rejects.toMatchObject({ name: 'EntityNotFoundException' });
  });

  it('runs a PySpark script in local mode that reads and writes s3:// paths', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'in/data.csv', Body: 'id,amount\n1,10\n2,32\n' }));
    await defineJob({
      name: 'spark', type: 'glueetl', maxConcurrentRuns: 2, timeoutMinutes: 120,
      script: [
        'import sys',
        'from pyspark.sql import SparkSession',
        'args = dict(zip(sys.argv[1::2], sys.argv[2::2]))',
        'spark = SparkSession.builder.getOrCreate()',
        'df = spark.read.option("header", True).csv(args["--input_uri"])',
        'df.selectExpr("sum(cast(amount as int)) as total").coalesce(1).write.mode("overwrite").json(args["--output_uri"] + "total")',
        '',
      ].join('\n'),
    });
    const { JobRunId } = await glue.send(new StartJobRunCommand({ JobName: 'spark', Arguments: { '--input_uri': `s3://${bucket}/in/data.csv` } }));
    const run = await finalRun('spark', JobRunId!);
    expect(run.ErrorMessage).toBeUndefined();
    expect(run.JobRunState).toBe('SUCCEEDED');
    const { ListObjectsV2Command } = await import('@aws-sdk/client-s3');
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'out/total/' }));
    const keys = (listed.Contents ?? []).map((object) => object.Key!);
    expect(keys.some((key) => key.endsWith('.crc') || key.endsWith('_SUCCESS'))).toBe(false);
    const part = keys.find((key) => /part-.*\.json$/.test(key));
    const body = await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: part! }))).Body!.transformToString();
    expect(JSON.parse(body)).toEqual({ total: 42 });
  }, 120_000);
});
