// The expected results beside each export fixture (NAME.truth.json, docs/ground-truth.md's format) are
// hand-computed; these checks keep them consistent with themselves and with the fixture's bytes, so the
// job and the end-to-end tests can trust them to the cent.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { readGroundTruth } from '../../generator/truth-file.js';
import { readSourceProfile } from '../../profiles/source-profile.js';
import { projectRoot } from '../../stage/python-env.js';

const exportsDir = join(projectRoot, 'test', 'fixtures', 'exports');

interface Totals { lines: number; orders: number; units: number; revenue: string }
interface ExportTruth {
  source: string;
  profile: string;
  date_range: { from: string; to: string };
  counts: { rows_read: number; rows_clean: number; rows_rejected: number; duplicates_dropped: number; blank_lines: number };
  reasons: Record<string, number>;
  ignored_columns: string[];
  aggregates: { total: Totals; by_month: Record<string, Totals> };
  clean_rows_file: null;
  rejected_rows_file: string;
}

const cents = (money: string) => BigInt(money.replace('.', ''));

/** The data records of a decoded file as the contract reads them (RFC 4180 quotes span lines), with their first line number. */
function recordsOf(text: string): { records: { line: number; text: string }[]; blankLines: number } {
  const lines = text.split('\n').map((line) => line.replace(/\r$/, ''));
  if (lines.at(-1) === '') lines.pop();
  const records: { line: number; text: string }[] = [];
  let blankLines = 0;
  for (let index = 0; index < lines.length;) {
    const start = index;
    let record = lines[index++]!;
    while ((record.match(/"/g)?.length ?? 0) % 2 === 1 && index < lines.length) record += `\n${lines[index++]}`;
    if (start === 0) continue;
    if (record.trim() === '') blankLines++;
    else records.push({ line: start + 1, text: record });
  }
  return { records, blankLines };
}

const truthFiles = readdirSync(exportsDir).filter((file) => file.endsWith('.truth.json')).sort();

describe('the expected results of the export fixtures', () => {
  it('exist for every export', () => {
    const exportsWithTruth = truthFiles.map((file) => file.replace('.truth.json', ''));
    const exports = readdirSync(exportsDir).filter((file) => /\.csv(\.gz)?$/.test(file)).map((file) => file.replace(/\.csv(\.gz)?$/, ''));
    expect(exportsWithTruth).toEqual(exports.sort());
  });

  for (const file of truthFiles) {
    describe(file, () => {
      const truth = JSON.parse(readFileSync(join(exportsDir, file), 'utf8')) as ExportTruth;
      const profile = readSourceProfile(join(projectRoot, truth.profile));
      const dataFile = readdirSync(exportsDir).find((name) => name.startsWith(`${truth.source}.csv`))!;
      const bytes = readFileSync(join(exportsDir, dataFile));
      const text = iconv.decode(dataFile.endsWith('.gz') ? gunzipSync(bytes) : bytes, profile.format?.encoding ?? 'utf-8');
      const rejected = readFileSync(join(exportsDir, truth.rejected_rows_file), 'utf8').split('\n').filter(Boolean)
        .map((line) => JSON.parse(line) as { source_line: number; reasons: string[]; raw_record: string });

      it('reconciles: rows read = clean + rejected + duplicates dropped, and counts the records and blank lines of the file', () => {
        const { counts } = truth;
        expect(counts.rows_read).toBe(counts.rows_clean + counts.rows_rejected + counts.duplicates_dropped);
        const { records, blankLines } = recordsOf(text);
        expect(records.length).toBe(counts.rows_read);
        expect(blankLines).toBe(counts.blank_lines);
      });

      it('lists each rejected record as the file holds it, with the histogram of its reasons', () => {
        expect(rejected.length).toBe(truth.counts.rows_rejected);
        const byLine = new Map(recordsOf(text).records.map((record) => [record.line, record.text]));
        for (const row of rejected) expect(row.raw_record, `source line ${row.source_line}`).toBe(byLine.get(row.source_line));
        const histogram: Record<string, number> = {};
        for (const row of rejected) for (const reason of row.reasons) histogram[reason] = (histogram[reason] ?? 0) + 1;
        expect(histogram).toEqual(truth.reasons);
      });

      it('sums its months to its total, to the cent', () => {
        const months = Object.values(truth.aggregates.by_month);
        const { total } = truth.aggregates;
        expect(months.reduce((sum, month) => sum + month.lines, 0)).toBe(total.lines);
        expect(months.reduce((sum, month) => sum + month.units, 0)).toBe(total.units);
        expect(months.reduce((sum, month) => sum + cents(month.revenue), 0n)).toBe(cents(total.revenue));
        expect(total.lines).toBe(truth.counts.rows_clean);
        expect(Object.keys(truth.aggregates.by_month)).toEqual(Object.keys(truth.aggregates.by_month).sort());
        expect(truth.date_range.from <= truth.date_range.to).toBe(true);
      });

      it('is read by the reconciliation the end-to-end tests run (drivers/reconcile-run.ts)', () => {
        const groundTruth = readGroundTruth(join(exportsDir, file));
        expect(groundTruth.counts).toEqual(truth.counts);
        expect(groundTruth.rejected).toEqual(rejected);
        expect(groundTruth.clean).toBeUndefined();
        expect(groundTruth.aggregates.by_month).toEqual(truth.aggregates.by_month);
      });

      it('names its profile and the headers the profile leaves out', () => {
        expect(profile.name).toBe(truth.source);
        const mapped = new Set(Object.values(profile.columns ?? {}));
        const headers = text.split(/\r?\n/)[0]!.split(profile.format?.delimiter ?? ',');
        expect(headers.filter((name) => !mapped.has(name))).toEqual(truth.ignored_columns);
      });
    });
  }
});
