import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reconcileRun } from '../../drivers/reconcile-run.js';
import { readGroundTruth } from '../../generator/truth-file.js';
import { loadAnalyticsQueries } from '../../report/analytics-queries.js';
import { recordsOf, runAnalytics } from '../../report/run-analytics.js';
import { loaded, sharedStage, upload } from './pipeline-fixture.js';

const pipeline = sharedStage();
const exports = join(import.meta.dirname, '..', 'fixtures', 'exports');
const dataQuality = loadAnalyticsQueries().filter((query) => query.name === 'data_quality_runs' || query.name === 'data_quality_reasons');

// Exports shaped like real ones (docs/data-contract.md, Source profiles): uploaded under raw/<name>/, the
// trigger hands the job the profile Terraform put in config/sources/, and the warehouse must hold every
// line to the cent, every rejection with its reason, and the source's name in the audit.
describe.skipIf(!pipeline)('exports uploaded under raw/<name>/ are cleaned with their source profile', { concurrent: true }, () => {
  it.each([
    // `;`, decimal commas, dd.MM.yyyy, Windows-1252 umlauts
    ['eu-spreadsheet', 'eu-spreadsheet.csv'],
    // a gzip-compressed upload with its own column names
    ['mock-export', 'mock-export.csv.gz'],
  ])('loads %s exactly as its truth says', async (name, file) => {
    const object = await upload(pipeline!, join(exports, file), `raw/${name}/${file}`);
    const audit = await loaded(pipeline!, object.runId);
    expect(await reconcileRun(pipeline!.warehouse, object.runId, audit, readGroundTruth(join(exports, `${name}.truth.json`)))).toEqual([]);
    const [[sourceName]] = await pipeline!.warehouse.query('source-name', `SELECT source_name FROM load_audit WHERE run_id = '${object.runId}'`) as [[string]];
    expect(sourceName).toBe(name);

    // What the report's data-quality section shows for the source: the run's counts and every reason.
    const truth = readGroundTruth(join(exports, `${name}.truth.json`));
    const report = await runAnalytics({ warehouse: pipeline!.warehouse, queries: dataQuality });
    const run = recordsOf(report.data_quality_runs).find((row) => row.run_id === object.runId);
    expect(run && { source: run.source, status: run.status, rows: [run.rows_read, run.rows_clean, run.rows_rejected].map(Number) })
      .toEqual({ source: name, status: 'loaded', rows: [truth.counts.rows_read, truth.counts.rows_clean, truth.counts.rows_rejected] });
    const reasons = recordsOf(report.data_quality_reasons).filter((row) => row.source === name && row.scope === 'row');
    expect(Object.fromEntries(reasons.map((row) => [row.reason, Number(row.rejected)]))).toEqual(truth.reasons);
    expect(reasons.every((row) => typeof row.example_raw_record === 'string' && row.example_raw_record.length > 0)).toBe(true);
  });
});
