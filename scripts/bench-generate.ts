import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generateSales } from '../generator/generate-sales.js';
import { median } from './lib/median.js';

/** Generator throughput: rows per second at 1M rows (override with --rows, --runs), median of the runs. */
const { values } = parseArgs({ options: { rows: { type: 'string', default: '1000000' }, runs: { type: 'string', default: '3' } } });
const rows = Number(values.rows);
const runs = Number(values.runs);
const folder = mkdtempSync(join(tmpdir(), 'bench-generate-'));
const rates: number[] = [];
for (let run = 1; run <= runs; run++) {
  const started = process.hrtime.bigint();
  generateSales({ rows, seed: run, out: join(folder, `sales_${run}.csv`) });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  rates.push(rows / seconds);
  console.log(`run ${run}: ${rows.toLocaleString('en-US')} rows in ${seconds.toFixed(2)} s = ${Math.round(rows / seconds).toLocaleString('en-US')} rows/s, peak RSS ${Math.round(process.memoryUsage().rss / 2 ** 20)} MiB`);
}
console.log(`median: ${Math.round(median(rates)).toLocaleString('en-US')} rows/s over ${runs} runs (goal: 200,000 rows/s)`);
rmSync(folder, { recursive: true, force: true });
