import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const unpacked = mkdtempSync(join(tmpdir(), 'lambda-bundle-'));

/** Loads an unpacked bundle the way the Lambda runtime does (dynamic import of index.js) and invokes it once. */
function invokeBundle(options: { name: string; env: Record<string, string>; event: unknown }): unknown {
  const script = `
    const { handler } = await import(${JSON.stringify(join(unpacked, options.name, 'index.js'))});
    const context = { functionName: 'f', awsRequestId: 'r', invokedFunctionArn: 'arn:aws:lambda:eu-west-1:1:function:f', memoryLimitInMB: '128', getRemainingTimeInMillis: () => 30000 };
    process.stdout.write('RESULT ' + JSON.stringify(await handler(${JSON.stringify(options.event)}, context)) + '\\n');`;
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    env: { PATH: process.env.PATH, AWS_REGION: 'eu-west-1', POWERTOOLS_LOG_LEVEL: 'CRITICAL', ...options.env },
    encoding: 'utf8',
  });
  return JSON.parse(output.split('\n').find((line) => line.startsWith('RESULT '))!.slice('RESULT '.length));
}

beforeAll(() => {
  execFileSync(join(root, 'node_modules', '.bin', 'tsx'), ['scripts/build-lambdas.ts'], { cwd: root, stdio: 'pipe' });
  for (const name of ['trigger', 'loader']) {
    execFileSync('python3', ['-m', 'zipfile', '-e', join(root, 'dist', 'lambda', `${name}.zip`), join(unpacked, name)]);
  }
});

afterAll(() => rmSync(unpacked, { recursive: true, force: true }));

describe('build:lambdas', () => {
  it('writes each function as a zip under 1 MB', () => {
    for (const name of ['trigger', 'loader']) expect(statSync(join(root, 'dist', 'lambda', `${name}.zip`)).size).toBeLessThan(1024 * 1024);
  });

  it('bundles a trigger whose handler runs without node_modules', () => {
    const result = invokeBundle({
      name: 'trigger',
      env: { GLUE_JOB_NAME: 'j', IDEMPOTENCY_TABLE_NAME: 't', RAW_PREFIX: 'raw/', RAW_SUFFIXES: '.csv,.csv.gz', SOURCE_PROFILES_URI: 's3://b/config/sources/', OUTPUT_URI: 's3://b/' },
      event: { Records: [{ messageId: 'm1', body: JSON.stringify({ Event: 's3:TestEvent' }) }] },
    });
    expect(result).toEqual({ batchItemFailures: [] });
  });

  it('bundles a loader whose handler runs without node_modules', () => {
    const result = invokeBundle({
      name: 'loader',
      env: { DATA_BUCKET: 'b', REDSHIFT_CLUSTER_ID: 'c', REDSHIFT_DATABASE: 'd', REDSHIFT_SECRET_ARN: 's', REDSHIFT_COPY_ROLE_ARN: 'r', GLUE_JOB_NAME: 'j' },
      event: { 'detail-type': 'Glue Job State Change', detail: { jobName: 'j', jobRunId: 'jr_1', state: 'RUNNING' } },
    });
    expect(result).toEqual({ outcome: 'ignored', jobRunId: 'jr_1' });
  });
});
