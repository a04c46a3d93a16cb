import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateSales } from '../generator/generate-sales.js';
import { median } from './lib/median.js';
import { ensurePythonEnv, projectRoot, requireJava } from '../stage/python-env.js';

/**
 * Glue job wall time in Spark local mode (process start to exit) against the bare Spark floor measured in
 * the same run (glue/tools/spark_floor.py: the same CSV read and written back as Parquet by month, same
 * Spark settings). Job and floor alternate within each run, so load on the machine hits both; the ratio of
 * the medians is the measure.
 */
const { values } = parseArgs({ options: { rows: { type: 'string', default: '100000,1000000' }, runs: { type: 'string', default: '3' } } });
const python = ensurePythonEnv({ quiet: true });
requireJava();
const env = { ...process.env, PYSPARK_SUBMIT_ARGS: '--conf spark.ui.showConsoleProgress=false --conf spark.ui.enabled=false pyspark-shell' };

interface FloorTimes { session_s: number; copy_s: number }
interface SizeResult { rows: number; job: number[]; floor: number[]; session: number[]; copy: number[] }

/** Runs one process to its end; its wall time in seconds and its stdout. */
function timed(args: string[], options: { cwd: string; what: string }): { seconds: number; stdout: string } {
  const started = Date.now();
  const result = spawnSync(python, args, { cwd: options.cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`${options.what} failed (exit ${result.status}): ${result.stderr.split('\n').slice(-5).join('\n')}`);
  return { seconds: (Date.now() - started) / 1000, stdout: result.stdout };
}

const seconds = (value: number): string => `${value.toFixed(1)} s`;
const columns = ['job', 'floor', 'session', 'copy', 'job / floor', 'session / floor', 'session / job'];

/** Medians of one size, in the order of `columns`. */
function summaryRow(result: SizeResult): string[] {
  const [job, floor, session, copy] = [result.job, result.floor, result.session, result.copy].map(median) as [number, number, number, number];
  return [seconds(job), seconds(floor), seconds(session), seconds(copy), (job / floor).toFixed(2), `${Math.round((100 * session) / floor)} %`, `${Math.round((100 * session) / job)} %`];
}
const folder = mkdtempSync(join(tmpdir(), 'bench-job-'));
const results: SizeResult[] = [];
try {
  for (const rows of values.rows.split(',').map(Number)) {
    const label = `${rows.toLocaleString('en-US')} rows`;
    const input = join(folder, `sales_${rows}.csv`);
    generateSales({ rows, seed: 1, out: input, truthRowsLimit: 1 });
    const result: SizeResult = { rows, job: [], floor: [], session: [], copy: [] };
    for (let run = 1; run <= Number(values.runs); run++) {
      const jobOut = join(folder, `job_${rows}_${run}`);
      const floorOut = join(folder, `floor_${rows}_${run}`);
      // Alternating which goes first keeps a warm page cache or a burst of load from favouring one side.
      const order = run % 2 === 1 ? ['job', 'floor'] : ['floor', 'job'];
      for (const side of order) {
        if (side === 'job') {
          const job = timed(['glue/clean_sales.py', '--input_uri', input, '--output_uri', jobOut, '--run_id', `bench-${run}`, '--run_date', '2026-01-01'], { cwd: projectRoot, what: `job run on ${label}` });
          result.job.push(job.seconds);
        } else {
          const floor = timed(['-m', 'tools.spark_floor', '--input_uri', input, '--output_uri', floorOut], { cwd: join(projectRoot, 'glue'), what: `Spark floor on ${label}` });
          const times = JSON.parse(floor.stdout.trim().split('\n').at(-1) ?? '{}') as FloorTimes;
          result.floor.push(floor.seconds);
          result.session.push(times.session_s);
          result.copy.push(times.copy_s);
        }
      }
      rmSync(jobOut, { recursive: true, force: true });
      rmSync(floorOut, { recursive: true, force: true });
      const last = result.job.length - 1;
      console.log(`${label}, run ${run}: job ${seconds(result.job[last]!)}, floor ${seconds(result.floor[last]!)} (session ${seconds(result.session[last]!)}, copy ${seconds(result.copy[last]!)}), ratio ${(result.job[last]! / result.floor[last]!).toFixed(2)}`);
    }
    rmSync(input, { force: true });
    results.push(result);
    console.log(`${label}, medians: ${summaryRow(result).map((value, index) => `${columns[index]} ${value}`).join(', ')}`);
  }
} finally {
  rmSync(folder, { recursive: true, force: true });
}

console.log(`\nmedians over ${values.runs} runs; job = clean_sales.py, floor = CSV → Parquet by month; session = the floor's start to a ready SparkSession`);
console.log(['rows', ...columns].join(' | '));
for (const result of results) console.log([result.rows.toLocaleString('en-US'), ...summaryRow(result)].join(' | '));
