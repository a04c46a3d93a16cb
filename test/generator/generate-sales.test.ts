import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateSales } from '../../generator/generate-sales.js';
import { totalCents } from '../../generator/money.js';

function generate(options: { rows: number; seed: number; lineId?: 'yes' | 'no' }) {
  const folder = mkdtempSync(join(tmpdir(), 'generate-'));
  const out = join(folder, 'sales_data.csv');
  const result = generateSales({ ...options, out });
  return { folder, out, result, truth: JSON.parse(readFileSync(result.truthPath, 'utf8')) };
}

/** An independent RFC 4180 reader: records with the physical line each starts on. */
function readRecords(text: string): { line: number; fields: string[] | null }[] {
  const records: { line: number; fields: string[] | null }[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  let index = 0;
  while (index < lines.length) {
    const start = index;
    let record = lines[index] as string;
    while ((record.match(/"/g) ?? []).length % 2 === 1 && index + 1 < lines.length) record += `\n${lines[++index]}`;
    index += 1;
    const wellFormed = /^(?:"(?:[^"]|"")*"|[^",\n]*)(?:,(?:"(?:[^"]|"")*"|[^",\n]*))*$/.test(record);
    records.push({ line: start + 1, fields: wellFormed ? record.split(',') : null });
  }
  return records;
}

describe('generateSales', () => {
  it('writes byte-identical files for the same seed', () => {
    const first = generate({ rows: 2_000, seed: 42 });
    const second = generate({ rows: 2_000, seed: 42 });
    expect(readFileSync(second.out, 'utf8')).toBe(readFileSync(first.out, 'utf8'));
    expect(readFileSync(second.result.truthPath, 'utf8')).toBe(readFileSync(first.result.truthPath, 'utf8'));
  });

  it('reconciles: every record read is clean, rejected or a dropped duplicate', () => {
    const { truth } = generate({ rows: 20_000, seed: 3 });
    const { rows_read, rows_clean, rows_rejected, duplicates_dropped } = truth.counts;
    expect(rows_read).toBe(rows_clean + rows_rejected + duplicates_dropped);
    expect(truth.aggregates.total.lines).toBe(rows_clean);
  });

  it('produces every rejection reason and duplicate kind at the default dirty rate', () => {
    const { truth } = generate({ rows: 20_000, seed: 5, lineId: 'yes' });
    const reasons = Object.keys(truth.reasons).map((reason) => reason.split(':')[0]);
    for (const reason of ['missing_required', 'invalid_id', 'invalid_date', 'date_out_of_range', 'invalid_quantity', 'non_positive_quantity', 'invalid_price', 'negative_price', 'invalid_discount', 'malformed_record', 'duplicate_order_line']) {
      expect(reasons).toContain(reason);
    }
    expect(truth.reasons['missing_required:line_id']).toBeGreaterThan(0);
    expect(truth.counts.duplicates_dropped).toBeGreaterThan(0);
    expect(truth.counts.blank_lines).toBeGreaterThan(0);
    for (const count of ['invalid_emails', 'unknown_countries', 'unknown_payment_methods', 'unknown_sales_channels']) {
      expect(truth.quality[count]).toBeGreaterThan(0);
    }
  });

  it('renders every accepted raw form somewhere in the file', () => {
    const text = readFileSync(generate({ rows: 20_000, seed: 9 }).out, 'utf8');
    const forms = [/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z/, /\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/, /\b\d{2}\/\d{2}\/\d{4}\b/, /\b\d{4}\/\d{2}\/\d{2}\b/, /\b\d{2}-[A-Za-z]{3}-\d{4}\b/, /[A-Z][a-z]+ \d{1,2}, \d{4}/, /,\d{8},/, /\$\d/, /USD \d/, /US\$\d/, /\d,\d{3}\.\d{2}/, /\d+ ?%/, /"[^"\n]*\n[^"]*"/, /(N\/A|null|None|NaN)/];
    for (const form of forms) expect(text).toMatch(form);
  });

  it('records source lines that an independent CSV reader agrees with', () => {
    const { out, folder, truth } = generate({ rows: 5_000, seed: 13 });
    const records = readRecords(readFileSync(out, 'utf8')).slice(1).filter((record) => record.fields === null || record.fields.join('').trim() !== '' || record.fields.length > 1);
    const nonBlank = records.filter((record) => !(record.fields?.length === 1 && record.fields[0]?.trim() === ''));
    expect(nonBlank.length).toBe(truth.counts.rows_read);
    const recordLines = new Set(nonBlank.map((record) => record.line));
    const truthLines = [
      ...readFileSync(join(folder, truth.clean_rows_file), 'utf8').trim().split('\n'),
      ...readFileSync(join(folder, truth.rejected_rows_file), 'utf8').trim().split('\n'),
    ].map((line) => JSON.parse(line).source_line as number);
    for (const line of truthLines) expect(recordLines.has(line)).toBe(true);
  });

  it('computes totals with half-up rounding to the cent', () => {
    expect(totalCents(3, 199_900, 1_500)).toBe(5097); // 3 × 19.99 × 0.85 = 50.9745
    expect(totalCents(1, 450, 0)).toBe(5); // 0.045 rounds half up to 0.05
    expect(totalCents(2, 1_234_567, 0)).toBe(24691); // 246.9134
  });
});
