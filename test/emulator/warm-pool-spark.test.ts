import { CreateJobCommand, DeleteJobCommand, GetJobRunCommand, GlueClient, StartJobRunCommand } from '@aws-sdk/client-glue';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGlueArtifacts } from '../../artifacts/glue-artifacts.js';
import { gluePoolStatus } from '../../emulator/dev-env/dev-env.js';
import { generateSales } from '../../generator/generate-sales.js';
import { allowEverything, createRole, startHarness, type Harness } from './emulator-harness.js';
import { waitFor } from '../deadline.js';
import { pythonZip } from './python-zip.js';

// Spark on two shared cores: generous limits, never timings.
const SPARK_MS = 15 * 60_000;
const bucket = 'warm-pool-spark';
let harness: Harness;
let glue: GlueClient;
let s3: S3Client;
const logs: string[] = [];
const gates = mkdtempSync(join(tmpdir(), 'sdp-spark-gates-'));

/**
 * A PySpark script that prints what it sees of its run and its session, then leaves traces a later run
 * in the same JVM must not see (a temporary view, a SQL setting): its dry run in the pool leaves them too.
 */
const viewScript = [
  'import json, os, sys, time',
  'from pyspark.sql import SparkSession',
  'import marker',
  'args = dict(zip(sys.argv[1::2], sys.argv[2::2]))',
  'spark = SparkSession.builder.appName("view").getOrCreate()',
  'while args.get("--gate") and not os.path.exists(args["--gate"]):',
  '    time.sleep(0.05)',
  'lines = spark.read.text(args["--input_uri"]).count()',
  'print(json.dumps({"argv": sys.argv, "cwd": os.getcwd(), "file": __file__, "marker": marker.__file__, "version": marker.VERSION,',
  '    "shuffle": spark.conf.get("spark.sql.shuffle.partitions"), "views": [table.name for table in spark.catalog.listTables()],',
  '    "app": spark.sparkContext.appName, "lines": lines, "endpoint": os.environ.get("AWS_ENDPOINT_URL"),',
  '    "path": sys.path, "pythonpath": os.environ.get("PYTHONPATH")}), flush=True)',
  'spark.range(1).createOrReplaceTempView("left_by_this_run")',
  'spark.conf.set("spark.sql.shuffle.partitions", "7")',
  'spark.createDataFrame([(lines,)], "lines long").coalesce(1).write.mode("overwrite").json(args["--output_uri"] + "view/" + args["--JOB_RUN_ID"])',
  '',
].join('\n');

function readyProcess(jobName: string) {
  return waitFor(`a ready pre-warmed process of ${jobName}`, async () => gluePoolStatus(harness.stateDir)
    .find((pooled) => pooled.jobName === jobName && pooled.state === 'ready'), SPARK_MS);
}

async function start(jobName: string, args: Record<string, string>): Promise<string> {
  return (await glue.send(new StartJobRunCommand({ JobName: jobName, Arguments: args }))).JobRunId!;
}

async function succeeded(jobName: string, runId: string) {
  const run = await waitFor(`run ${runId} to end`, async () => {
    const { JobRun } = await glue.send(new GetJobRunCommand({ JobName: jobName, RunId: runId }));
    return ['SUCCEEDED', 'FAILED', 'STOPPED', 'TIMEOUT'].includes(JobRun!.JobRunState!) ? JobRun! : undefined;
  }, SPARK_MS);
  expect(run.ErrorMessage).toBeUndefined();
  expect(run.JobRunState).toBe('SUCCEEDED');
  return run;
}

async function object(key: string): Promise<string> {
  return (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString();
}

beforeAll(async () => {
  harness = await startHarness({ gluePool: 1, gluePoolLimits: { sweepMs: 500 }, log: (line) => logs.push(line) });
  glue = new GlueClient(harness.aws);
  s3 = new S3Client(harness.aws);
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await createRole(harness.aws, { name: 'glue', statements: allowEverything });
});

afterAll(async () => harness?.close());

describe('a pre-warmed Spark process', () => {
  it('runs a script in a fresh session that sees what a cold run sees, and none of the dry run\'s traces', async () => {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'scripts/view.py', Body: viewScript }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'scripts/marker.zip', Body: pythonZip({ 'marker.py': 'VERSION = 1\n' }) }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'in/lines.txt', Body: 'a\nb\nc\n' }));
    await glue.send(new CreateJobCommand({
      Name: 'view', Role: 'arn:aws:iam::123456789012:role/glue', GlueVersion: '5.0', Timeout: 60, ExecutionProperty: { MaxConcurrentRuns: 2 },
      Command: { Name: 'glueetl', ScriptLocation: `s3://${bucket}/scripts/view.py` },
      DefaultArguments: { '--extra-py-files': `s3://${bucket}/scripts/marker.zip`, '--output_uri': `s3://${bucket}/out/` },
    }));
    const ready = await readyProcess('view');
    const input = { '--input_uri': `s3://${bucket}/in/lines.txt` };
    const first = await start('view', { ...input, '--gate': join(gates, 'first') });
    const second = await start('view', { ...input, '--gate': join(gates, 'second') });
    writeFileSync(join(gates, 'first'), '');
    writeFileSync(join(gates, 'second'), '');
    await succeeded('view', first);
    await succeeded('view', second);
    // Both runs prepare at once: whichever is ready first takes the pre-warmed process.
    const warmLine = (runId: string) => `glue run ${runId} of view runs in the pre-warmed Spark process ${ready.pid}`;
    const [warmRun, coldRun] = logs.includes(warmLine(first)) ? [first, second] : [second, first];
    const gateOf = (runId: string) => (runId === first ? 'first' : 'second');
    expect(logs).toContain(warmLine(warmRun));
    expect(logs).toContain(`glue run ${coldRun} of view starts cold: no pre-warmed Spark process is ready`);

    const view = (runId: string, gate: string) => {
      const line = readFileSync(join(harness.stateDir, 'glue-runs', runId, 'output.log'), 'utf8').split('\n').find((text) => text.startsWith('{"argv"'))!;
      const seen = JSON.parse(line.replaceAll(join(harness.stateDir, 'glue-runs', runId), '<run>').replaceAll(runId, '<id>').replaceAll(join(gates, gate), '<gate>')
        .replace(/\/[^"]*\/spark-[\w-]+\/userFiles-[\w-]+/g, '<spark files>')) as Record<string, unknown> & { path: string[] };
      // The same entries; a cold run's session adds Spark's two after the script's top-level imports, a pooled one's before.
      return { ...seen, path: [...seen.path].sort() };
    };
    const warm = view(warmRun, gateOf(warmRun));
    expect(warm).toEqual(view(coldRun, gateOf(coldRun)));
    expect(warm).toMatchObject({
      cwd: '<run>', file: '<run>/script/view.py', marker: '<run>/py-files/marker.zip/marker.py', version: 1,
      shuffle: '200', views: [], app: 'view', lines: 3, endpoint: harness.services.gatewayUrl,
    });
    const written = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `out/view/${warmRun}/` }));
    expect(JSON.parse(await object(written.Contents!.find((item) => item.Key!.endsWith('.json'))!.Key!))).toEqual({ lines: 3 });
    await glue.send(new DeleteJobCommand({ JobName: 'view' }));
  }, 3 * SPARK_MS);

  it('cleans a file with the Glue job exactly as a cold run does, after a dry run of the job on a sample', async () => {
    const artifacts = mkdtempSync(join(tmpdir(), 'sdp-glue-artifacts-'));
    buildGlueArtifacts({ outDir: artifacts });
    for (const name of ['clean_sales.py', 'sales_cleaning.zip']) {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `scripts/glue/${name}`, Body: readFileSync(join(artifacts, name)) }));
    }
    await glue.send(new CreateJobCommand({
      Name: 'clean_sales', Role: 'arn:aws:iam::123456789012:role/glue', GlueVersion: '5.0', Timeout: 60, ExecutionProperty: { MaxConcurrentRuns: 2 },
      Command: { Name: 'glueetl', ScriptLocation: `s3://${bucket}/scripts/glue/clean_sales.py` },
      DefaultArguments: { '--extra-py-files': `s3://${bucket}/scripts/glue/sales_cleaning.zip`, '--output_uri': `s3://${bucket}/` },
    }));
    const data = mkdtempSync(join(tmpdir(), 'sdp-pool-data-'));
    const { csvPath } = generateSales({ rows: 2_000, seed: 404, out: join(data, 'sales.csv'), truthRowsLimit: 0 });
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'raw/sales.csv', Body: readFileSync(csvPath) }));
    const ready = await readyProcess('clean_sales');
    expect(logs.filter((line) => line.includes('dry run of clean_sales failed'))).toEqual([]);

    // Both runs at once, each under its own --run_id (its own output folders): whichever is ready first takes the
    // pre-warmed process and the other starts cold; no replacement warms while they run, to compete with the cold one.
    const args = (runId: string) => ({ '--input_uri': `s3://${bucket}/raw/sales.csv`, '--run_id': runId, '--run_date': '2026-01-02' });
    const runs = [
      { runId: 'first-run', jobRunId: await start('clean_sales', args('first-run')) },
      { runId: 'second-run', jobRunId: await start('clean_sales', args('second-run')) },
    ];
    for (const run of runs) await succeeded('clean_sales', run.jobRunId);
    const warmLine = (jobRunId: string) => `glue run ${jobRunId} of clean_sales runs in the pre-warmed Spark process ${ready.pid}`;
    const [warm, cold] = logs.includes(warmLine(runs[0]!.jobRunId)) ? runs : [...runs].reverse();
    expect(logs).toContain(warmLine(warm!.jobRunId));
    expect(logs).toContain(`glue run ${cold!.jobRunId} of clean_sales starts cold: no pre-warmed Spark process is ready`);

    const manifest = async (runId: string) => {
      const { counts, reasons, quality, ignored_columns, has_line_id, sample_rejections, status, checks } = JSON.parse(await object(`manifests/${runId}.json`));
      return { counts, reasons, quality, ignored_columns, has_line_id, status, checks, sample_rejections: JSON.stringify(sample_rejections).replaceAll(runId, '<run>') };
    };
    const pooled = await manifest(warm!.runId);
    expect(pooled.status).toBe('succeeded');
    expect(pooled.counts.rows_read).toBe(2_000);
    expect(pooled).toEqual(await manifest(cold!.runId));
  }, 3 * SPARK_MS);
});
