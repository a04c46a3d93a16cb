import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateSales } from '../generator/generate-sales.js';
import { median } from './lib/median.js';

/**
 * Generator throughput: rows per second at 1M rows (override with --rows, --runs), median of the runs.
 * CPU seconds are printed too: on a shared machine wall time also measures the neighbours.
 */
const { values } = parseArgs({ options: { rows: { type: 'string', default: '1000000' }, runs: { type: 'string', default: '3' } } });
const rows = Number(values.rows);
const runs = Number(values.runs);
const folder = mkdtempSync(join(tmpdir(), 'bench-generate-'));
const rates: number[] = [];
const cpuRates: number[] = [];
const number = (value: number): string => Math.round(value).toLocaleString('en-US');
try {
  for (let run = 1; run <= runs; run++) {
    const cpu = process.cpuUsage();
    const started = process.hrtime.bigint();
    generateSales({ rows, seed: run, out: join(folder, `sales_${run}.csv`) });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const used = process.cpuUsage(cpu);
    const cpuSeconds = (used.user + used.system) / 1e6;
    rates.push(rows / seconds);
    cpuRates.push(rows / cpuSeconds);
    console.log(`run ${run}: ${number(rows)} rows in ${seconds.toFixed(2)} s = ${number(rows / seconds)} rows/s (CPU ${cpuSeconds.toFixed(2)} s), peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB`);
  }
  console.log(`median: ${number(median(rates))} rows/s wall, ${number(median(cpuRates))} rows/s per CPU second, over ${runs} runs (goal: 250,000 rows/s)`);
} finally {
  rmSync(folder, { recursive: true, force: true });
}
