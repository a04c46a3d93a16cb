import { GetJobRunCommand, GlueClient } from '@aws-sdk/client-glue';
import {
  BatchExecuteStatementCommand, CancelStatementCommand, DescribeStatementCommand, ExecuteStatementCommand, GetStatementResultCommand, RedshiftDataClient,
} from '@aws-sdk/client-redshift-data';
import { GetObjectCommand, NoSuchKey, S3Client } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LoadResult } from '../../lambda/loader/load-glue-run.js';
import { lambdaContext } from './aws-events.js';
import { rejectedFileManifest, succeededManifest } from './run-manifests.js';

const environment = {
  DATA_BUCKET: 'sales-data',
  REDSHIFT_CLUSTER_ID: 'sales-cluster',
  REDSHIFT_DATABASE: 'sales',
  REDSHIFT_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:redshift-admin',
  REDSHIFT_COPY_ROLE_ARN: 'arn:aws:iam::123456789012:role/sales-redshift-copy',
  GLUE_JOB_NAME: 'sales-clean',
  POWERTOOLS_LOG_LEVEL: 'CRITICAL',
};

const glue = mockClient(GlueClient);
const s3 = mockClient(S3Client);
const redshift = mockClient(RedshiftDataClient);

const runId = 'sales_data-0123456789abcdef';

function glueEvent(state: string, message = ''): unknown {
  return {
    version: '0', id: 'e1', 'detail-type': 'Glue Job State Change', source: 'aws.glue', account: '123456789012',
    time: '2024-03-05T10:05:00Z', region: 'eu-west-1', resources: [],
    detail: { jobName: 'sales-clean', severity: state === 'SUCCEEDED' ? 'INFO' : 'ERROR', state, jobRunId: 'jr_abc', message },
  };
}

function manifest(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({ ...succeededManifest({ runId }), ...overrides });
}

function givenManifest(text: string): void {
  s3.on(GetObjectCommand).resolves({ Body: { transformToString: async () => text } as never });
}

function givenAuditStatus(status: string | undefined): void {
  redshift.on(ExecuteStatementCommand).resolves({ Id: 'q1' });
  redshift.on(GetStatementResultCommand).resolves({ Records: status ? [[{ stringValue: status }]] : [] });
}

const batchSqls = () => redshift.commandCalls(BatchExecuteStatementCommand).map((call) => call.args[0].input.Sqls ?? []);

let handler: (event: unknown, context: Context) => Promise<LoadResult>;
const context = lambdaContext('sales-loader');

beforeAll(async () => {
  for (const [name, value] of Object.entries(environment)) vi.stubEnv(name, value);
  ({ handler } = await import('../../lambda/loader/index.js'));
});

beforeEach(() => {
  glue.reset();
  s3.reset();
  redshift.reset();
  glue.on(GetJobRunCommand).resolves({
    JobRun: {
      Id: 'jr_abc', JobName: 'sales-clean', ErrorMessage: 'Command failed with exit code 1',
      StartedOn: new Date('2024-03-05T10:01:00Z'), CompletedOn: new Date('2024-03-05T10:04:00Z'),
      Arguments: { '--run_id': runId, '--input_uri': 's3://sales-data/raw/sales_data.csv', '--source_version': 'v1' },
    },
  });
  redshift.on(BatchExecuteStatementCommand).resolves({ Id: 'b1' });
  redshift.on(DescribeStatementCommand).resolves({ Status: 'FINISHED', HasResultSet: true });
  givenAuditStatus(undefined);
});

describe('loader', () => {
  it('loads a succeeded run from its manifest in one Data API batch', async () => {
    givenManifest(manifest());
    await expect(handler(glueEvent('SUCCEEDED'), context)).resolves.toEqual({ outcome: 'loaded', runId, jobRunId: 'jr_abc' });

    expect(glue.commandCalls(GetJobRunCommand)[0]!.args[0].input).toEqual({ JobName: 'sales-clean', RunId: 'jr_abc' });
    expect(s3.commandCalls(GetObjectCommand)[0]!.args[0].input).toEqual({ Bucket: 'sales-data', Key: `manifests/${runId}.json` });
    expect(redshift.commandCalls(ExecuteStatementCommand)[0]!.args[0].input).toMatchObject({
      ClusterIdentifier: 'sales-cluster', Database: 'sales', SecretArn: environment.REDSHIFT_SECRET_ARN,
      Sql: 'SELECT status FROM load_audit WHERE run_id = :run_id', Parameters: [{ name: 'run_id', value: runId }],
    });
    const batches = redshift.commandCalls(BatchExecuteStatementCommand);
    expect(batches).toHaveLength(1);
    expect(batches[0]!.args[0].input).toMatchObject({ ClusterIdentifier: 'sales-cluster', Database: 'sales', SecretArn: environment.REDSHIFT_SECRET_ARN });
    const sqls = batchSqls()[0]!;
    expect(sqls[0]).toBe('LOCK TABLE load_audit');
    expect(sqls).toContain(
      `COPY load_staging_sales FROM 's3://sales-data/manifests/${runId}.clean.copy.json' IAM_ROLE '${environment.REDSHIFT_COPY_ROLE_ARN}' FORMAT AS PARQUET MANIFEST`,
    );
    expect(sqls.some((sql) => sql.startsWith('MERGE INTO sales USING load_staging_sales'))).toBe(true);
    expect(sqls.at(-1)).toMatch(/^INSERT INTO load_audit .* 'loaded', 10, 8, 1, 1, 0, /);
  });

  it('skips a run that is already loaded', async () => {
    givenAuditStatus('loaded');
    await expect(handler(glueEvent('SUCCEEDED'), context)).resolves.toMatchObject({ outcome: 'already_recorded' });
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(0);
    expect(redshift.commandCalls(BatchExecuteStatementCommand)).toHaveLength(0);
  });

  it('records a rejected file with its reason and loads no rows', async () => {
    givenManifest(JSON.stringify(rejectedFileManifest({ runId, reason: 'missing_required_columns:order_id' })));
    await expect(handler(glueEvent('SUCCEEDED'), context)).resolves.toMatchObject({ outcome: 'rejected_file' });
    const sqls = batchSqls()[0]!;
    expect(sqls.some((sql) => sql.startsWith('COPY'))).toBe(false);
    expect(sqls.at(-1)).toContain("'rejected_file'");
    expect(sqls.at(-1)).toContain("'missing_required_columns:order_id'");
  });

  it('records a failed run with the error message from the event, without reading a manifest', async () => {
    await expect(handler(glueEvent('FAILED', "AnalysisException: can't read"), context)).resolves.toMatchObject({ outcome: 'failed' });
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(0);
    expect(batchSqls()[0]!.at(-1)).toContain("'AnalysisException: can''t read'");
  });

  it('records a timed-out run with the run\'s own error message when the event has none', async () => {
    await expect(handler(glueEvent('TIMEOUT'), context)).resolves.toMatchObject({ outcome: 'timeout' });
    expect(batchSqls()[0]!.at(-1)).toContain("'Command failed with exit code 1'");
  });

  it('does not record a second failure of a run that already has an audit row', async () => {
    givenAuditStatus('failed');
    await expect(handler(glueEvent('FAILED', 'again'), context)).resolves.toMatchObject({ outcome: 'already_recorded' });
    expect(redshift.commandCalls(BatchExecuteStatementCommand)).toHaveLength(0);
  });

  it('fails the invocation when the batch fails, naming the failing statement', async () => {
    givenManifest(manifest());
    redshift.on(DescribeStatementCommand, { Id: 'b1' }).resolves({
      Status: 'FAILED', Error: 'batch failed',
      SubStatements: [{ Id: 'b1:4', Status: 'FAILED', QueryString: 'COPY load_staging_sales ...', Error: 'S3ServiceException: Access Denied' }],
    });
    await expect(handler(glueEvent('SUCCEEDED'), context)).rejects.toThrow(/load-sales_data-0123456789abcdef .*failed in statement b1:4: COPY load_staging_sales .*Access Denied/);
  });

  it('cancels its transaction and fails 15 s before the function would time out, so no load outlives the invocation', async () => {
    givenManifest(manifest());
    redshift.on(DescribeStatementCommand, { Id: 'b1' }).resolves({ Status: 'STARTED' });
    redshift.on(CancelStatementCommand).resolves({ Status: true });
    const almostOut = { ...context, getRemainingTimeInMillis: () => 15_600 };
    const started = Date.now();
    await expect(handler(glueEvent('SUCCEEDED'), almostOut)).rejects.toMatchObject({
      name: 'StatementTimeoutError', message: expect.stringContaining('load-sales_data-0123456789abcdef (statement b1) was still STARTED'),
    });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(redshift.commandCalls(CancelStatementCommand).map((call) => call.args[0].input)).toEqual([{ Id: 'b1' }]);
  });

  it('fails with ManifestNotFoundError when the run wrote no manifest', async () => {
    s3.on(GetObjectCommand).rejects(new NoSuchKey({ message: 'The specified key does not exist.', $metadata: {} }));
    await expect(handler(glueEvent('SUCCEEDED'), context)).rejects.toMatchObject({
      name: 'ManifestNotFoundError', message: expect.stringContaining(`s3://sales-data/manifests/${runId}.json`),
    });
  });

  it('ignores events of other jobs and non-final states', async () => {
    await expect(handler({ ...(glueEvent('RUNNING') as object) }, context)).resolves.toMatchObject({ outcome: 'ignored' });
    const other = glueEvent('SUCCEEDED') as { detail: Record<string, string> };
    other.detail.jobName = 'another-job';
    await expect(handler(other, context)).resolves.toMatchObject({ outcome: 'ignored' });
    expect(glue.commandCalls(GetJobRunCommand)).toHaveLength(0);
  });

  it('rejects an event that is not a Glue state change', async () => {
    await expect(handler({ 'detail-type': 'Object Created', detail: {} }, context)).rejects.toThrow(/Glue Job State Change/);
  });
});

describe('loader configuration', () => {
  it('fails at cold start when a variable is missing', async () => {
    vi.resetModules();
    vi.stubEnv('REDSHIFT_COPY_ROLE_ARN', '');
    await expect(import('../../lambda/loader/index.js')).rejects.toThrow('environment variable REDSHIFT_COPY_ROLE_ARN is required');
    vi.stubEnv('REDSHIFT_COPY_ROLE_ARN', environment.REDSHIFT_COPY_ROLE_ARN);
  });
});
