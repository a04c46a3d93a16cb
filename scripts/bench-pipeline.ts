// `npm run bench:pipeline [-- --sizes 10000x3,1000000x1]`: latency from upload to rows queryable on the
// local stage (started or reused like dev:up), per file size: each run uploads a freshly generated file
// under raw/bench/ and times the chain until the loader's audit row; prints every run and the median.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startLocalStage } from '../emulator/dev-env/local-stage.js';
import { generateSales } from '../generator/generate-sales.js';
import { followRun } from '../drivers/follow-run.js';
import { localPipeline } from '../drivers/local-pipeline.js';
import { describeProgress } from '../drivers/progress-text.js';
import { uploadFile } from '../drivers/upload-file.js';
import { localStageConfig } from '../emulator/dev-env/local-stage-config.js';
import { median } from './lib/median.js';
import { ensurePythonEnv, requireJava } from '../stage/python-env.js';

function sizes(spec: string): { rows: number; runs: number }[] {
  return spec.split(',').map((part) => {
    const match = /^(\d+)(?:x(\d+))?$/.exec(part.trim());
    if (!match) throw new Error(`--sizes takes ROWSxRUNS[,ROWSxRUNS…] (e.g. 10000x3,1000000x1), got "${part}"`);
    return { rows: Number(match[1]), runs: Number(match[2] ?? 1) };
  });
}

try {
  const { values } = parseArgs({ args: process.argv.slice(2), options: { sizes: { type: 'string', default: '10000x3,1000000x1' } } });
  const plan = sizes(values.sizes);
  const python = ensurePythonEnv({ quiet: true });
  requireJava();
  const endpoints = await startLocalStage(localStageConfig(python), { log: (line) => console.log(`bench: ${line}`) });
  const pipeline = localPipeline(endpoints);
  const folder = mkdtempSync(join(tmpdir(), 'sdp-bench-'));
  try {
    for (const { rows, runs } of plan) {
      const seconds: number[] = [];
      for (let run = 0; run < runs; run++) {
        const { csvPath } = generateSales({ rows, seed: 9000 + run, out: join(folder, `bench_${rows}_${run}.csv`), orderPrefix: `BENCH${run}`, truthRowsLimit: 0 });
        const started = Date.now();
        const object = await uploadFile(pipeline.s3, { file: csvPath, bucket: pipeline.bucket, key: `raw/bench/sales_${rows}.csv` });
        const audit = await followRun({
          glue: pipeline.glue, warehouse: pipeline.warehouse, jobName: pipeline.jobName, runId: object.runId, timeoutMs: 60 * 60_000, pollMs: 250,
          onProgress: (progress) => console.log(`bench: ${rows} rows, run ${run + 1}: ${describeProgress(progress)}`),
        });
        if (audit.status !== 'loaded') throw new Error(`run ${object.runId} ended ${audit.status}: ${audit.error}`);
        seconds.push((Date.now() - started) / 1000);
        console.log(`bench: ${rows} rows, run ${run + 1}: ${seconds.at(-1)!.toFixed(1)} s from upload to ${audit.rowsClean} rows queryable`);
      }
      console.log(`bench: ${rows} rows: median ${median(seconds).toFixed(1)} s over ${runs} run(s) [${seconds.map((value) => value.toFixed(1)).join(', ')}]`);
    }
  } finally {
    pipeline.destroy();
    rmSync(folder, { recursive: true, force: true });
  }
} catch (error) {
  console.error(`bench:pipeline: ${(error as Error).message}`);
  process.exitCode = 1;
}
