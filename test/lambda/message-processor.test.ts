import { Logger } from '@aws-lambda-powertools/logger';
import { describe, expect, it, vi } from 'vitest';
import type { JobRunRequest } from '../../lambda/trigger/glue-job-run.js';
import { messageProcessor } from '../../lambda/trigger/message-processor.js';
import { s3CreatedBody, sqsRecord } from './aws-events.js';

const settings = { jobName: 'clean', outputUri: 's3://sales-data/', filter: { prefix: 'raw/', suffixes: ['.csv', '.csv.gz'] } };
const findSourceProfile = async (key: string) => (key.startsWith('raw/shop/') ? { uri: 's3://sales-data/config/sources/shop.json', description: 's3://sales-data/config/sources/shop.json' } : { description: 'none: not under raw/<source name>/' });

/** Runs one message through the processor and returns the JSON log lines it wrote. */
async function logsOf(body: string, startJob: (request: JobRunRequest) => Promise<{ jobRunId: string; startedByMessageId: string }>) {
  const lines: string[] = [];
  // Warnings and errors go to stderr; Lambda sends both streams to CloudWatch.
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, 'write').mockImplementation((chunk) => (lines.push(String(chunk)), true));
  }
  const logger = new Logger({ serviceName: 'trigger', logLevel: 'INFO' });
  try {
    await messageProcessor({ logger, settings, startJob, findSourceProfile })(sqsRecord('m1', body)).catch(() => undefined);
  } finally {
    vi.restoreAllMocks();
  }
  return lines.flatMap((line) => line.split('\n')).filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('trigger logs', () => {
  it('write one JSON line with the object, the run id and the outcome per started run', async () => {
    const logs = await logsOf(s3CreatedBody({ key: 'raw/a.csv', versionId: 'v1' }), async () => ({ jobRunId: 'jr_1', startedByMessageId: 'm1' }));
    expect(logs).toEqual([expect.objectContaining({
      level: 'INFO', service: 'trigger', object: 's3://sales-data/raw/a.csv', runId: expect.stringMatching(/^a-[0-9a-f]{16}$/),
      jobRunId: 'jr_1', outcome: 'started',
    })]);
  });

  it('name the source profile the run was given, or why none', async () => {
    const withProfile = await logsOf(s3CreatedBody({ key: 'raw/shop/a.csv.gz', versionId: 'v1' }), async () => ({ jobRunId: 'jr_1', startedByMessageId: 'm1' }));
    expect(withProfile[0]).toMatchObject({ outcome: 'started', sourceProfile: 's3://sales-data/config/sources/shop.json' });
    const without = await logsOf(s3CreatedBody({ key: 'raw/a.csv', versionId: 'v1' }), async () => ({ jobRunId: 'jr_1', startedByMessageId: 'm1' }));
    expect(without[0]).toMatchObject({ outcome: 'started', sourceProfile: 'none: not under raw/<source name>/' });
  });

  it('say "duplicate" when the run was started by an earlier message', async () => {
    const logs = await logsOf(s3CreatedBody({ key: 'raw/a.csv' }), async () => ({ jobRunId: 'jr_1', startedByMessageId: 'm0' }));
    expect(logs[0]).toMatchObject({ outcome: 'duplicate', jobRunId: 'jr_1' });
  });

  it('say "ignored" for an object outside the raw prefix', async () => {
    const logs = await logsOf(s3CreatedBody({ key: 'reports/a.csv' }), async () => { throw new Error('must not start'); });
    expect(logs).toEqual([expect.objectContaining({ object: 's3://sales-data/reports/a.csv', outcome: 'ignored' })]);
  });

  it('say "retry_later" with the error when the concurrency limit is hit', async () => {
    const busy = Object.assign(new Error('Concurrent runs exceeded'), { name: 'ConcurrentRunsExceededException' });
    const logs = await logsOf(s3CreatedBody({ key: 'raw/a.csv' }), async () => { throw busy; });
    expect(logs[0]).toMatchObject({ level: 'WARN', outcome: 'retry_later', error: expect.objectContaining({ name: 'ConcurrentRunsExceededException' }) });
  });
});

describe('trigger and keys that are not paths', () => {
  const neverStart = async () => { throw new Error('must not start a run'); };

  it.each([
    ['raw/../../../tmp/x.csv', '".." segment'],
    ['raw/./x.csv', '"." segment'],
    ['raw//x.csv', 'empty segment'],
  ])('skip %s with a warning that says why, and start no run', async (key, problem) => {
    const logs = await logsOf(s3CreatedBody({ key, versionId: 'v1' }), neverStart);
    expect(logs).toEqual([expect.objectContaining({ level: 'WARN', object: `s3://sales-data/${key}`, problem: expect.stringContaining(problem), outcome: 'ignored' })]);
  });

  it('skip a key whose "/" arrive percent-encoded in the notification', async () => {
    const body = s3CreatedBody({ key: 'raw/placeholder.csv' }).replace('raw/placeholder.csv', 'raw/..%2F..%2F..%2Ftmp%2Fx.csv');
    const logs = await logsOf(body, neverStart);
    expect(logs).toEqual([expect.objectContaining({ object: 's3://sales-data/raw/../../../tmp/x.csv', outcome: 'ignored' })]);
  });

  it('start a run for a key that only spells "..%2F" (a literal percent sign, one segment)', async () => {
    const logs = await logsOf(s3CreatedBody({ key: 'raw/..%2F..%2Fx.csv', versionId: 'v1' }), async () => ({ jobRunId: 'jr_1', startedByMessageId: 'm1' }));
    expect(logs).toEqual([expect.objectContaining({ object: 's3://sales-data/raw/..%2F..%2Fx.csv', outcome: 'started' })]);
  });
});
