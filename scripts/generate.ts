import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { generateSales } from '../generator/generate-sales.js';

function fail(message: string): never {
  console.error(`generate: ${message}`);
  process.exit(2);
}

function positiveInteger(name: string, value: string | undefined, fallback?: number): number {
  if (value === undefined) {
    if (fallback === undefined) fail(`--${name} is required`);
    return fallback;
  }
  if (!/^\d+$/.test(value) || Number(value) <= 0) fail(`--${name} must be a positive whole number, got "${value}"`);
  return Number(value);
}

const { values } = (() => {
  try {
    return parseArgs({
      options: {
        rows: { type: 'string' }, seed: { type: 'string' }, out: { type: 'string' }, dirty: { type: 'string' },
        'line-id': { type: 'string' }, 'truth-rows-limit': { type: 'string' }, from: { type: 'string' }, to: { type: 'string' },
      },
    });
  } catch (error) {
    fail(`${(error as Error).message}. Usage: npm run generate -- --rows N --seed S --out FILE [--dirty RATE] [--line-id yes|no|random]`);
  }
})();

const rows = positiveInteger('rows', values.rows);
const seed = values.seed === undefined ? 1 : /^\d+$/.test(values.seed) ? Number(values.seed) : fail(`--seed must be a whole number, got "${values.seed}"`);
const out = values.out ?? fail('--out FILE is required (the CSV to write, e.g. out/sales_data.csv)');
const dirtyRate = values.dirty === undefined ? 0.05 : Number(values.dirty);
if (!(dirtyRate >= 0 && dirtyRate <= 1)) fail(`--dirty must be a rate between 0 and 1, got "${values.dirty}"`);
const lineId = (values['line-id'] ?? 'random') as 'yes' | 'no' | 'random';
if (!['yes', 'no', 'random'].includes(lineId)) fail(`--line-id must be yes, no or random, got "${lineId}"`);
for (const name of ['from', 'to'] as const) {
  const value = values[name];
  if (value !== undefined && (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value)))) fail(`--${name} must be a date YYYY-MM-DD, got "${value}"`);
}

mkdirSync(dirname(out), { recursive: true });
const started = Date.now();
let lastReport = started;
const result = generateSales({
  rows, seed, out, dirtyRate, lineId, from: values.from, to: values.to,
  truthRowsLimit: positiveInteger('truth-rows-limit', values['truth-rows-limit'], 200_000),
  onProgress: (written) => {
    const now = Date.now();
    if (now - lastReport < 1000) return;
    lastReport = now;
    const rate = written / ((now - started) / 1000);
    process.stderr.write(`generate: ${written.toLocaleString('en-US')} / ${rows.toLocaleString('en-US')} rows, ${Math.round(rate).toLocaleString('en-US')} rows/s, about ${Math.ceil((rows - written) / rate)} s left\n`);
  },
});
const seconds = (Date.now() - started) / 1000;
const { counts } = result;
console.log(`generate: wrote ${result.csvPath} (${counts.rows_read.toLocaleString('en-US')} records) in ${seconds.toFixed(1)} s, ${Math.round(rows / seconds).toLocaleString('en-US')} rows/s`);
console.log(`generate: expected clean ${counts.rows_clean}, rejected ${counts.rows_rejected}, duplicates dropped ${counts.duplicates_dropped}, blank lines ${counts.blank_lines}`);
console.log(`generate: ground truth in ${result.truthPath}`);
