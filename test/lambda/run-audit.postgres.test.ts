// Issue 13 item 5: every run that started ends with exactly one load_audit row, whatever its end state,
// also when EventBridge delivers the state change again. The loader runs for real against Postgres;
// only Glue (the run's arguments) and S3 (the manifest) are mocked.
import { GetJobRunCommand, GlueClient } from '@aws-sdk/client-glue';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Logger } from '@aws-lambda-powertools/logger';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FinalState } from '../../lambda/loader/glue-state-change.js';
import { loadGlueRun, type LoaderDependencies } from '../../lambda/loader/load-glue-run.js';
import type { AuditStatus } from '../../lambda/loader/load-statements.js';
import { failedManifest, rejectedFileManifest, succeededManifest } from './run-manifests.js';
import { postgresUrl, WarehouseOnPostgres, type FixtureRow } from './warehouse-postgres.js';

const glue = mockClient(GlueClient);
const s3 = mockClient(S3Client);
const runId = 'sales_data-00000000000000aa';
const copyManifests = { clean: `s3://sales-data/manifests/${runId}.clean.copy.json`, rejected: `s3://sales-data/manifests/${runId}.rejected.copy.json` };

const cleanRow: FixtureRow = {
  order_id: 'O-1', line_id: '1', line_key: '1', order_date: '2024-03-05', customer_id: 'C-1', customer_name: 'Ana Lima',
  customer_email: 'ana@example.com', product_id: 'P-1', product_name: 'Desk lamp', category: 'Home & Garden', quantity: 2,
  unit_price: '19.9900', discount: '0.1000', total_amount: '35.98', country: 'BR', city: 'Recife', payment_method: 'card',
  sales_channel: 'online', source_uri: 's3://sales-data/raw/sales_data.csv', source_version: 'v1',
  source_modified_at: '2024-03-05 10:00:00', source_line: 2, run_id: runId,
};

function manifest(status: 'succeeded' | 'rejected_file' | 'failed'): string {
  if (status === 'rejected_file') return JSON.stringify(rejectedFileManifest({ runId, reason: 'missing_required_columns:order_id' }));
  if (status === 'failed') return JSON.stringify(failedManifest({ runId, error: 'ValueError: the input is not UTF-8' }));
  return JSON.stringify(succeededManifest({
    runId,
    overrides: {
      counts: { rows_read: 1, rows_clean: 1, rows_rejected: 0, duplicates_dropped: 0, blank_lines: 0 },
      reasons: {},
      outputs: { clean: [{ uri: `s3://sales-data/cleaned/sales/run_id=${runId}/part-0.parquet`, size: 900 }], rejected: [] },
      copy_manifests: copyManifests,
    },
  }));
}

function stateChange(state: FinalState, message = '') {
  return { jobName: 'sales-clean', jobRunId: `jr_${state.toLowerCase()}`, state, message };
}

let warehouse: WarehouseOnPostgres;
let deps: LoaderDependencies;

beforeEach(async () => {
  try {
    warehouse = await WarehouseOnPostgres.create();
  } catch (error) {
    throw new Error(`the run audit tests need Postgres 15+ at ${postgresUrl} (set SALES_TEST_POSTGRES_URL): ${(error as Error).message}`);
  }
  warehouse.copySources.set(copyManifests.clean, [cleanRow]);
  glue.reset();
  s3.reset();
  glue.on(GetJobRunCommand).callsFake(({ RunId }: { RunId: string }) => ({
    JobRun: {
      Id: RunId, JobName: 'sales-clean', ErrorMessage: `the run ${RunId} ended`,
      StartedOn: new Date('2024-03-05T10:01:00Z'), CompletedOn: new Date('2024-03-05T10:04:00Z'),
      Arguments: { '--run_id': runId, '--input_uri': 's3://sales-data/raw/sales_data.csv', '--source_version': 'v1' },
    },
  }));
  deps = {
    glue: new GlueClient({}), s3: new S3Client({}), warehouse: warehouse.asRedshiftData(), logger: new Logger({ logLevel: 'SILENT' }),
    settings: { dataBucket: 'sales-data', jobName: 'sales-clean', copyRoleArn: 'arn:aws:iam::123456789012:role/sales-redshift-copy' },
  };
});

afterEach(async () => warehouse?.close());

function givenManifest(status: 'succeeded' | 'rejected_file' | 'failed'): void {
  s3.on(GetObjectCommand).resolves({ Body: { transformToString: async () => manifest(status) } as never });
}

const auditRows = () => warehouse.rows('SELECT run_id, job_run_id, status, error, rows_read FROM load_audit');

describe('every run ends with exactly one audit row', () => {
  const cases: { end: string; state: FinalState; manifest?: 'succeeded' | 'rejected_file' | 'failed'; message?: string; status: AuditStatus; error: string | null }[] = [
    { end: 'SUCCEEDED and loaded', state: 'SUCCEEDED', manifest: 'succeeded', status: 'loaded', error: null },
    { end: 'SUCCEEDED with the file rejected whole', state: 'SUCCEEDED', manifest: 'rejected_file', status: 'rejected_file', error: 'missing_required_columns:order_id' },
    { end: 'SUCCEEDED with a failed manifest', state: 'SUCCEEDED', manifest: 'failed', status: 'failed', error: 'ValueError: the input is not UTF-8' },
    { end: 'FAILED', state: 'FAILED', message: 'AnalysisException: Path does not exist', status: 'failed', error: 'AnalysisException: Path does not exist' },
    { end: 'TIMEOUT', state: 'TIMEOUT', status: 'timeout', error: 'the run jr_timeout ended' },
    { end: 'STOPPED', state: 'STOPPED', message: 'Job run stopped by user', status: 'stopped', error: 'Job run stopped by user' },
    { end: 'ERROR', state: 'ERROR', status: 'error', error: 'the run jr_error ended' },
  ];

  for (const { end, state, manifest: manifestStatus, message, status, error } of cases) {
    it(`records a run that ended ${end} once, also when the event comes again`, async () => {
      if (manifestStatus) givenManifest(manifestStatus);
      await expect(loadGlueRun(stateChange(state, message), deps)).resolves.toMatchObject({ outcome: status, runId });
      await loadGlueRun(stateChange(state, message), deps);

      expect(await auditRows()).toEqual([{ run_id: runId, job_run_id: `jr_${state.toLowerCase()}`, status, error, rows_read: status === 'loaded' ? '1' : null }]);
      expect(await warehouse.rows('SELECT count(*)::int AS n FROM sales')).toEqual([{ n: status === 'loaded' ? 1 : 0 }]);
    });
  }

  it('keeps one row when a run that failed is run again and succeeds: the success replaces the failure', async () => {
    await loadGlueRun(stateChange('FAILED', 'boom'), deps);
    givenManifest('succeeded');
    await expect(loadGlueRun(stateChange('SUCCEEDED'), deps)).resolves.toMatchObject({ outcome: 'loaded' });
    expect((await auditRows()).map((row) => row.status)).toEqual(['loaded']);
  });

  it('ignores a late failure event of a run that is already loaded', async () => {
    givenManifest('succeeded');
    await loadGlueRun(stateChange('SUCCEEDED'), deps);
    await expect(loadGlueRun(stateChange('STOPPED'), deps)).resolves.toMatchObject({ outcome: 'already_recorded' });
    expect((await auditRows()).map((row) => row.status)).toEqual(['loaded']);
  });
});
