import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateReport } from '../../report/generate-report.js';
import { reconcileRun } from '../../drivers/reconcile-run.js';
import { readGroundTruth } from '../../generator/truth-file.js';
import { analyticsDifferences } from './analytics-truth.js';
import { generatedFile, loaded, sharedStage, upload } from './pipeline-fixture.js';

const pipeline = sharedStage();

describe.skipIf(!pipeline)('an upload to raw/ flows through the whole pipeline', () => {
  it('loads a 10,000-row file exactly as the ground truth says: every clean row, every rejection, the analytics to the cent', async () => {
    // The analytics are checked against this one file's truth, so the warehouse must hold just this file,
    // whichever e2e files ran before on the shared stage.
    await pipeline!.warehouse.transaction('empty-warehouse', ['DELETE FROM sales', 'DELETE FROM sales_rejected', 'DELETE FROM load_audit']);
    const file = generatedFile({ rows: 10_000, seed: 2026, orderPrefix: 'HAPPY' });
    const started = Date.now();
    const object = await upload(pipeline!, file.csv, 'raw/happy/sales_data.csv');
    const audit = await loaded(pipeline!, object.runId);
    console.log(`happy path: 10,000 rows queryable ${((Date.now() - started) / 1000).toFixed(1)} s after the upload`);
    expect(await reconcileRun(pipeline!.warehouse, object.runId, audit, readGroundTruth(file.truth))).toEqual([]);
    const [[runs]] = await pipeline!.warehouse.query('audit-rows', `SELECT COUNT(*) FROM load_audit WHERE run_id = '${object.runId}'`) as [[number]];
    expect(runs).toBe(1);

    const outDir = mkdtempSync(join(tmpdir(), 'sdp-e2e-report-'));
    const report = await generateReport({ warehouse: pipeline!.warehouse, outDir, source: 'end-to-end test' });
    expect(report.empty).toBe(false);
    expect(analyticsDifferences(report.results, file.truth)).toEqual([]);
    expect(readFileSync(join(outDir, 'report.html'), 'utf8')).toContain('<svg');
  });
});
