import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DeleteTableCommand, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { ConcurrentRunsExceededException, GlueClient, StartJobRunCommand } from '@aws-sdk/client-glue';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startMoto, type MotoServer } from '../../emulator/moto/moto-server.js';
import { freePort } from '../../emulator/process/managed-process.js';
import { awsClientConfig, awsProcessEnv } from '../../stage/aws-target.js';
import { waitFor } from '../deadline.js';
import { lambdaContext, s3CreatedBody, s3TestEventBody, sqsEvent, sqsRecord } from './aws-events.js';

const environment = {
  GLUE_JOB_NAME: 'sales-pipeline-test-clean-sales',
  IDEMPOTENCY_TABLE_NAME: 'sales-pipeline-test-idempotency',
  RAW_PREFIX: 'raw/',
  RAW_SUFFIXES: '.csv,.csv.gz',
  SOURCE_PROFILES_URI: 's3://sales-data/config/sources/',
  OUTPUT_URI: 's3://sales-data/',
  POWERTOOLS_SERVICE_NAME: 'trigger',
  POWERTOOLS_LOG_LEVEL: 'CRITICAL',
};

// Glue is mocked; the idempotency records live in moto's DynamoDB, so Powertools' conditional writes are
// judged by a real condition-expression evaluator (in-progress records, their expiry, completed records).
const glue = mockClient(GlueClient);
let moto: MotoServer;
let motoDir: string;
let dynamodb: DynamoDBClient;
const s3 = mockClient(S3Client);

/** The profiles config/sources/ holds: the listing answers exactly as S3 does for a prefix. */
function profilesInBucket(...names: string[]): void {
  s3.on(ListObjectsV2Command).callsFake((input: { Bucket: string; Prefix: string }) => ({
    Contents: names.map((name) => ({ Key: `config/sources/${name}.json` })).filter((object) => object.Key.startsWith(input.Prefix)).slice(0, 1),
  }));
}

async function idempotencyRecords(): Promise<{ status: string; inProgressExpiry?: number }[]> {
  const { Items = [] } = await dynamodb.send(new ScanCommand({ TableName: environment.IDEMPOTENCY_TABLE_NAME }));
  return Items.map((item) => ({ status: item.status!.S!, ...(item.in_progress_expiration ? { inProgressExpiry: Number(item.in_progress_expiration.N) } : {}) }));
}

let handler: (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
const context = lambdaContext('sales-pipeline-test-trigger');

beforeAll(async () => {
  motoDir = mkdtempSync(join(tmpdir(), 'sdp-trigger-'));
  moto = await startMoto({ port: await freePort(), logFile: join(motoDir, 'moto.log') });
  const target = { endpoint: moto.endpoint, region: 'us-east-1' };
  dynamodb = new DynamoDBClient(awsClientConfig(target));
  for (const [name, value] of Object.entries({ ...environment, ...awsProcessEnv(target) })) vi.stubEnv(name, value);
  ({ handler } = await import('../../lambda/trigger/index.js'));
});

afterAll(async () => {
  await moto?.stop();
  if (motoDir) rmSync(motoDir, { recursive: true, force: true });
});

beforeEach(async () => {
  glue.reset();
  s3.reset();
  profilesInBucket();
  let runs = 0;
  glue.on(StartJobRunCommand).callsFake(() => ({ JobRunId: `jr_${++runs}` }));
  // The table as terraform/ingest.tf defines it, empty for every test.
  await dynamodb.send(new DeleteTableCommand({ TableName: environment.IDEMPOTENCY_TABLE_NAME })).catch(() => undefined);
  await dynamodb.send(new CreateTableCommand({
    TableName: environment.IDEMPOTENCY_TABLE_NAME, BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
  }));
});

afterEach(() => vi.useRealTimers());

describe('trigger', () => {
  it('starts the Glue job with the object, its version and a run id derived from them', async () => {
    const result = await handler(sqsEvent(sqsRecord('m1', s3CreatedBody({ key: 'raw/2024/sales+data.csv', versionId: 'v7' }))), context);

    expect(result).toEqual({ batchItemFailures: [] });
    const calls = glue.commandCalls(StartJobRunCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0]!.args[0].input;
    expect(input.JobName).toBe(environment.GLUE_JOB_NAME);
    expect(input.Arguments).toEqual({
      '--input_uri': 's3://sales-data/raw/2024/sales+data.csv',
      '--run_id': expect.stringMatching(/^sales_data-[0-9a-f]{16}$/),
      '--source_version': 'v7',
      '--output_uri': 's3://sales-data/',
    });
  });

  it('passes the profile of a file under raw/<name>/ when config/sources/<name>.json exists', async () => {
    profilesInBucket('classic-cars', 'classic');
    await handler(sqsEvent(
      sqsRecord('m1', s3CreatedBody({ key: 'raw/classic-cars/2024/sales_data_sample.csv', versionId: 'v1' })),
      sqsRecord('m2', s3CreatedBody({ key: 'raw/uk-retail/online_retail.csv', versionId: 'v1' })),
      sqsRecord('m3', s3CreatedBody({ key: 'raw/classic-cars.csv', versionId: 'v1' })),
    ), context);

    const started = glue.commandCalls(StartJobRunCommand).map((call) => call.args[0].input.Arguments!);
    // The batch's messages are processed concurrently: compare in key order.
    expect(started.map((args) => [args['--input_uri'], args['--source_profile_uri']]).sort()).toEqual([
      ['s3://sales-data/raw/classic-cars.csv', undefined],
      ['s3://sales-data/raw/classic-cars/2024/sales_data_sample.csv', 's3://sales-data/config/sources/classic-cars.json'],
      ['s3://sales-data/raw/uk-retail/online_retail.csv', undefined],
    ]);
    // Only the exact key counts: classic-cars.json is not classic.json, and a file directly under raw/ looks nothing up.
    expect(s3.commandCalls(ListObjectsV2Command).map((call) => call.args[0].input.Prefix).sort()).toEqual(['config/sources/classic-cars.json', 'config/sources/uk-retail.json']);
  });

  it('starts runs for gzip-compressed uploads too', async () => {
    await handler(sqsEvent(sqsRecord('m1', s3CreatedBody({ key: 'raw/exports/orders.csv.gz', versionId: 'v1' }))), context);
    expect(glue.commandCalls(StartJobRunCommand).map((call) => call.args[0].input.Arguments?.['--input_uri'])).toEqual(['s3://sales-data/raw/exports/orders.csv.gz']);
  });

  it('retries a message when the profile lookup fails, instead of running the file without its profile', async () => {
    s3.on(ListObjectsV2Command).rejects(Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }));
    const result = await handler(sqsEvent(sqsRecord('p1', s3CreatedBody({ key: 'raw/classic-cars/a.csv', versionId: 'v1' }))), context);
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'p1' }] });
    expect(glue.commandCalls(StartJobRunCommand)).toHaveLength(0);
  });

  it('starts no second run for a duplicate delivery, in the same batch or a later one', async () => {
    const body = s3CreatedBody({ key: 'raw/sales.csv', versionId: 'v1' });

    const first = await handler(sqsEvent(sqsRecord('m1', body), sqsRecord('m2', body)), context);
    const again = await handler(sqsEvent(sqsRecord('m3', body)), context);

    expect(first).toEqual({ batchItemFailures: [] });
    expect(again).toEqual({ batchItemFailures: [] });
    expect(glue.commandCalls(StartJobRunCommand)).toHaveLength(1);
    expect((await idempotencyRecords()).map((record) => record.status)).toEqual(['COMPLETED']);
  });

  it('drops a delivery that arrives while another delivery of the same object is starting its run', async () => {
    let release: (value: { JobRunId: string }) => void = () => undefined;
    glue.on(StartJobRunCommand).callsFake(() => new Promise((resolve) => { release = resolve; }));
    const body = s3CreatedBody({ key: 'raw/sales.csv', versionId: 'v1' });

    const first = handler(sqsEvent(sqsRecord('m1', body)), context);
    // Inside its Glue call, not only past its record: on a busy machine the second delivery could otherwise finish first.
    await waitFor('the first delivery\'s in-progress record and its pending Glue call', async () =>
      glue.commandCalls(StartJobRunCommand).length === 1 ? (await idempotencyRecords()).find((record) => record.status === 'INPROGRESS') : undefined);
    const second = await handler(sqsEvent(sqsRecord('m2', body)), context);
    expect(second).toEqual({ batchItemFailures: [] });
    expect(glue.commandCalls(StartJobRunCommand)).toHaveLength(1);

    release({ JobRunId: 'jr_first' });
    expect(await first).toEqual({ batchItemFailures: [] });
    expect((await idempotencyRecords()).map((record) => record.status)).toEqual(['COMPLETED']);
    expect(glue.commandCalls(StartJobRunCommand)).toHaveLength(1);
  });

  it('starts the run on a redelivery once the in-progress record of a crashed invocation has expired with it', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const crashedAt = new Date('2026-03-05T10:00:00Z').getTime();
    vi.setSystemTime(crashedAt);
    // The crashed invocation had 2 s left; it started the Glue call and never returned.
    const crashing = { ...context, getRemainingTimeInMillis: () => 2000 };
    glue.on(StartJobRunCommand).callsFakeOnce(() => new Promise(() => undefined)).callsFake(() => ({ JobRunId: 'jr_retry' }));
    const body = s3CreatedBody({ key: 'raw/sales.csv', versionId: 'v1' });
    void handler(sqsEvent(sqsRecord('m1', body)), crashing);
    const [record] = await waitFor('the crashed invocation\'s in-progress record', async () => {
      const records = await idempotencyRecords();
      return records.length > 0 ? records : undefined;
    });
    expect(record).toEqual({ status: 'INPROGRESS', inProgressExpiry: crashedAt + 2000 });

    // Before the invocation's own timeout the record still holds: the redelivery is a duplicate.
    vi.setSystemTime(crashedAt + 1999);
    expect(await handler(sqsEvent(sqsRecord('m2', body)), context)).toEqual({ batchItemFailures: [] });
    expect(glue.commandCalls(StartJobRunCommand)).toHaveLength(1);

    // After it, the record is stale and the next redelivery starts the run.
    vi.setSystemTime(crashedAt + 2001);
    expect(await handler(sqsEvent(sqsRecord('m3', body)), context)).toEqual({ batchItemFailures: [] });
    expect(glue.commandCalls(StartJobRunCommand)).toHaveLength(2);
    expect((await idempotencyRecords()).map((entry) => entry.status)).toEqual(['COMPLETED']);
  });

  it('starts a new run for a new version of the same key', async () => {
    await handler(sqsEvent(sqsRecord('m1', s3CreatedBody({ key: 'raw/sales.csv', versionId: 'v1' }))), context);
    await handler(sqsEvent(sqsRecord('m2', s3CreatedBody({ key: 'raw/sales.csv', versionId: 'v2' }))), context);

    const runIds = glue.commandCalls(StartJobRunCommand).map((call) => call.args[0].input.Arguments?.['--run_id']);
    expect(runIds).toHaveLength(2);
    expect(runIds[0]).not.toBe(runIds[1]);
  });

  it('reports only the message whose run hit the concurrency limit, and starts it on redelivery', async () => {
    const busy = s3CreatedBody({ key: 'raw/busy.csv', versionId: 'v1' });
    let busyAttempts = 0;
    glue.on(StartJobRunCommand).callsFake((input: { Arguments: Record<string, string> }) => {
      if (input.Arguments['--input_uri'] === 's3://sales-data/raw/busy.csv' && ++busyAttempts === 1) {
        throw new ConcurrentRunsExceededException({ message: 'Concurrent runs exceeded for job', $metadata: {} });
      }
      return { JobRunId: 'jr_ok' };
    });

    const first = await handler(sqsEvent(
      sqsRecord('ok', s3CreatedBody({ key: 'raw/ok.csv', versionId: 'v1' })),
      sqsRecord('busy', busy),
    ), context);
    expect(first).toEqual({ batchItemFailures: [{ itemIdentifier: 'busy' }] });

    const retried = await handler(sqsEvent(sqsRecord('busy', busy)), context);
    expect(retried).toEqual({ batchItemFailures: [] });
    // The records of a batch are processed in parallel: the calls' order is not the batch's.
    const started = glue.commandCalls(StartJobRunCommand).map((call) => call.args[0].input.Arguments?.['--input_uri']);
    expect(started.sort()).toEqual(['s3://sales-data/raw/busy.csv', 's3://sales-data/raw/busy.csv', 's3://sales-data/raw/ok.csv']);
  });

  it('reports a throttled start as a failure of that message only', async () => {
    glue.on(StartJobRunCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    const result = await handler(sqsEvent(sqsRecord('t1', s3CreatedBody({ key: 'raw/a.csv' }))), context);
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 't1' }] });
  });

  it('gives each message of a mixed batch its own outcome', async () => {
    const valid = s3CreatedBody({ key: 'raw/valid.csv', versionId: 'v1' });
    const result = await handler(sqsEvent(
      sqsRecord('valid', valid),
      sqsRecord('duplicate', valid),
      sqsRecord('not-csv', s3CreatedBody({ key: 'raw/notes.txt' })),
      sqsRecord('outside', s3CreatedBody({ key: 'cleaned/sales.csv' })),
      sqsRecord('test-event', s3TestEventBody),
      sqsRecord('garbage', 'not json'),
    ), context);

    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'garbage' }] });
    expect(glue.commandCalls(StartJobRunCommand)).toHaveLength(1);
  });
});

describe('trigger configuration', () => {
  it('fails at cold start when a variable is missing', async () => {
    vi.resetModules();
    vi.stubEnv('GLUE_JOB_NAME', '');
    await expect(import('../../lambda/trigger/index.js')).rejects.toThrow('environment variable GLUE_JOB_NAME is required');
    vi.stubEnv('GLUE_JOB_NAME', environment.GLUE_JOB_NAME);
  });
});
