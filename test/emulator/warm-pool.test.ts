import { CreateJobCommand, GetJobRunCommand, GlueClient, StartJobRunCommand } from '@aws-sdk/client-glue';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gluePoolSize, gluePoolStatus, InvalidPoolSizeError } from '../../emulator/dev-env/dev-env.js';
import { allowEverything, createRole, startHarness, type Harness } from './emulator-harness.js';
import { waitFor } from '../deadline.js';
import { pythonZip } from './python-zip.js';

/** spark-submit without Spark: runs scripts, and plays the pre-warmed process around them (test/fixtures/glue-runner). */
const fakeSparkSubmit = fileURLToPath(new URL('../fixtures/glue-runner/fake-spark-submit', import.meta.url));
const bucket = 'warm-pool-test';

/** What a job script sees of its run, printed as one JSON line; it waits for its gate file when given one. */
const viewScript = [
  'import json, os, sys, time',
  'import marker',
  'args = dict(zip(sys.argv[1::2], sys.argv[2::2]))',
  'while args.get("--gate") and not os.path.exists(args["--gate"]):',
  '    time.sleep(0.05)',
  'print(json.dumps({"argv": sys.argv, "cwd": os.getcwd(), "file": __file__, "name": __name__, "marker": marker.__file__,',
  '    "version": marker.VERSION, "endpoint": os.environ.get("AWS_ENDPOINT_URL"), "key": os.environ.get("AWS_ACCESS_KEY_ID"),',
  '    "aws": sorted((name, value) for name, value in os.environ.items() if name.startswith("AWS_")), "pid": os.getpid()}), flush=True)',
  '',
].join('\n');

interface Pool {
  harness: Harness;
  glue: GlueClient;
  s3: S3Client;
  logs: string[];
}

async function startPool(limits: { idleLimitMs?: number } = {}): Promise<Pool> {
  const logs: string[] = [];
  const harness = await startHarness({ sparkSubmit: fakeSparkSubmit, gluePool: 1, gluePoolLimits: { sweepMs: 200, ...limits }, log: (line) => logs.push(line) });
  const glue = new GlueClient(harness.aws);
  const s3 = new S3Client(harness.aws);
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await createRole(harness.aws, { name: 'glue', statements: allowEverything });
  return { harness, glue, s3, logs };
}

async function defineViewJob(pool: Pool, name: string, version: number): Promise<void> {
  await pool.s3.send(new PutObjectCommand({ Bucket: bucket, Key: `scripts/${name}.py`, Body: viewScript }));
  await shipMarker(pool, version);
  await pool.glue.send(new CreateJobCommand({
    Name: name, Role: 'arn:aws:iam::123456789012:role/glue', GlueVersion: '5.0', ExecutionProperty: { MaxConcurrentRuns: 2 },
    Command: { Name: 'glueetl', ScriptLocation: `s3://${bucket}/scripts/${name}.py` },
    DefaultArguments: { '--extra-py-files': `s3://${bucket}/scripts/marker.zip`, '--output_uri': `s3://${bucket}/out/` },
  }));
}

function shipMarker(pool: Pool, version: number) {
  return pool.s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'scripts/marker.zip', Body: pythonZip({ 'marker.py': `VERSION = ${version}\n` }) }));
}

/** The job's ready process, once there is one (optionally another than `not`). */
function readyProcess(pool: Pool, jobName: string, not?: number) {
  return waitFor(`a ready pre-warmed process of ${jobName}`, async () => gluePoolStatus(pool.harness.stateDir)
    .find((pooled) => pooled.jobName === jobName && pooled.state === 'ready' && pooled.pid !== not), 60_000);
}

async function run(pool: Pool, jobName: string, args: Record<string, string> = {}): Promise<string> {
  return (await pool.glue.send(new StartJobRunCommand({ JobName: jobName, Arguments: args }))).JobRunId!;
}

/** The view the script printed, once the run succeeded. */
async function viewOf(pool: Pool, jobName: string, runId: string) {
  const ended = await waitFor(`run ${runId} to end`, async () => {
    const { JobRun } = await pool.glue.send(new GetJobRunCommand({ JobName: jobName, RunId: runId }));
    return ['SUCCEEDED', 'FAILED', 'STOPPED', 'TIMEOUT'].includes(JobRun!.JobRunState!) ? JobRun! : undefined;
  }, 60_000);
  expect(ended.ErrorMessage).toBeUndefined();
  expect(ended.JobRunState).toBe('SUCCEEDED');
  const line = readFileSync(join(pool.harness.stateDir, 'glue-runs', runId, 'output.log'), 'utf8').split('\n').find((text) => text.startsWith('{'));
  return JSON.parse(line!) as { argv: string[]; cwd: string; file: string; name: string; marker: string; version: number; endpoint: string; key: string; pid: number };
}

describe('pre-warmed Glue runs, with a stand-in for spark-submit', () => {
  let pool: Pool;
  const gates = mkdtempSync(join(tmpdir(), 'sdp-pool-gates-'));

  beforeAll(async () => {
    pool = await startPool();
    await defineViewJob(pool, 'view', 1);
  });
  afterAll(async () => pool?.harness.close());

  it('keeps a ready process per glueetl job, with the memory it holds for dev:status', async () => {
    const ready = await readyProcess(pool, 'view');
    expect(ready.memoryBytes).toBeGreaterThan(1024 * 1024);
    expect(pool.logs.some((line) => line.startsWith(`glue pool: pre-warmed process ${ready.pid} of view ready in `))).toBe(true);
  });

  it('hands a run the ready process, whose script sees what a cold run\'s sees; a second run at once starts cold', async () => {
    const ready = await readyProcess(pool, 'view');
    const first = await run(pool, 'view', { '--gate': join(gates, 'first') });
    // While the pre-warmed process runs, its replacement waits: of two runs at once, one finds none ready.
    const second = await run(pool, 'view', { '--gate': join(gates, 'second') });
    writeFileSync(join(gates, 'first'), '');
    writeFileSync(join(gates, 'second'), '');
    const gateOf = (runId: string) => join(gates, runId === first ? 'first' : 'second');
    await Promise.all([viewOf(pool, 'view', first), viewOf(pool, 'view', second)]);
    // Both runs prepare at once: whichever is ready first takes the pre-warmed process.
    const warmLine = (runId: string) => `glue run ${runId} of view runs in the pre-warmed Spark process ${ready.pid}`;
    const [warmRun, coldRun] = pool.logs.includes(warmLine(first)) ? [first, second] : [second, first];
    const [warm, cold] = [await viewOf(pool, 'view', warmRun), await viewOf(pool, 'view', coldRun)];
    expect(pool.logs).toContain(warmLine(warmRun));
    expect(pool.logs).toContain(`glue run ${coldRun} of view starts cold: no pre-warmed Spark process is ready`);
    expect(warm.pid).toBe(ready.pid);
    const runDir = (runId: string) => join(pool.harness.stateDir, 'glue-runs', runId);
    const relative = (view: typeof warm, runId: string) => JSON.parse(JSON.stringify(view).replaceAll(runDir(runId), '<run>').replaceAll(runId, '<id>').replaceAll(gateOf(runId), '<gate>'));
    const warmView = { ...relative(warm, warmRun), pid: 'the process' };
    const coldView = { ...relative(cold, coldRun), pid: 'the process' };
    expect(warmView).toEqual(coldView);
    expect(warmView).toMatchObject({
      name: '__main__', cwd: '<run>', file: '<run>/script/view.py', marker: '<run>/py-files/marker.zip/marker.py', version: 1,
      // The job role's temporary keys (IAM is enforced in the harness), as Glue gives a run.
      endpoint: pool.harness.services.gatewayUrl, key: expect.stringMatching(/^ASIA/),
    });
    expect(warmView.argv).toEqual(['<run>/script/view.py', '--extra-py-files', `s3://${bucket}/scripts/marker.zip`, '--output_uri', `s3://${bucket}/out/`,
      '--gate', '<gate>', '--JOB_NAME', 'view', '--JOB_RUN_ID', '<id>']);
  });

  it('starts a replacement once the run\'s process has ended, not while it competes with the run for the CPU', async () => {
    const taken = await readyProcess(pool, 'view');
    const runId = await run(pool, 'view', { '--gate': join(gates, 'replacement') });
    // Several sweeps (every 200 ms) while the run holds the process: none of them starts a replacement.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(gluePoolStatus(pool.harness.stateDir).filter((pooled) => pooled.jobName === 'view')).toEqual([]);
    writeFileSync(join(gates, 'replacement'), '');
    expect((await viewOf(pool, 'view', runId)).pid).toBe(taken.pid);
    expect((await readyProcess(pool, 'view', taken.pid)).pid).not.toBe(taken.pid);
  });

  it('warms no replacement while other runs of the job still run, so a burst of runs gets the CPU', async () => {
    const taken = await readyProcess(pool, 'view');
    const first = await run(pool, 'view', { '--gate': join(gates, 'burst-first') });
    const second = await run(pool, 'view', { '--gate': join(gates, 'burst-second') });
    writeFileSync(join(gates, 'burst-first'), '');
    expect((await viewOf(pool, 'view', first)).pid).toBe(taken.pid);
    // The pooled process has ended, but the cold second run still runs: several sweeps start nothing.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(gluePoolStatus(pool.harness.stateDir).filter((pooled) => pooled.jobName === 'view')).toEqual([]);
    writeFileSync(join(gates, 'burst-second'), '');
    expect((await viewOf(pool, 'view', second)).pid).not.toBe(taken.pid);
    expect((await readyProcess(pool, 'view', taken.pid)).pid).not.toBe(taken.pid);
  });

  it('replaces a waiting process when the job\'s files change, so a run always gets its own code', async () => {
    const stale = await readyProcess(pool, 'view');
    await shipMarker(pool, 2);
    const fresh = await readyProcess(pool, 'view', stale.pid);
    expect(pool.logs).toContain(`glue pool: the files or definition of view changed; its pre-warmed process ${stale.pid} is replaced`);
    const view = await viewOf(pool, 'view', await run(pool, 'view'));
    expect(view).toMatchObject({ version: 2, pid: fresh.pid });
  });

  it('replaces a process that dies while it waits', async () => {
    const doomed = await readyProcess(pool, 'view');
    process.kill(doomed.pid, 'SIGKILL');
    const replacement = await readyProcess(pool, 'view', doomed.pid);
    expect(replacement.pid).not.toBe(doomed.pid);
  });
});

describe('a pre-warmed process past its idle limit', () => {
  let pool: Pool;
  beforeAll(async () => {
    pool = await startPool({ idleLimitMs: 1500 });
    await defineViewJob(pool, 'idle', 1);
  });
  afterAll(async () => pool?.harness.close());

  it('is replaced by a fresh one', async () => {
    const first = await readyProcess(pool, 'idle');
    const second = await readyProcess(pool, 'idle', first.pid);
    expect(pool.logs).toContain(`glue pool: the pre-warmed process ${first.pid} of idle was idle past its limit; it is replaced`);
    expect(second.pid).not.toBe(first.pid);
  });
});

describe('GLUE_RUNNER_POOL', () => {
  it('is 1 by default, any count on request, 0 for no pool, and refuses anything else naming the variable', () => {
    expect(gluePoolSize({})).toBe(1);
    expect(gluePoolSize({ GLUE_RUNNER_POOL: '3' })).toBe(3);
    expect(gluePoolSize({ GLUE_RUNNER_POOL: '0' })).toBe(0);
    expect(() => gluePoolSize({ GLUE_RUNNER_POOL: 'yes' })).toThrow(InvalidPoolSizeError);
    expect(() => gluePoolSize({ GLUE_RUNNER_POOL: '-1' })).toThrow(/GLUE_RUNNER_POOL is "-1"/);
  });
});
