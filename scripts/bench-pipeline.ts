// `npm run bench:pipeline [-- --sizes 10000x3,1000000x1] [--pool off,on]`: latency from upload to rows queryable on
// the local stage (started or reused like dev:up), per file size, with the Glue runner's pool of pre-warmed Spark
// processes off and on in one run (the emulator restarts between the two; moto keeps the stage). Each run uploads a
// freshly generated file under raw/bench/ and times the chain until the loader's audit row; with the pool on, a run
// starts once a pre-warmed process is ready. Prints every run with where its time went, and the medians.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gluePoolSize, gluePoolStatus, restartEmulator } from '../emulator/dev-env/dev-env.js';
import { startLocalStage } from '../emulator/dev-env/local-stage.js';
import { generateSales } from '../generator/generate-sales.js';
import { followRun, type RunProgress } from '../drivers/follow-run.js';
import { localPipeline, type PipelineHandle } from '../drivers/local-pipeline.js';
import { describeProgress } from '../drivers/progress-text.js';
import { uploadFile } from '../drivers/upload-file.js';
import { localStageConfig } from '../emulator/dev-env/local-stage-config.js';
import { devPaths } from '../stage/dev-paths.js';
import { median } from './lib/median.js';
import { ensurePythonEnv, requireJava } from '../stage/python-env.js';

type PoolMode = 'off' | 'on';

/** Seconds of one run, from the upload to the audit row, and where they went. */
interface RunTimes {
  total: number;
  /** Upload → the Glue run started (S3 event, queue, trigger Lambda). */
  toJob: number;
  /** The Glue run, start to end (files in, Spark up, the job, outputs out). */
  job: number;
  /** The job's own work, as it logs it (from its first log line, once its Spark session is up). */
  jobBody?: number;
  /** The Glue run's end → the audit row (state-change event, loader Lambda, COPY and MERGE). */
  load: number;
}

function sizes(spec: string): { rows: number; runs: number }[] {
  return spec.split(',').map((part) => {
    const match = /^(\d+)(?:x(\d+))?$/.exec(part.trim());
    if (!match) throw new Error(`--sizes takes ROWSxRUNS[,ROWSxRUNS…] (e.g. 10000x3,1000000x1), got "${part}"`);
    return { rows: Number(match[1]), runs: Number(match[2] ?? 1) };
  });
}

function modes(spec: string): PoolMode[] {
  const listed = spec.split(',').map((mode) => mode.trim());
  if (listed.length === 0 || listed.some((mode) => mode !== 'on' && mode !== 'off')) throw new Error(`--pool takes off, on or both (off,on), got "${spec}"`);
  return listed as PoolMode[];
}

/** The seconds the job logged for its own work: from its first line (its Spark session is up) to its last. */
function jobBodySeconds(stateDir: string, jobRunId: string): number | undefined {
  const log = join(devPaths(stateDir).glueRuns, jobRunId, 'output.log');
  if (!existsSync(log)) return undefined;
  const stamps = [...readFileSync(log, 'utf8').matchAll(/^clean_sales \[\s*([\d.]+)s\]/gm)].map((match) => Number(match[1]));
  return stamps.length > 0 ? stamps.at(-1)! - stamps[0]! : undefined;
}

async function waitForWarmProcess(stateDir: string, jobName: string): Promise<void> {
  const deadline = Date.now() + 15 * 60_000;
  while (!gluePoolStatus(stateDir).some((pooled) => pooled.jobName === jobName && pooled.state === 'ready')) {
    if (Date.now() > deadline) throw new Error(`no pre-warmed Spark process of ${jobName} became ready in 15 minutes: see .dev/glue-runs/pool/*/output.log`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function timeRun(options: { pipeline: PipelineHandle; stateDir: string; csvPath: string; key: string; label: string }): Promise<RunTimes> {
  const { pipeline } = options;
  const started = Date.now();
  const object = await uploadFile(pipeline.s3, { file: options.csvPath, bucket: pipeline.bucket, key: options.key });
  let last: RunProgress | undefined;
  const audit = await followRun({
    glue: pipeline.glue, warehouse: pipeline.warehouse, jobName: pipeline.jobName, runId: object.runId, timeoutMs: 60 * 60_000, pollMs: 100,
    onProgress: (progress) => {
      last = progress;
      console.log(`bench: ${options.label}: ${describeProgress(progress)}`);
    },
  });
  const ended = Date.now();
  if (audit.status !== 'loaded') throw new Error(`run ${object.runId} ended ${audit.status}: ${audit.error}`);
  const jobRun = last?.jobRun;
  if (!jobRun?.StartedOn || !jobRun.CompletedOn || !jobRun.Id) throw new Error(`run ${object.runId} has no finished Glue run`);
  const seconds = (from: number, to: number) => (to - from) / 1000;
  return {
    total: seconds(started, ended),
    toJob: seconds(started, jobRun.StartedOn.getTime()),
    job: seconds(jobRun.StartedOn.getTime(), jobRun.CompletedOn.getTime()),
    jobBody: jobBodySeconds(options.stateDir, jobRun.Id),
    load: seconds(jobRun.CompletedOn.getTime(), ended),
  };
}

function describeTimes(times: RunTimes): string {
  const body = times.jobBody === undefined ? '' : ` (job's own work ${times.jobBody.toFixed(1)} s, start-up and I/O ${(times.job - times.jobBody).toFixed(1)} s)`;
  return `${times.total.toFixed(1)} s = to the Glue run ${times.toJob.toFixed(1)} s + Glue run ${times.job.toFixed(1)} s${body} + load ${times.load.toFixed(1)} s`;
}

function medianTimes(all: RunTimes[]): RunTimes {
  const bodies = all.flatMap((times) => (times.jobBody === undefined ? [] : [times.jobBody]));
  return {
    total: median(all.map((times) => times.total)), toJob: median(all.map((times) => times.toJob)),
    job: median(all.map((times) => times.job)), load: median(all.map((times) => times.load)),
    jobBody: bodies.length === all.length ? median(bodies) : undefined,
  };
}

try {
  const { values } = parseArgs({ args: process.argv.slice(2), options: {
    sizes: { type: 'string', default: '10000x3,1000000x1' }, pool: { type: 'string', default: 'off,on' },
  } });
  const plan = sizes(values.sizes);
  const poolModes = modes(values.pool);
  const python = ensurePythonEnv({ quiet: true });
  requireJava();
  const devConfig = localStageConfig(python);
  const poolSize = Math.max(1, gluePoolSize(process.env));
  const endpoints = await startLocalStage(devConfig, { log: (line) => console.log(`bench: ${line}`) });
  const folder = mkdtempSync(join(tmpdir(), 'sdp-bench-'));
  const results: string[] = [];
  try {
    for (const mode of poolModes) {
      console.log(`bench: restarting the emulator with the Glue pool ${mode === 'on' ? `on (${poolSize} per job)` : 'off'}`);
      await restartEmulator({ ...devConfig, gluePool: mode === 'on' ? poolSize : 0 });
      const pipeline = localPipeline(endpoints);
      try {
        for (const { rows, runs } of plan) {
          const all: RunTimes[] = [];
          for (let run = 0; run < runs; run++) {
            const label = `pool ${mode}, ${rows} rows, run ${run + 1}`;
            const { csvPath } = generateSales({ rows, seed: 9000 + run, out: join(folder, `bench_${rows}_${run}.csv`), orderPrefix: `BENCH${run}`, truthRowsLimit: 0 });
            if (mode === 'on') await waitForWarmProcess(devConfig.stateDir, pipeline.jobName);
            all.push(await timeRun({ pipeline, stateDir: devConfig.stateDir, csvPath, key: `raw/bench/sales_${rows}.csv`, label }));
            console.log(`bench: ${label}: ${describeTimes(all.at(-1)!)}`);
          }
          results.push(`bench: pool ${mode}, ${rows} rows: median ${describeTimes(medianTimes(all))} over ${runs} run(s) [${all.map((times) => times.total.toFixed(1)).join(', ')}]`);
          console.log(results.at(-1));
        }
      } finally {
        pipeline.destroy();
      }
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
    // Leave the emulator as dev:up would have started it.
    await restartEmulator(devConfig);
  }
  console.log(['bench: summary', ...results].join('\n'));
} catch (error) {
  console.error(`bench:pipeline: ${(error as Error).message}`);
  process.exitCode = 1;
}
