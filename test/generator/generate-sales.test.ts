import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateSales, type GenerateOptions } from '../../generator/generate-sales.js';
import { referenceData } from '../../generator/reference-data.js';
import { headerColumn, readCsv, type CsvRecord } from './csv-reader.js';

interface Generated {
  folder: string;
  csv: string;
  truth: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  clean: Record<string, string | number | null>[];
  rejected: { source_line: number; reasons: string[]; raw_record: string }[];
}

function generate(options: Omit<GenerateOptions, 'out'>): Generated {
  const folder = mkdtempSync(join(tmpdir(), 'generate-'));
  const out = join(folder, 'sales_data.csv');
  const { truthPath } = generateSales({ ...options, out });
  const truth = JSON.parse(readFileSync(truthPath, 'utf8'));
  const jsonl = (name: string | null) => (name ? readFileSync(join(folder, name), 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line)) : []);
  return { folder, csv: readFileSync(out, 'utf8'), truth, clean: jsonl(truth.clean_rows_file), rejected: jsonl(truth.rejected_rows_file) };
}

/** Raw values of each column, by the header as the contract maps it (first column of a name wins). */
function valuesByColumn(records: CsvRecord[], header: string[]): Map<string, string[]> {
  const positions = new Map<string, number>();
  header.forEach((name, index) => {
    const column = headerColumn(name);
    if (column && !positions.has(column)) positions.set(column, index);
  });
  const values = new Map<string, string[]>();
  for (const [column, index] of positions) values.set(column, records.flatMap((record) => (record.fields?.length === header.length ? [record.fields[index] as string] : [])));
  return values;
}

const REASONS = ['missing_required', 'invalid_id', 'invalid_date', 'date_out_of_range', 'invalid_quantity', 'non_positive_quantity', 'invalid_price', 'negative_price', 'invalid_discount', 'malformed_record', 'duplicate_order_line'];

describe('generateSales', () => {
  let withIds: Generated;
  let withoutIds: Generated;
  beforeAll(() => {
    withIds = generate({ rows: 20_000, seed: 5, lineId: 'yes' });
    withoutIds = generate({ rows: 20_000, seed: 8, lineId: 'no', lineEnding: 'crlf', bom: 'yes' });
  });

  it('writes byte-identical files for the same seed and different ones for another seed', () => {
    const first = generate({ rows: 3_000, seed: 42 });
    const second = generate({ rows: 3_000, seed: 42 });
    expect(second.csv).toBe(first.csv);
    expect(second.truth).toEqual(first.truth);
    expect(second.rejected).toEqual(first.rejected);
    expect(second.clean).toEqual(first.clean);
    expect(generate({ rows: 3_000, seed: 43 }).csv).not.toBe(first.csv);
  });

  it('numbers orders under the given prefix, so files of one warehouse never share an order', () => {
    const prefixed = generate({ rows: 500, seed: 42, orderPrefix: 'B7' });
    const plain = generate({ rows: 500, seed: 42 });
    expect(prefixed.clean.length).toBeGreaterThan(0);
    expect(prefixed.clean.every((row) => /^B7-\d{8}$/.test(row.order_id as string))).toBe(true);
    expect(plain.clean.every((row) => /^ORD-\d{8}$/.test(row.order_id as string))).toBe(true);
    expect(prefixed.truth.counts).toEqual(plain.truth.counts);
  });

  it('reconciles: every record read is clean, rejected or a dropped duplicate', () => {
    for (const { truth, clean, rejected } of [withIds, withoutIds]) {
      const { rows_read, rows_clean, rows_rejected, duplicates_dropped } = truth.counts;
      expect(rows_read).toBe(20_000);
      expect(rows_read).toBe(rows_clean + rows_rejected + duplicates_dropped);
      expect(clean).toHaveLength(rows_clean);
      expect(rejected).toHaveLength(rows_rejected);
      expect(Object.values(truth.reasons as Record<string, number>).reduce((sum, count) => sum + count, 0)).toBe(rejected.reduce((sum, row) => sum + row.reasons.length, 0));
      const cents = clean.reduce((sum, row) => sum + BigInt((row.total_amount as string).replace('.', '')), 0n);
      expect(truth.aggregates.total).toMatchObject({ lines: rows_clean, revenue: `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}` });
      expect(Object.values(truth.aggregates.by_month as Record<string, { lines: number }>).reduce((sum, month) => sum + month.lines, 0)).toBe(rows_clean);
    }
  });

  it('produces every rejection reason, for every required and id column, and rows with several reasons', () => {
    const reasons = Object.keys(withIds.truth.reasons);
    for (const reason of REASONS) expect(reasons.some((name) => name.split(':')[0] === reason)).toBe(true);
    for (const column of ['order_id', 'line_id', 'order_date', 'customer_id', 'product_id', 'quantity', 'unit_price']) expect(reasons).toContain(`missing_required:${column}`);
    for (const column of ['order_id', 'customer_id', 'product_id']) expect(reasons).toContain(`invalid_id:${column}`);
    expect(withIds.rejected.filter((row) => row.reasons.length >= 2).length).toBeGreaterThan(10);
    expect(withIds.rejected.some((row) => row.reasons.length === 3)).toBe(true);
    for (const { truth } of [withIds, withoutIds]) {
      expect(truth.counts.duplicates_dropped).toBeGreaterThan(0);
      expect(truth.reasons.duplicate_order_line).toBeGreaterThan(0);
      expect(truth.counts.blank_lines).toBeGreaterThan(0);
      for (const count of ['invalid_emails', 'unknown_countries', 'unknown_payment_methods', 'unknown_sales_channels', 'truncated_values']) expect(truth.quality[count]).toBeGreaterThan(0);
    }
  });

  it('lists reasons in DESIGN 4.2 order, and rejected and clean rows sorted by source line', () => {
    for (const { rejected, clean } of [withIds, withoutIds]) {
      for (const row of rejected) {
        const ranks = row.reasons.map((reason) => REASONS.indexOf(reason.split(':')[0] as string));
        expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
        if (row.reasons.includes('malformed_record') || row.reasons.includes('duplicate_order_line')) expect(row.reasons).toHaveLength(1);
      }
      for (const rows of [rejected, clean]) {
        const lines = rows.map((row) => row.source_line as number);
        expect(lines).toEqual([...lines].sort((a, b) => a - b));
      }
    }
  });

  it('writes truth files in the documented format', () => {
    const { truth, clean } = withoutIds;
    expect(Object.keys(truth)).toEqual(['format', 'seed', 'rows', 'dirty_rate', 'has_line_id', 'bom', 'line_ending', 'date_range', 'counts', 'reasons', 'ignored_columns', 'quality', 'aggregates', 'clean_rows_file', 'rejected_rows_file']);
    expect(truth).toMatchObject({ format: 1, seed: 8, rows: 20_000, dirty_rate: 0.05, has_line_id: false, bom: true, line_ending: 'crlf', date_range: { from: '2024-01-01', to: '2025-12-31' } });
    expect(Object.keys(truth.aggregates)).toEqual(['total', 'by_month', 'by_product', 'by_customer', 'by_category', 'by_country', 'by_channel']);
    expect(Object.keys(Object.values(truth.aggregates.by_customer)[0] as object)).toEqual(['lines', 'orders', 'revenue']);
    expect(Object.keys(Object.values(truth.aggregates.by_product)[0] as object)).toEqual(['lines', 'units', 'revenue']);
    expect(Object.keys(Object.values(truth.aggregates.by_month)[0] as object)).toEqual(['lines', 'orders', 'units', 'revenue']);
    const keys = ['order_id', 'line_id', 'line_key', 'order_date', 'customer_id', 'customer_name', 'customer_email', 'product_id', 'product_name', 'category', 'quantity', 'unit_price', 'discount', 'total_amount', 'country', 'city', 'payment_method', 'sales_channel', 'source_line'].join();
    const misshapen = clean.filter((row) =>
      Object.keys(row).join() !== keys || row.line_id !== null || row.line_key !== row.product_id || !/^20\d\d-\d\d-\d\d$/.test(row.order_date as string) ||
      !/^\d+\.\d{4}$/.test(row.unit_price as string) || !/^[01]\.\d{4}$/.test(row.discount as string) || !Number.isInteger(row.quantity));
    expect(misshapen).toEqual([]);
    // total_amount = round_half_up(quantity × unit_price × (1 − discount), 2), recomputed in BigInt.
    const wrongTotals = clean.filter((row) => {
      const exact = BigInt(row.quantity as number) * BigInt((row.unit_price as string).replace('.', '')) * (10_000n - BigInt((row.discount as string).replace('.', '')));
      const cents = (exact + 500_000n) / 1_000_000n;
      return row.total_amount !== `${cents / 100n}.${String(cents % 100n).padStart(2, '0')}`;
    });
    expect(wrongTotals).toEqual([]);
    expect(generate({ rows: 500, seed: 1, truthRowsLimit: 499 }).truth.clean_rows_file).toBeNull();
  });

  it('agrees with an independent CSV reader on records, source lines, raw records and malformed records', () => {
    for (const { csv, truth, clean, rejected } of [withIds, withoutIds]) {
      const { header, records, blankLines } = readCsv(csv);
      expect(records).toHaveLength(truth.counts.rows_read);
      expect(blankLines).toBe(truth.counts.blank_lines);
      const byLine = new Map(records.map((record) => [record.line, record]));
      for (const row of rejected) {
        const record = byLine.get(row.source_line);
        expect(record?.text).toBe(row.raw_record);
        expect(!record?.fields || record.fields.length !== header.length).toBe(row.reasons[0] === 'malformed_record');
      }
      for (const row of clean) expect(byLine.get(row.source_line as number)?.fields).not.toBeNull();
      const listed = new Set([...clean, ...rejected].map((row) => row.source_line as number));
      expect(records.filter((record) => !listed.has(record.line))).toHaveLength(truth.counts.duplicates_dropped);
    }
    expect(withoutIds.csv.startsWith('\uFEFF')).toBe(true);
    expect(withoutIds.csv.replace(/\r\n/g, '')).not.toContain('\n');
  });

  it('writes every accepted raw form the contract lists', () => {
    const { header, records } = readCsv(withIds.csv);
    const values = valuesByColumn(records, header);
    const forms: Record<string, RegExp[]> = {
      order_date: [/^\d{4}-\d\d-\d\d$/, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/, /^\d\d\/\d\d\/\d{4}$/, /^\d\/\d\/\d{4}$/, /^\d{4}\/\d\d\/\d\d$/, /^\d\d-[A-Z][a-z]{2}-\d{4}$/, /^\d\d-[a-z]{3}-\d{4}$/, /^[A-Z][a-z]+ \d{1,2}, \d{4}$/, /^[A-Z]+ \d{1,2}, \d{4}$/, /^\d{8}$/, /^ +\d{4}-\d\d-\d\d */],
      unit_price: [/^\$\d/, /^\$ \d/, /^USD \d/, /^usd\d/, /^US\$\d/, /\d,\d{3}/, /^\d+\.\d{4}$/, /^\d+\.\d{5,}$/, /^\d+$/, /^ +.*\d *$/],
      quantity: [/^\d+$/, /^\d+\.0$/, /^\d+\.00$/, /^\+\d+$/, /^0\d+$/, /^ +\d+ *$/],
      discount: [/^$/, /^0\.\d+$/, /^\d+(\.\d+)?%$/, /^ ?\d+(\.\d+)? %$/, /^\d+\.\d{3}%$/, /^0\.\d{5}$/],
      category: [/^[a-z &]+$/, /^[A-Z_&]+_[A-Z_&]+$/, /\band\b/, /-&-/],
      country: [/^[a-z]{2}$/, /^[A-Z]{3}$/, /\./, /^United Kingdom$/i],
      payment_method: [/^card$/, /^(credit|debit)[-_ ]+card$/i, /^pay[-_ ]+pal$/i, /[-_]/],
      sales_channel: [/^online$/, /^(web|website|app)$/i, /^in[-_ ]+store$/i],
      customer_email: [/^ *[A-Z0-9.]+@[A-Z0-9.-]+ *$/, /^ .*@/, /^(?! *[^@\s]+@[^@\s]+\.[^@\s]+ *$)(?! *(null|none|n\/a|na|-|nan)? *$)/i],
      customer_name: [/ {2,}/, /, /, /^.{201,}$/],
      product_name: [/\n/, /\n\n/, /, /, /"/, /^.{201,}$/],
      city: [/, /, /^.{101,}$/],
      order_id: [/^ +ORD-\d+ *$/],
    };
    for (const [column, patterns] of Object.entries(forms)) {
      const columnValues = values.get(column) ?? [];
      for (const pattern of patterns) expect(columnValues.some((value) => pattern.test(value)), `${column} has a value matching ${pattern}`).toBe(true);
    }
    const optional = ['customer_name', 'customer_email', 'product_name', 'category', 'country', 'city', 'payment_method', 'sales_channel', 'discount'];
    const nullish = new Set(optional.flatMap((column) => values.get(column) ?? []).map((value) => value.trim().toLowerCase()));
    for (const token of referenceData.null_tokens) expect(nullish.has(token), `null token "${token}"`).toBe(true);
  });

  it('varies header spellings and lists exactly the ignored columns (unknown or repeated names)', () => {
    const headers = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((seed) => {
      const { csv, truth } = generate({ rows: 50, seed });
      const { header } = readCsv(csv);
      const seen = new Set<string>();
      const ignored = header.filter((name) => {
        const column = headerColumn(name);
        if (column === null || seen.has(column)) return true;
        seen.add(column);
        return false;
      });
      expect(truth.ignored_columns).toEqual(ignored);
      expect(seen.has('line_id')).toBe(truth.has_line_id);
      return header;
    });
    // Every column the brief names appears under more than one spelling across files.
    for (const column of ['order_id', 'line_id', 'quantity', 'unit_price']) {
      const spellings = new Set(headers.flat().filter((name) => headerColumn(name) === column));
      expect(spellings.size, `${column}: ${[...spellings].join(' | ')}`).toBeGreaterThan(1);
    }
  });
});
