// The data-quality queries of sql/analytics/ on the emulated Redshift Data API, over the runs of the
// export fixtures as the loader leaves them (their hand-computed truths), a second run of one source,
// a file rejected whole, a failed run and a run without a profile. Expected figures are computed here
// from the truths, independently of the SQL.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAnalyticsQueries } from '../../report/analytics-queries.js';
import { recordsOf, runAnalytics, type AnalyticsResults } from '../../report/run-analytics.js';
import { exportFixtureRuns, warehouseRowsOf, type FixtureRun } from './export-fixture-runs.js';
import { startTruthWarehouse, type TruthWarehouse } from './truth-warehouse.js';

/** part / whole in percent with 2 decimals, rounded half away from zero, as SQL ROUND does. */
function share(part: number, whole: number): string {
  const hundredths = (BigInt(part) * 20_000n + BigInt(whole)) / (2n * BigInt(whole));
  return `${hundredths / 100n}.${String(hundredths % 100n).padStart(2, '0')}`;
}

describe('data-quality SQL on the emulated Redshift Data API', () => {
  let warehouse: TruthWarehouse;
  let results: AnalyticsResults;
  const runs = exportFixtureRuns();
  const uk = runs.find((run) => run.truth.source === 'uk-online-retail')!;
  const laterUk: FixtureRun = {
    ...uk, runId: 'uk-online-retail-later', day: '2026-11-27', sourceUri: 's3://data/raw/uk-online-retail/december.csv',
    truth: { ...uk.truth, counts: { rows_read: 20, rows_clean: 19, rows_rejected: 1, duplicates_dropped: 0, blank_lines: 0 } },
    rejected: [{ source_line: 99, reasons: ['non_positive_quantity'], raw_record: 'C581569,84978,HANGING HEART JAR T-LIGHT HOLDER,-1,12/9/11 11:58,1.25,17315,United Kingdom' }],
  };
  const plain: FixtureRun = {
    ...uk, runId: 'plain-run', day: '2026-11-19', sourceUri: 's3://data/raw/sales_data.csv',
    truth: { source: '', reasons: {}, counts: { rows_read: 10, rows_clean: 9, rows_rejected: 1, duplicates_dropped: 0, blank_lines: 0 } },
    rejected: [{ source_line: 4, reasons: ['invalid_date', 'invalid_price'], raw_record: 'O-3,2024-02-30,C-1,P-1,1,abc' }],
  };

  beforeAll(async () => {
    warehouse = await startTruthWarehouse();
    const { audit, rejected } = warehouseRowsOf([...runs, laterUk, plain]);
    audit.at(-1)!.source_name = null;
    await warehouse.insert('load_audit', [
      ...audit,
      {
        run_id: 'classic-cars-bad', job_run_id: 'jr_bad', source_uri: 's3://data/raw/classic-cars/renamed.csv', source_name: 'classic-cars', status: 'rejected_file',
        started_at: '2026-11-26 09:00:00', loaded_at: '2026-11-26 09:01:00', error: 'profile_column_not_found:PRICEEACH',
      },
      {
        run_id: 'uk-online-retail-failed', job_run_id: 'jr_failed', source_uri: 's3://data/raw/uk-online-retail/huge.csv', source_name: 'uk-online-retail', status: 'failed',
        started_at: '2026-11-26 11:00:00', loaded_at: '2026-11-26 11:30:00', error: 'java.lang.OutOfMemoryError: Java heap space',
      },
    ]);
    await warehouse.insert('sales_rejected', rejected);
    const queries = loadAnalyticsQueries().filter((query) => query.name.startsWith('data_quality_'));
    results = await runAnalytics({ warehouse: warehouse.redshift, queries }) as AnalyticsResults;
  });
  afterAll(async () => {
    await warehouse?.close();
  });

  it('counts every source: runs, files rejected whole, failed runs, and rows read, kept, rejected and dropped', () => {
    const expected = [...runs, laterUk, plain].reduce<Record<string, { runs: number; read: number; clean: number; rejected: number; duplicates: number }>>((bySource, run) => {
      const source = run.truth.source || '(no profile)';
      const totals = bySource[source] ?? { runs: 0, read: 0, clean: 0, rejected: 0, duplicates: 0 };
      const { counts } = run.truth;
      bySource[source] = {
        runs: totals.runs + 1, read: totals.read + counts.rows_read, clean: totals.clean + counts.rows_clean,
        rejected: totals.rejected + counts.rows_rejected, duplicates: totals.duplicates + counts.duplicates_dropped,
      };
      return bySource;
    }, {});
    const extra: Record<string, { runs: number; files: number; failed: number; last: string }> = {
      'classic-cars': { runs: 1, files: 1, failed: 0, last: '2026-11-26 09:00:00' },
      'uk-online-retail': { runs: 1, files: 0, failed: 1, last: '2026-11-27 10:00:00' },
    };
    const lastRun = (source: string) => extra[source]?.last ?? `${[...runs, plain].find((run) => (run.truth.source || '(no profile)') === source)!.day} 10:00:00`;
    expect(recordsOf(results.data_quality_sources)).toEqual(Object.keys(expected).sort().map((source) => {
      const totals = expected[source]!;
      return {
        source, runs: totals.runs + (extra[source]?.runs ?? 0), runs_loaded: totals.runs, files_rejected: extra[source]?.files ?? 0, runs_failed: extra[source]?.failed ?? 0,
        rows_read: totals.read, rows_clean: totals.clean, rows_rejected: totals.rejected, duplicates_dropped: totals.duplicates,
        rejected_share_pct: share(totals.rejected, totals.read), last_run_at: lastRun(source),
      };
    }));
    expect(recordsOf(results.data_quality_sources).find((row) => row.source === 'uk-online-retail')).toMatchObject({ rows_read: 86, rows_rejected: 11, rejected_share_pct: '12.79' });
  });

  it("gives each source's reasons with their counts as the truths say, files rejected whole first, and the latest example of each", () => {
    const reasons = recordsOf(results.data_quality_reasons);
    for (const run of runs) {
      const rows = reasons.filter((row) => row.source === run.truth.source && row.scope === 'row');
      const expected = { ...run.truth.reasons, ...(run === uk ? { non_positive_quantity: run.truth.reasons.non_positive_quantity! + 1 } : {}) };
      expect(Object.fromEntries(rows.map((row) => [row.reason, row.rejected])), run.truth.source).toEqual(expected);
      const rowsRead = run.truth.counts.rows_read + (run === uk ? laterUk.truth.counts.rows_read : 0);
      for (const row of rows) {
        expect(row.share_of_rows_read_pct, `${run.truth.source} ${row.reason}`).toBe(share(Number(row.rejected), rowsRead));
        const example = row.reason === 'non_positive_quantity' && run === uk ? laterUk.rejected[0]! : run.rejected.find((rejected) => rejected.reasons.includes(String(row.reason)))!;
        expect([row.example_source_line, row.example_raw_record], `${run.truth.source} ${row.reason}`).toEqual([example.source_line, example.raw_record]);
      }
      const counts = rows.map((row) => Number(row.rejected));
      expect(counts).toEqual([...counts].sort((a, b) => b - a));
    }
    expect(reasons.filter((row) => row.source === 'classic-cars').map((row) => [row.scope, row.reason, row.rejected, row.example_source_uri])).toEqual([
      ['file', 'profile_column_not_found:PRICEEACH', 1, 's3://data/raw/classic-cars/renamed.csv'],
      ['row', 'invalid_id:customer_id', 2, runs[0]!.sourceUri],
    ]);
    expect(reasons.filter((row) => row.source === '(no profile)').map((row) => [row.reason, row.rejected, row.share_of_rows_read_pct, row.example_raw_record])).toEqual([
      ['invalid_date', 1, '10.00', 'O-3,2024-02-30,C-1,P-1,1,abc'],
      ['invalid_price', 1, '10.00', 'O-3,2024-02-30,C-1,P-1,1,abc'],
    ]);
  });

  it('lists every run newest first, with the reason of a file rejected whole and the error of a failed run', () => {
    const rows = recordsOf(results.data_quality_runs);
    expect(rows.map((row) => row.run_id)).toEqual([
      'uk-online-retail-later', 'uk-online-retail-failed', 'classic-cars-bad',
      ...[...runs].reverse().map((run) => run.runId), 'plain-run',
    ]);
    expect(rows.find((row) => row.run_id === 'classic-cars-bad')).toMatchObject({ status: 'rejected_file', rows_read: null, rejected_share_pct: null, problem: 'profile_column_not_found:PRICEEACH' });
    expect(rows.find((row) => row.run_id === 'uk-online-retail-failed')).toMatchObject({ status: 'failed', problem: 'java.lang.OutOfMemoryError: Java heap space' });
    expect(rows.find((row) => row.run_id === uk.runId)).toMatchObject({ source: 'uk-online-retail', rows_read: 66, rows_rejected: 10, rejected_share_pct: share(10, 66), problem: null });
    expect(rows.find((row) => row.run_id === 'plain-run')).toMatchObject({ source: '(no profile)', run_at: '2026-11-19 10:00:00' });
  });

  it('gives the rejected share per source and day', () => {
    const days = recordsOf(results.data_quality_over_time);
    expect(days.filter((row) => row.source === 'uk-online-retail')).toEqual([
      { source: 'uk-online-retail', run_date: uk.day, runs: 1, files_rejected: 0, rows_read: 66, rows_rejected: 10, rejected_share_pct: share(10, 66) },
      { source: 'uk-online-retail', run_date: '2026-11-26', runs: 1, files_rejected: 0, rows_read: 0, rows_rejected: 0, rejected_share_pct: null },
      { source: 'uk-online-retail', run_date: '2026-11-27', runs: 1, files_rejected: 0, rows_read: 20, rows_rejected: 1, rejected_share_pct: '5.00' },
    ]);
    expect(days.find((row) => row.source === 'classic-cars' && row.run_date === '2026-11-26')).toMatchObject({ files_rejected: 1, rows_read: 0, rejected_share_pct: null });
    // One day per fixture run, and the rejected file, the failed run, the later run and the run without a profile on days of their own.
    expect(days.length).toBe(runs.length + 4);
  });
});
