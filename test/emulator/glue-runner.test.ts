import { CreateJobCommand, GetJobRunCommand, GetJobRunsCommand, BatchStopJobRunCommand, GlueClient, StartJobRunCommand, ConcurrentRunsExceededException } from '@aws-sdk/client-glue';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGlueArtifacts } from '../../artifacts/glue-artifacts.js';
import { SHORT_RUN_INPUT_BYTES } from '../../emulator/glue-runner/job-command.js';
import { waitFor } from '../deadline.js';
import { allowEverything, createRole, startHarness, type Harness } from './emulator-harness.js';

const bucket = 'glue-runner-test';
let harness: Harness;
let glue: GlueClient;
let s3: S3Client;
let roleArn: string;
let sqs: SQSClient;
let eventQueueUrl: string;
/** Every "Glue Job State Change" event the runner published, by job run id. */
const stateChanges = new Map<string, { state: string; message: string }>();

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
  sqs = new SQSClient(harness.aws);
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  roleArn = await createRole(harness.aws, { name: 'glue', statements: allowEverything });
  // The runner's state-change events land in a queue, as an EventBridge rule with an SQS target delivers them.
  eventQueueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'glue-events' }))).QueueUrl!;
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: eventQueueUrl, AttributeNames: ['QueueArn'] }));
  const events = new EventBridgeClient(harness.aws);
  await events.send(new PutRuleCommand({ Name: 'glue-state', EventPattern: JSON.stringify({ source: ['aws.glue'], 'detail-type': ['Glue Job State Change'] }) }));
  await events.send(new PutTargetsCommand({ Rule: 'glue-state', Targets: [{ Id: 'queue', Arn: Attributes!.QueueArn! }] }));
});

/** The state-change event published for a run, waiting for it to arrive. */
async function stateChange(jobRunId: string) {
  return waitFor(`the state change of ${jobRunId}`, async () => {
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: eventQueueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
    for (const message of Messages) {
      const { detail } = JSON.parse(message.Body!) as { detail: { jobRunId: string; state: string; message: string } };
      stateChanges.set(detail.jobRunId, { state: detail.state, message: detail.message });
      await sqs.send(new DeleteMessageCommand({ QueueUrl: eventQueueUrl, ReceiptHandle: message.ReceiptHandle }));
    }
    return stateChanges.get(jobRunId);
  });
}

/** Spark's log lines, which must never be taken for a run's ErrorMessage. */
const SPARK_LOG_LINE = /\d{2}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2} (INFO|WARN|ERROR)|ShutdownHookManager/;

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

  it('reports FAILED with the exception of a script that raises, in the run and in its state-change event', async () => {
    await defineJob({ name: 'raises', script: 'raise ValueError("input file has no order_id column")\n' });
    const { JobRunId } = await glue.send(new StartJobRunCommand({ JobName: 'raises' }));
    const run = await finalRun('raises', JobRunId!);
    expect(run.JobRunState).toBe('FAILED');
    expect(run.ErrorMessage).toBe('ValueError: input file has no order_id column');
    expect(await stateChange(JobRunId!)).toEqual({ state: 'FAILED', message: 'ValueError: input file has no order_id column' });
  });

  it('says which signal ended a script that died without an exception', async () => {
    await defineJob({ name: 'killed', script: 'import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n' });
    const { JobRunId } = await glue.send(new StartJobRunCommand({ JobName: 'killed' }));
    const run = await finalRun('killed', JobRunId!);
    expect(run).toMatchObject({ JobRunState: 'FAILED', ErrorMessage: expect.stringMatching(/^the job's process was killed by SIGKILL before the script finished/) });
  });

  it('refuses a run past MaxConcurrentRuns and stops a run on request', async () => {
    await defineJob({ name: 'sleeps', script: 'import time\ntime.sleep(60)\n' });
    const { JobRunId } = await glue.send(new StartJobRunCommand({ JobName: 'sleeps' }));
    await expect(glue.send(new StartJobRunCommand({ JobName: 'sleeps' }))).rejects.toBeInstanceOf(ConcurrentRunsExceededException);
    const stop = await glue.send(new BatchStopJobRunCommand({ JobName: 'sleeps', JobRunIds: [JobRunId!, 'jr_unknown'] }));
    expect(stop.SuccessfulSubmissions).toEqual([{ JobName: 'sleeps', JobRunId }]);
    expect(stop.Errors!.map((error) => error.JobRunId)).toEqual(['jr_unknown']);
    const stopped = await finalRun('sleeps', JobRunId!);
    expect(stopped.JobRunState).toBe('STOPPED');
    // A stop on request is no failure: no ErrorMessage, and the event says who stopped it.
    expect(stopped.ErrorMessage).toBeUndefined();
    expect(await stateChange(JobRunId!)).toEqual({ state: 'STOPPED', message: 'Job run stopped by a BatchStopJobRun request' });
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
    expect(run.ErrorMessage).toBe('Job run exceeded its timeout of 1 minutes and was stopped: raise Timeout on the job or the run if it needs longer');
    expect(await stateChange(JobRunId!)).toEqual({ state: 'TIMEOUT', message: run.ErrorMessage });
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
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'out/total/' }));
    const keys = (listed.Contents ?? []).map((object) => object.Key!);
    expect(keys.some((key) => key.endsWith('.crc') || key.endsWith('_SUCCESS'))).toBe(false);
    const part = keys.find((key) => /part-.*\.json$/.test(key));
    const body = await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: part! }))).Body!.transformToString();
    expect(JSON.parse(body)).toEqual({ total: 42 });
  }, 120_000);

  describe('keys with "..", "." or empty segments', () => {
    // Enough ".." to climb from any mount folder to "/", then into a folder of the test's own.
    const outside = mkdtempSync(join(tmpdir(), 'glue-outside-'));
    const climbing = `raw/${'../'.repeat(40)}${outside.slice(1)}/x.csv`;

    async function runOn(key: string) {
      const { JobRunId } = await glue.send(new StartJobRunCommand({ JobName: 'keys', Arguments: { '--input_uri': `s3://${bucket}/${key}` } }));
      return finalRun('keys', JobRunId!);
    }

    beforeAll(() => defineJob({ name: 'keys', script: 'print("the script must not run")\n', maxConcurrentRuns: 5 }));

    it('stores a key sent with "/" encoded as %2F as written, and refuses to mount it', async () => {
      // HTTP path normalisation leaves %2F alone, so S3 (and moto) keep the ".." segments in the key.
      const encoded = climbing.split('/').map(encodeURIComponent).join('%2F');
      const put = await fetch(`${harness.services.gatewayUrl}/${bucket}/${encoded}`, {
        method: 'PUT', body: 'order_id\n1\n', headers: { authorization: 'AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=x' },
      });
      expect(put.status).toBe(200);
      const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'raw/../' }));
      expect(listed.Contents?.map((object) => object.Key)).toContain(climbing);

      const run = await runOn(climbing);
      expect(run.JobRunState).toBe('FAILED');
      expect(run.ErrorMessage).toContain(`s3://${bucket}/${climbing} cannot be mounted for the Glue run: it has a ".." segment`);
      expect(readdirSync(outside)).toEqual([]);
    });

    it.each(['raw/./x.csv', 'raw//x.csv', 'raw/../x.csv'])('refuses %s, uploaded as a plain key', async (key) => {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'order_id\n1\n' }));
      const run = await runOn(key);
      expect(run.JobRunState).toBe('FAILED');
      expect(run.ErrorMessage).toMatch(/cannot be mounted for the Glue run: it has an? (empty|"\.\.?") segment/);
      expect(existsSync(join(harness.stateDir, 'glue-runs', run.Id!, 's3', 'x.csv'))).toBe(false);
    });

    it('refuses an output prefix that climbs out of the mount before the script runs', async () => {
      const { JobRunId } = await glue.send(new StartJobRunCommand({
        JobName: 'keys', Arguments: { '--output_uri': `s3://${bucket}/${'../'.repeat(40)}${outside.slice(1)}/` },
      }));
      const run = await finalRun('keys', JobRunId!);
      expect(run.ErrorMessage).toMatch(/cannot be mounted/);
      expect(readdirSync(outside)).toEqual([]);
    });
  });

  it('runs a small input on the JVM for short runs and a large one on the full JIT with a larger heap, the same script either way', async () => {
    await defineJob({
      name: 'jit-probe', type: 'glueetl', maxConcurrentRuns: 2, timeoutMinutes: 30,
      script: [
        'from pyspark.sql import SparkSession',
        'jvm = SparkSession.builder.getOrCreate()._jvm',
        'arguments = jvm.java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()',
        'print("jit:", ",".join(str(a) for a in arguments if "Tiered" in str(a)) or "full")',
        'print("heap:", jvm.java.lang.Runtime.getRuntime().maxMemory() // 2**20)',
      ].join('\n'),
    });
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'jit/small.csv', Body: 'order_id\n1\n' }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'jit/large.csv', Body: Buffer.alloc(SHORT_RUN_INPUT_BYTES + 1, 'a') }));
    const runs = await Promise.all(['small', 'large'].map(async (size) => {
      const { JobRunId } = await glue.send(new StartJobRunCommand({ JobName: 'jit-probe', Arguments: { '--input_uri': `s3://${bucket}/jit/${size}.csv` } }));
      return finalRun('jit-probe', JobRunId!);
    }));
    const [small, large] = runs.map((run) => {
      expect(run.JobRunState).toBe('SUCCEEDED');
      const output = readFileSync(join(harness.stateDir, 'glue-runs', run.Id!, 'output.log'), 'utf8');
      return { jit: /^jit: (.*)$/m.exec(output)?.[1], heapMiB: Number(/^heap: (\d+)$/m.exec(output)?.[1]) };
    });
    expect([small!.jit, large!.jit]).toEqual(['-XX:TieredStopAtLevel=1', 'full']);
    // The JVM reports a little less than -Xmx (one survivor space): 1 GiB is Spark's default, 4 GiB the long runs'.
    expect(small!.heapMiB).toBeLessThanOrEqual(1024);
    expect(large!.heapMiB).toBeGreaterThan(3 * 1024);
  }, 240_000);

  describe('a PySpark run that fails says why in one line, in the user\'s terms', () => {
    beforeAll(async () => {
      const artifacts = mkdtempSync(join(tmpdir(), 'glue-artifacts-'));
      buildGlueArtifacts({ outDir: artifacts });
      for (const name of ['clean_sales.py', 'sales_cleaning.zip']) {
        await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `scripts/glue/${name}`, Body: readFileSync(join(artifacts, name)) }));
      }
      await glue.send(new CreateJobCommand({
        Name: 'clean_sales', Role: 'arn:aws:iam::123456789012:role/glue', GlueVersion: '5.0', Timeout: 30,
        Command: { Name: 'glueetl', ScriptLocation: `s3://${bucket}/scripts/glue/clean_sales.py` },
        DefaultArguments: { '--extra-py-files': `s3://${bucket}/scripts/glue/sales_cleaning.zip`, '--output_uri': `s3://${bucket}/job-out/` },
        ExecutionProperty: { MaxConcurrentRuns: 2 },
      }));
    });

    it('ends the job on a missing input with the s3:// URI, never the emulator\'s scratch path, and a failed manifest', async () => {
      const input = `s3://${bucket}/raw/missing.csv`;
      const { JobRunId } = await glue.send(new StartJobRunCommand({ JobName: 'clean_sales', Arguments: { '--input_uri': input, '--run_id': 'missing-run' } }));
      const run = await finalRun('clean_sales', JobRunId!);
      expect(run.JobRunState).toBe('FAILED');
      expect(run.ErrorMessage).toBe(`InputNotFoundError: the input ${input} does not exist: it was deleted or renamed after the upload, or --input_uri names another object`);
      expect(await stateChange(JobRunId!)).toEqual({ state: 'FAILED', message: run.ErrorMessage });
      const manifest = JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'job-out/manifests/missing-run.json' }))).Body!.transformToString());
      expect(manifest).toMatchObject({ run_id: 'missing-run', status: 'failed', error: run.ErrorMessage });
    }, 180_000);

    it('names a failed Spark task by its own exception and root cause, not by Spark\'s wrapper or logs', async () => {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'in/broken.parquet', Body: 'PAR1 this is not Parquet' }));
      await defineJob({
        name: 'reads-parquet', type: 'glueetl', timeoutMinutes: 30,
        script: 'import sys\nfrom pyspark.sql import SparkSession\nargs = dict(zip(sys.argv[1::2], sys.argv[2::2]))\nSparkSession.builder.getOrCreate().read.parquet(args["--input_uri"]).count()\n',
      });
      const input = `s3://${bucket}/in/broken.parquet`;
      const { JobRunId } = await glue.send(new StartJobRunCommand({ JobName: 'reads-parquet', Arguments: { '--input_uri': input } }));
      const run = await finalRun('reads-parquet', JobRunId!);
      expect(run.JobRunState).toBe('FAILED');
      expect(run.ErrorMessage).toMatch(new RegExp(`^a Spark task failed: .*\\(caused by RuntimeException: ${input} is not a Parquet file\\.`));
      expect(run.ErrorMessage).not.toMatch(SPARK_LOG_LINE);
      expect(run.ErrorMessage).not.toContain(harness.stateDir);
    }, 180_000);
  });
});
