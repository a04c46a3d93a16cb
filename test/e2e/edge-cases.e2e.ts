import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jobRunsFor } from '../../drivers/follow-run.js';
import { deriveRunId } from '../../contract/run-id.js';
import { generatedFile, loaded, sharedStage, upload } from './pipeline-fixture.js';

const pipeline = sharedStage();

function localFile(name: string, content: string | Buffer): string {
  const file = join(mkdtempSync(join(tmpdir(), 'sdp-e2e-edge-')), name);
  writeFileSync(file, content);
  return file;
}

async function count(sql: string): Promise<number> {
  const [[value]] = await pipeline!.warehouse.query('count', sql) as [[number]];
  return Number(value);
}

describe.skipIf(!pipeline)('uploads that are not a plain new file', { concurrent: true }, () => {
  it('loads the same file uploaded twice as two runs that leave each order line once', async () => {
    const file = generatedFile({ rows: 2_000, seed: 31, orderPrefix: 'TWICE' });
    const first = await upload(pipeline!, file.csv, 'raw/twice/sales_data.csv');
    const second = await upload(pipeline!, file.csv, 'raw/twice/sales_data.csv');
    expect(second.runId).not.toBe(first.runId);
    const [firstAudit, secondAudit] = await Promise.all([loaded(pipeline!, first.runId), loaded(pipeline!, second.runId)]);
    expect([firstAudit.status, secondAudit.status]).toEqual(['loaded', 'loaded']);
    expect(secondAudit.rowsClean).toBe(firstAudit.rowsClean);
    expect(await count("SELECT COUNT(*) FROM sales WHERE order_id LIKE 'TWICE-%'")).toBe(firstAudit.rowsClean);
    expect(await count("SELECT COUNT(*) FROM (SELECT DISTINCT order_id, line_key FROM sales WHERE order_id LIKE 'TWICE-%') keys")).toBe(firstAudit.rowsClean);
    expect(await count(`SELECT COUNT(*) FROM sales WHERE order_id LIKE 'TWICE-%' AND run_id NOT IN ('${first.runId}', '${second.runId}')`)).toBe(0);
  });

  it('records a file without a required column as rejected_file, with the reason and no rows', async () => {
    const csv = localFile('no_quantity.csv', 'order_id,order_date,customer_id,product_id,unit_price\nNOQ-1,2025-01-02,C-1,P-1,9.99\n');
    const object = await upload(pipeline!, csv, 'raw/edge/no_quantity.csv');
    const audit = await loaded(pipeline!, object.runId);
    expect(audit.status).toBe('rejected_file');
    expect(audit.error).toContain('missing_required_columns:quantity');
    expect(await count(`SELECT COUNT(*) FROM sales WHERE run_id = '${object.runId}'`)).toBe(0);
  });

  it('records a binary file named .csv as rejected_file (not_text), and never starts a run for a non-CSV key', async () => {
    const binary = localFile('photo.csv', Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]), randomBytes(4096)]));
    const object = await upload(pipeline!, binary, 'raw/edge/photo.csv');
    const notes = await pipeline!.s3.send(new PutObjectCommand({ Bucket: pipeline!.bucket, Key: 'raw/edge/notes.txt', Body: 'not sales data\n' }));
    const audit = await loaded(pipeline!, object.runId);
    expect(audit.status).toBe('rejected_file');
    expect(audit.error).toContain('not_text');
    expect(await count(`SELECT COUNT(*) FROM sales_rejected WHERE run_id = '${object.runId}'`)).toBe(0);
    const notesRunId = deriveRunId({ bucket: pipeline!.bucket, key: 'raw/edge/notes.txt', version: notes.VersionId! });
    expect(await jobRunsFor(pipeline!.glue, pipeline!.jobName, notesRunId)).toEqual([]);
  });

  it('records a job run that fails (its input vanished) as failed, with the error and no data', async () => {
    const file = generatedFile({ rows: 100, seed: 5, orderPrefix: 'GONE' });
    const object = await upload(pipeline!, file.csv, 'raw/edge/vanishing.csv');
    // The version itself: a delete marker would only hide it, and the run reads the version it was started for.
    await pipeline!.s3.send(new DeleteObjectCommand({ Bucket: pipeline!.bucket, Key: 'raw/edge/vanishing.csv', VersionId: object.version }));
    const audit = await loaded(pipeline!, object.runId);
    expect(audit.status).toBe('failed');
    expect(audit.error).toBe(`InputNotFoundError: the input version ${object.version} of s3://${pipeline!.bucket}/raw/edge/vanishing.csv does not exist: `
      + 'it was deleted or renamed after the upload, or --input_uri names another object');
    expect(await count(`SELECT COUNT(*) FROM sales WHERE run_id = '${object.runId}'`)).toBe(0);
    expect(await count(`SELECT COUNT(*) FROM sales_rejected WHERE run_id = '${object.runId}'`)).toBe(0);
  });

  it('cleans two versions of one key uploaded back to back each in its own run, with its own bytes', async () => {
    const first = await upload(pipeline!, generatedFile({ rows: 500, seed: 41, orderPrefix: 'VERA' }).csv, 'raw/versions/sales_data.csv');
    const second = await upload(pipeline!, generatedFile({ rows: 300, seed: 42, orderPrefix: 'VERB' }).csv, 'raw/versions/sales_data.csv');
    expect(second.version).not.toBe(first.version);
    const [a, b] = await Promise.all([loaded(pipeline!, first.runId), loaded(pipeline!, second.runId)]);
    expect([a.status, b.status]).toEqual(['loaded', 'loaded']);
    // Each run holds only the orders of the version it was started for, with that version as lineage.
    expect(await count(`SELECT COUNT(*) FROM sales WHERE run_id = '${first.runId}' AND order_id LIKE 'VERA-%' AND source_version = '${first.version}'`)).toBe(a.rowsClean);
    expect(await count(`SELECT COUNT(*) FROM sales WHERE run_id = '${second.runId}' AND order_id LIKE 'VERB-%' AND source_version = '${second.version}'`)).toBe(b.rowsClean);
    expect(await count(`SELECT COUNT(*) FROM sales WHERE run_id IN ('${first.runId}', '${second.runId}') AND order_id NOT LIKE 'VER%'`)).toBe(0);
  });

  it('reads a key with glob characters as itself, never as a pattern over other files', async () => {
    const plain = await upload(pipeline!, generatedFile({ rows: 200, seed: 43, orderPrefix: 'GLOBA' }).csv, 'raw/glob/a.csv');
    const star = await upload(pipeline!, generatedFile({ rows: 200, seed: 44, orderPrefix: 'GLOBSTAR' }).csv, 'raw/glob/*.csv');
    const klass = await upload(pipeline!, generatedFile({ rows: 200, seed: 45, orderPrefix: 'GLOBCLASS' }).csv, 'raw/glob/[ab].csv');
    const audits = await Promise.all([plain, star, klass].map((object) => loaded(pipeline!, object.runId)));
    expect(audits.map((audit) => audit.status)).toEqual(['loaded', 'loaded', 'loaded']);
    for (const [object, prefix] of [[plain, 'GLOBA-'], [star, 'GLOBSTAR-'], [klass, 'GLOBCLASS-']] as const) {
      expect(await count(`SELECT COUNT(*) FROM sales WHERE run_id = '${object.runId}' AND order_id NOT LIKE '${prefix}%'`)).toBe(0);
    }
  });
});
