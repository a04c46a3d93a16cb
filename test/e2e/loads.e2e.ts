import { GetQueueAttributesCommand, SendMessageBatchCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject, describe, expect, it } from 'vitest';
import { jobRunsFor } from '../../drivers/follow-run.js';
import { replayFailedLoads } from '../../drivers/replay-failed-loads.js';
import type { UploadedObject } from '../../drivers/upload-file.js';
import { generatedFile, loaded, sharedStage, upload } from './pipeline-fixture.js';

const pipeline = sharedStage();
const stage = inject('stage');

function localCsv(name: string, lines: string[]): string {
  const file = join(mkdtempSync(join(tmpdir(), 'sdp-e2e-loads-')), name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/** The S3 event notification S3 sends for an object, as the ingest queue receives it. */
function s3Event(object: Pick<UploadedObject, 'bucket' | 'key' | 'version' | 'bytes'>, eventName = 'ObjectCreated:Put'): string {
  return JSON.stringify({
    Records: [{
      eventVersion: '2.1', eventSource: 'aws:s3', awsRegion: 'us-east-1', eventTime: new Date().toISOString(), eventName,
      s3: { s3SchemaVersion: '1.0', configurationId: 'test', bucket: { name: object.bucket, arn: `arn:aws:s3:::${object.bucket}` },
        object: { key: object.key.split('/').map(encodeURIComponent).join('/'), size: object.bytes, versionId: object.version, eTag: 'e' } },
    }],
  });
}

async function count(sql: string): Promise<number> {
  const [[value]] = await pipeline!.warehouse.query('count', sql) as [[number]];
  return Number(value);
}

/** Waits until no message is left in the ingest queue, in flight or not, and none reached its dead-letter queue. */
async function ingestQueueDrained(): Promise<void> {
  const deadline = Date.now() + 3 * 60_000;
  for (;;) {
    const { Attributes = {} } = await pipeline!.sqs.send(new GetQueueAttributesCommand({
      QueueUrl: pipeline!.ingestQueueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }));
    if (Attributes.ApproximateNumberOfMessages === '0' && Attributes.ApproximateNumberOfMessagesNotVisible === '0') return;
    if (Date.now() > deadline) throw new Error(`the ingest queue still holds messages: ${JSON.stringify(Attributes)}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

function triggerOutcomes(runId: string): string[] {
  const log = readFileSync(join(stage!.stateDir, 'logs', `${stage!.outputs.trigger_function_name}.log`), 'utf8');
  return log.split('\n').filter((line) => line.startsWith('{') && line.includes(runId)).map((line) => (JSON.parse(line) as { outcome?: string }).outcome ?? '');
}

describe.skipIf(!pipeline)('loads: idempotent, atomic, newest version wins', { concurrent: true }, () => {
  it('starts one job run and one load when the same S3 event is delivered three times', async () => {
    const file = generatedFile({ rows: 500, seed: 41, orderPrefix: 'THRICE' });
    const object = await upload(pipeline!, file.csv, 'raw/thrice/sales_data.csv');
    for (let copy = 0; copy < 2; copy++) await pipeline!.sqs.send(new SendMessageCommand({ QueueUrl: pipeline!.ingestQueueUrl, MessageBody: s3Event(object) }));
    const audit = await loaded(pipeline!, object.runId);
    expect(audit.status).toBe('loaded');
    await ingestQueueDrained();
    expect(await jobRunsFor(pipeline!.glue, pipeline!.jobName, object.runId)).toHaveLength(1);
    expect(triggerOutcomes(object.runId).filter((outcome) => outcome === 'started' || outcome === 'duplicate').sort()).toEqual(['duplicate', 'duplicate', 'started']);
    expect(await count(`SELECT COUNT(*) FROM load_audit WHERE run_id = '${object.runId}'`)).toBe(1);
    expect(await count("SELECT COUNT(*) FROM sales WHERE order_id LIKE 'THRICE-%'")).toBe(audit.rowsClean);
  });

  it('answers each message of a mixed batch on its own: a duplicate, a test event and non-CSV keys start nothing', async () => {
    const file = generatedFile({ rows: 300, seed: 43, orderPrefix: 'MIXED' });
    const object = await upload(pipeline!, file.csv, 'raw/mixed/sales_data.csv');
    const testEvent = JSON.stringify({ Service: 'Amazon S3', Event: 's3:TestEvent', Time: new Date().toISOString(), Bucket: object.bucket });
    await pipeline!.sqs.send(new SendMessageBatchCommand({
      QueueUrl: pipeline!.ingestQueueUrl,
      Entries: [
        { Id: 'duplicate', MessageBody: s3Event(object) },
        { Id: 'test-event', MessageBody: testEvent },
        { Id: 'not-csv', MessageBody: s3Event({ ...object, key: 'raw/mixed/readme.txt' }) },
        { Id: 'outside-raw', MessageBody: s3Event({ ...object, key: 'cleaned/mixed/sales_data.csv' }) },
      ],
    }));
    const audit = await loaded(pipeline!, object.runId);
    expect(audit.status).toBe('loaded');
    await ingestQueueDrained();
    expect(await jobRunsFor(pipeline!.glue, pipeline!.jobName, object.runId)).toHaveLength(1);
    expect(triggerOutcomes(object.runId).filter(Boolean).sort()).toEqual(['duplicate', 'started']);
    const { Attributes = {} } = await pipeline!.sqs.send(new GetQueueAttributesCommand({ QueueUrl: stage!.outputs.ingest_dlq_url, AttributeNames: ['ApproximateNumberOfMessages'] }));
    expect(Attributes.ApproximateNumberOfMessages).toBe('0');
  });

  it('loads every line of an order with many lines', async () => {
    const header = 'order_id,line_id,order_date,customer_id,product_id,quantity,unit_price,discount';
    const lines = Array.from({ length: 60 }, (_, index) => `BIG-1,${index + 1},2025-03-04,C-9,P-${String(index % 7).padStart(5, '0')},${index + 1},2.50,0`);
    const object = await upload(pipeline!, localCsv('big_order.csv', [header, ...lines]), 'raw/big/big_order.csv');
    const audit = await loaded(pipeline!, object.runId);
    expect(audit).toMatchObject({ status: 'loaded', rowsRead: 60, rowsClean: 60, rowsRejected: 0 });
    const rows = await pipeline!.warehouse.query('big-order', "SELECT line_id, quantity FROM sales WHERE order_id = 'BIG-1' ORDER BY quantity");
    expect(rows.map(([lineId, quantity]) => [String(lineId), Number(quantity)])).toEqual(lines.map((_, index) => [String(index + 1), index + 1]));
  });

  it('commits nothing when the load fails mid-transaction, keeps the newer version when an older one loads later, and loads a replayed run once', async () => {
    const header = 'order_id,line_id,order_date,customer_id,product_id,quantity,unit_price,discount';
    const older = localCsv('versions.csv', [header, 'VER-1,1,2025-05-06,C-1,P-00001,1,10.00,0', 'VER-1,2,2025-05-06,C-1,P-00002,1,20.00,0']);
    const newer = localCsv('versions.csv', [header, 'VER-1,1,2025-05-06,C-1,P-00001,7,10.00,0', 'VER-1,2,2025-05-06,C-1,P-00002,8,20.00,0']);
    const first = await upload(pipeline!, older, 'raw/versions/versions.csv');
    // The older version's load fails inside its transaction (after staging, at the write to sales) until the check goes.
    await pipeline!.warehouse.transaction('block-older', [`ALTER TABLE sales ADD CONSTRAINT e2e_block_older CHECK (run_id <> '${first.runId}')`]);
    try {
      await new Promise<void>((resolve, reject) => {
        const deadline = Date.now() + 10 * 60_000;
        const poll = async () => {
          const [run] = await jobRunsFor(pipeline!.glue, pipeline!.jobName, first.runId);
          if (run?.JobRunState === 'SUCCEEDED' && (await spentLoaderEvents()) > 0) return resolve();
          if (Date.now() > deadline) return reject(new Error(`the older version's load never failed (job ${run?.JobRunState})`));
          setTimeout(() => void poll().catch(reject), 1000);
        };
        void poll().catch(reject);
      });
      expect(await count(`SELECT COUNT(*) FROM load_audit WHERE run_id = '${first.runId}'`)).toBe(0);
      expect(await count(`SELECT COUNT(*) FROM sales WHERE run_id = '${first.runId}'`)).toBe(0);
      expect(await count(`SELECT COUNT(*) FROM sales_rejected WHERE run_id = '${first.runId}'`)).toBe(0);

      const second = await upload(pipeline!, newer, 'raw/versions/versions.csv');
      expect((await loaded(pipeline!, second.runId)).status).toBe('loaded');
    } finally {
      await pipeline!.warehouse.transaction('unblock-older', ['ALTER TABLE sales DROP CONSTRAINT e2e_block_older']);
    }
    const replayed = await replayFailedLoads({ sqs: pipeline!.sqs, lambda: pipeline!.lambda, queueUrl: pipeline!.loaderFailureQueueUrl, functionName: pipeline!.loaderFunctionName });
    expect(replayed.length).toBeGreaterThan(0);
    expect((await loaded(pipeline!, first.runId)).status).toBe('loaded');
    const rows = await pipeline!.warehouse.query('versions', "SELECT line_id, quantity FROM sales WHERE order_id = 'VER-1' ORDER BY line_id");
    expect(rows.map(([lineId, quantity]) => [String(lineId), Number(quantity)])).toEqual([['1', 7], ['2', 8]]);
    expect(await count(`SELECT COUNT(*) FROM load_audit WHERE run_id = '${first.runId}'`)).toBe(1);
  });
});

/** Loader events whose retries are spent, waiting in the loader's failure queue. */
async function spentLoaderEvents(): Promise<number> {
  const { Attributes = {} } = await pipeline!.sqs.send(new GetQueueAttributesCommand({ QueueUrl: pipeline!.loaderFailureQueueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }));
  return Number(Attributes.ApproximateNumberOfMessages ?? 0);
}
