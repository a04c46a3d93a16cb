import { describe, expect, it } from 'vitest';
import { reconcileRun } from '../../drivers/reconcile-run.js';
import { readGroundTruth } from '../../generator/truth-file.js';
import { generatedFile, loaded, sharedStage, upload } from './pipeline-fixture.js';

const pipeline = sharedStage();
const FILES = 20;

// Twenty Spark runs queue on two cores: this test alone may take longer than the tier's 15-minute default.
const LIMIT_MS = 25 * 60_000;

describe.skipIf(!pipeline)('many files at once', () => {
  it(`loads each of ${FILES} files uploaded together exactly once, nothing lost, each reconciling exactly`, async () => {
    const files = Array.from({ length: FILES }, (_, index) => ({
      ...generatedFile({ rows: 1_500, seed: 700 + index, orderPrefix: `MANY${index}` }),
      key: `raw/many/sales_${String(index).padStart(2, '0')}.csv`,
    }));
    const objects = await Promise.all(files.map((file) => upload(pipeline!, file.csv, file.key)));
    const audits = await Promise.all(objects.map((object) => loaded(pipeline!, object.runId, LIMIT_MS - 60_000)));
    for (const [index, object] of objects.entries()) {
      expect(await reconcileRun(pipeline!.warehouse, object.runId, audits[index]!, readGroundTruth(files[index]!.truth)), files[index]!.key).toEqual([]);
    }
    const runIds = objects.map((object) => `'${object.runId}'`).join(', ');
    const [[auditRows]] = await pipeline!.warehouse.query('audits', `SELECT COUNT(*) FROM load_audit WHERE run_id IN (${runIds})`) as [[number]];
    expect(auditRows).toBe(FILES);
    const [[salesRows]] = await pipeline!.warehouse.query('rows', `SELECT COUNT(*) FROM sales WHERE run_id IN (${runIds})`) as [[number]];
    expect(salesRows).toBe(audits.reduce((sum, audit) => sum + audit.rowsClean!, 0));
  }, LIMIT_MS);
});
