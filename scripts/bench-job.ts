import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateSales } from '../generator/generate-sales.js';
import { median } from './lib/median.js';
import { ensurePythonEnv, projectRoot, requireJava } from '../stage/python-env.js';

/** Glue job wall time in Spark local mode (process start to manifest), median of the runs per size. */
const { values } = parseArgs({ options: { rows: { type: 'string', default: '100000,1000000' }, runs: { type: 'string', default: '3' } } });
const python = ensurePythonEnv({ quiet: true });
requireJava();
const folder = mkdtempSync(join(tmpdir(), 'bench-job-'));
for (const rows of values.rows.split(',').map(Number)) {
  const input = join(folder, `sales_${rows}.csv`);
  generateSales({ rows, seed: 1, out: input, truthRowsLimit: 1 });
  const times: number[] = [];
  for (let run = 1; run <= Number(values.runs); run++) {
    const started = Date.now();
    const result = spawnSync(python, ['glue/clean_sales.py', '--input_uri', input, '--output_uri', join(folder, `out_${rows}_${run}`), '--run_id', `bench-${run}`, '--run_date', '2026-01-01'], {
      cwd: projectRoot, stdio: ['ignore', 'ignore', 'ignore'],
      env: { ...process.env, PYSPARK_SUBMIT_ARGS: '--conf spark.ui.showConsoleProgress=false --conf spark.ui.enabled=false pyspark-shell' },
    });
    if (result.status !== 0) throw new Error(`job run failed on ${rows} rows (exit ${result.status})`);
    times.push((Date.now() - started) / 1000);
    console.log(`${rows.toLocaleString('en-US')} rows, run ${run}: ${times[times.length - 1]?.toFixed(1)} s`);
  }
  console.log(`${rows.toLocaleString('en-US')} rows: median ${median(times).toFixed(1)} s over ${times.length} runs`);
}
rmSync(folder, { recursive: true, force: true });
