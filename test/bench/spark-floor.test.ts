import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSales } from '../../generator/generate-sales.js';
import { projectRoot, venvPython } from '../../stage/python-env.js';
import { readCsv } from '../generator/csv-reader.js';
import { failOrSkip } from '../prerequisites.js';

/** glue/tools/spark_floor.py, the floor `npm run bench:job` measures the job against, on a small generated file. */
const java = spawnSync('java', ['-version']);
if (java.error || java.status !== 0) failOrSkip({ what: 'the Spark floor of bench:job', missing: 'Java 17 is not on PATH: install a JDK 17' });

const ROWS = 100;

describe.skipIf(java.error || java.status !== 0)('the Spark floor (bench:job)', () => {
  const folder = mkdtempSync(join(tmpdir(), 'spark-floor-'));
  const input = join(folder, 'sales.csv');
  const output = join(folder, 'floor');
  let stdout = '';

  beforeAll(async () => {
    // No dirt: every record is one line and every date is the generator's ISO form, so each row has one month.
    generateSales({ rows: ROWS, seed: 7, out: input, dirtyRate: 0 });
    // Seconds on an idle machine; the long timeout is for a shared, loaded one.
    // Asynchronous: a synchronous spawn would block the test worker's event loop for the whole Spark run.
    ({ stdout } = await promisify(execFile)(venvPython, ['-m', 'tools.spark_floor', '--input_uri', input, '--output_uri', output], {
      cwd: join(projectRoot, 'glue'),
      env: { ...process.env, PYSPARK_SUBMIT_ARGS: '--master local[1] --conf spark.ui.enabled=false --conf spark.ui.showConsoleProgress=false pyspark-shell' },
    }));
  }, 300_000);
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('reports its session start and its copy time separately', () => {
    const times = JSON.parse(stdout.trim().split('\n').at(-1) as string) as Record<string, number>;
    expect(Object.keys(times).sort()).toEqual(['copy_s', 'session_s']);
    expect(times.session_s).toBeGreaterThan(0);
    expect(times.copy_s).toBeGreaterThan(0);
  });

  it('writes every row of the CSV, each under the month of its order date', async () => {
    const { header, records } = readCsv(readFileSync(input, 'utf8'));
    const dateIndex = header.findIndex((name) => name.toLowerCase().replace(/[^a-z]/g, '') === 'orderdate');
    const expected = new Map<string, number>();
    for (const record of records) {
      const month = (record.fields as string[])[dateIndex]!.slice(0, 7);
      expected.set(month, (expected.get(month) ?? 0) + 1);
    }
    expect(records).toHaveLength(ROWS);

    const written = new Map<string, number>();
    for (const partition of readdirSync(output).filter((name) => name.startsWith('order_month='))) {
      const month = partition.slice('order_month='.length);
      for (const file of readdirSync(join(output, partition)).filter((name) => name.endsWith('.parquet'))) {
        const bytes = readFileSync(join(output, partition, file));
        const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
        const columns = parquetMetadata(buffer).schema.slice(1).map((element) => element.name);
        expect(columns).toHaveLength(header.length);
        const dateColumn = columns.find((name) => name.toLowerCase().replace(/[^a-z]/g, '') === 'orderdate') as string;
        const rows = await parquetReadObjects({ file: buffer, columns: [dateColumn] });
        expect(rows.every((row) => String(row[dateColumn]).startsWith(month))).toBe(true);
        written.set(month, (written.get(month) ?? 0) + rows.length);
      }
    }
    expect(Object.fromEntries(written)).toEqual(Object.fromEntries(expected));
  });
});
