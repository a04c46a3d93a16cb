import {
  ConditionalCheckFailedException, DeleteItemCommand, DynamoDBClient, GetItemCommand, PutItemCommand, UpdateItemCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { ConcurrentRunsExceededException, GlueClient, StartJobRunCommand } from '@aws-sdk/client-glue';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
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

const glue = mockClient(GlueClient);
const dynamodb = mockClient(DynamoDBClient);
const s3 = mockClient(S3Client);

/** The profiles config/sources/ holds: the listing answers exactly as S3 does for a prefix. */
function profilesInBucket(...names: string[]): void {
  s3.on(ListObjectsV2Command).callsFake((input: { Bucket: string; Prefix: string }) => ({
    Contents: names.map((name) => ({ Key: `config/sources/${name}.json` })).filter((object) => object.Key.startsWith(input.Prefix)).slice(0, 1),
  }));
}

/**
 * Just enough of DynamoDB for Powertools' records: a conditional put that fails on a live item, update,
 * get and delete, so idempotency runs its real code path.
 */
function fakeIdempotencyTable(): Map<string, Record<string, AttributeValue>> {
  const items = new Map<string, Record<string, AttributeValue>>();
  const keyOf = (key: Record<string, AttributeValue> | undefined) => key?.id?.S ?? '';
  dynamodb.on(PutItemCommand).callsFake((input: { Item: Record<string, AttributeValue> }) => {
    const existing = items.get(keyOf(input.Item));
    if (existing && Number(existing.expiration?.N) > Date.now() / 1000) {
      throw new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {}, Item: existing });
    }
    items.set(keyOf(input.Item), input.Item);
    return {};
  });
  dynamodb.on(UpdateItemCommand).callsFake((input: { Key: Record<string, AttributeValue>; ExpressionAttributeValues: Record<string, AttributeValue> }) => {
    const values = input.ExpressionAttributeValues;
    items.set(keyOf(input.Key), {
      ...items.get(keyOf(input.Key)),
      status: values[':status']!,
      expiration: values[':expiry']!,
      ...(values[':response_data'] ? { data: values[':response_data'] } : {}),
    });
    return {};
  });
  dynamodb.on(GetItemCommand).callsFake((input: { Key: Record<string, AttributeValue> }) => ({ Item: items.get(keyOf(input.Key)) }));
  dynamodb.on(DeleteItemCommand).callsFake((input: { Key: Record<string, AttributeValue> }) => {
    items.delete(keyOf(input.Key));
    return {};
  });
  return items;
}

let handler: (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
const context = lambdaContext('sales-pipeline-test-trigger');

beforeAll(async () => {
  for (const [name, value] of Object.entries(environment)) vi.stubEnv(name, value);
  ({ handler } = await import('../../lambda/trigger/index.js'));
});

beforeEach(() => {
  glue.reset();
  dynamodb.reset();
  s3.reset();
  profilesInBucket();
  let runs = 0;
  glue.on(StartJobRunCommand).callsFake(() => ({ JobRunId: `jr_${++runs}` }));
});

afterEach(() => vi.useRealTimers());

describe('trigger', () => {
  it('starts the Glue job with the object, its version and a run id derived from them', async () => {
    fakeIdempotencyTable();
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
    fakeIdempotencyTable();
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
    fakeIdempotencyTable();
    await handler(sqsEvent(sqsRecord('m1', s3CreatedBody({ key: 'raw/exports/orders.csv.gz', versionId: 'v1' }))), context);
    expect(glue.commandCalls(StartJobRunCommand).map((call) => call.args[0].input.Arguments?.['--input_uri'])).toEqual(['s3://sales-data/raw/exports/orders.csv.gz']);
  });

  it('retries a message when the profile lookup fails, instead of running the file without its profile', async () => {
    fakeIdempotencyTable();
    s3.on(ListObjectsV2Command).rejects(Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }));
    const result = await handler(sqsEvent(sqsRecord('p1', s3CreatedBody({ key: 'raw/classic-cars/a.csv', versionId: 'v1' }))), context);
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'p1' }] });
    expect(glue.commandCalls(StartJobRunCommand)).toHaveLength(0);
  });

  it('starts no second run for a duplicate delivery, in the same batch or a later one', async () => {
    const table = fakeIdempotencyTable();
    const body = s3CreatedBody({ key: 'raw/sales.csv', versionId: 'v1' });

    const first = await handler(sqsEvent(sqsRecord('m1', body), sqsRecord('m2', body)), context);
    const again = await handler(sqsEvent(sqsRecord('m3', body)), context);

    expect(first).toEqual({ batchItemFailures: [] });
    expect(again).toEqual({ batchItemFailures: [] });
    expect(glue.commandCalls(StartJobRunCommand)).toHaveLength(1);
    expect(table.size).toBe(1);
    expect([...table.values()][0]!.status?.S).toBe('COMPLETED');
  });

  it('starts a new run for a new version of the same key', async () => {
    fakeIdempotencyTable();
    await handler(sqsEvent(sqsRecord('m1', s3CreatedBody({ key: 'raw/sales.csv', versionId: 'v1' }))), context);
    await handler(sqsEvent(sqsRecord('m2', s3CreatedBody({ key: 'raw/sales.csv', versionId: 'v2' }))), context);

    const runIds = glue.commandCalls(StartJobRunCommand).map((call) => call.args[0].input.Arguments?.['--run_id']);
    expect(runIds).toHaveLength(2);
    expect(runIds[0]).not.toBe(runIds[1]);
  });

  it('reports only the message whose run hit the concurrency limit, and starts it on redelivery', async () => {
    fakeIdempotencyTable();
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
    const started = glue.commandCalls(StartJobRunCommand).map((call) => call.args[0].input.Arguments?.['--input_uri']);
    expect(started).toEqual(['s3://sales-data/raw/ok.csv', 's3://sales-data/raw/busy.csv', 's3://sales-data/raw/busy.csv']);
  });

  it('reports a throttled start as a failure of that message only', async () => {
    fakeIdempotencyTable();
    glue.on(StartJobRunCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    const result = await handler(sqsEvent(sqsRecord('t1', s3CreatedBody({ key: 'raw/a.csv' }))), context);
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 't1' }] });
  });

  it('gives each message of a mixed batch its own outcome', async () => {
    fakeIdempotencyTable();
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
