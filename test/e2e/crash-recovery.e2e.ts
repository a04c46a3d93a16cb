import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { status, up } from '../../emulator/dev-env/dev-env.js';
import { jobRunsFor } from '../../drivers/follow-run.js';
import { reconcileRun } from '../../drivers/reconcile-run.js';
import { readGroundTruth } from '../../generator/truth-file.js';
import { reprocessObject } from '../../drivers/reprocess-object.js';
import { generatedFile, loaded, sharedStage, upload } from './pipeline-fixture.js';

const stage = inject('stage');
const pipeline = sharedStage();

async function count(sql: string): Promise<number> {
  const [[value]] = await pipeline!.warehouse.query('count', sql) as [[number]];
  return Number(value);
}

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 5 * 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe.skipIf(!pipeline)('an emulator killed while the Glue job cleans a file', () => {
  it('audits the interrupted run as failed after the restart, and a reprocess loads the file exactly once', async () => {
    const file = generatedFile({ rows: 20_000, seed: 77, orderPrefix: 'CRASH' });
    const object = await upload(pipeline!, file.csv, 'raw/crash/sales_data.csv');
    const jobRun = await until('the job to be cleaning the file', async () => {
      const [run] = await jobRunsFor(pipeline!.glue, pipeline!.jobName, object.runId);
      const log = run && join(stage!.stateDir, 'glue-runs', run.Id!, 'output.log');
      // The job logs its run id once its Spark session is up: from then on it is computing.
      return log && existsSync(log) && readFileSync(log, 'utf8').includes(`run ${object.runId}:`) ? run : undefined;
    });

    // As a closed terminal or a crashed laptop would: SIGKILL, no shutdown.
    const emulatorPid = (await status(stage!.devConfig))[1]!.pid!;
    process.kill(emulatorPid, 'SIGKILL');
    await until('the emulator to die', async () => ((await status(stage!.devConfig))[1]!.pid === undefined) || undefined);
    await up(stage!.devConfig);

    const failed = await loaded(pipeline!, object.runId);
    expect(failed.status).toBe('failed');
    expect(failed.jobRunId).toBe(jobRun.Id);
    expect(failed.error).toContain(`while the run was RUNNING`);
    expect(failed.error).toContain(`npm run reprocess -- s3://${pipeline!.bucket}/raw/crash/sales_data.csv`);
    expect(await count(`SELECT COUNT(*) FROM sales WHERE order_id LIKE 'CRASH%'`)).toBe(0);

    // Reprocessed twice: the second load replaces the first, so every line and rejected row is there once.
    const truth = readGroundTruth(file.truth);
    for (const attempt of [1, 2]) {
      const reprocess = await reprocessObject({ glue: pipeline!.glue, s3: pipeline!.s3, jobName: pipeline!.jobName, uri: `s3://${object.bucket}/${object.key}` });
      expect(reprocess.version).toBe(object.version);
      const audit = await loaded(pipeline!, reprocess.runId);
      expect(audit.status, `reprocess ${attempt}`).toBe('loaded');
      expect(await reconcileRun(pipeline!.warehouse, reprocess.runId, audit, truth)).toEqual([]);
      expect(await count(`SELECT COUNT(*) FROM sales WHERE order_id LIKE 'CRASH%'`)).toBe(truth.counts.rows_clean);
      expect(await count(`SELECT COUNT(*) FROM sales WHERE order_id LIKE 'CRASH%' AND run_id <> '${reprocess.runId}'`)).toBe(0);
      expect(await count(`SELECT COUNT(*) FROM sales_rejected WHERE source_uri = 's3://${object.bucket}/${object.key}'`)).toBe(truth.counts.rows_rejected);
    }
    expect(await count(`SELECT COUNT(*) FROM load_audit WHERE source_uri = 's3://${object.bucket}/${object.key}'`)).toBe(3);
  });
});
