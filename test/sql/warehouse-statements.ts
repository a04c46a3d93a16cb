import { GetJobRunCommand, GlueClient } from '@aws-sdk/client-glue';
import {
  BatchExecuteStatementCommand, DescribeStatementCommand, ExecuteStatementCommand, GetStatementResultCommand, RedshiftDataClient,
  type SqlParameter,
} from '@aws-sdk/client-redshift-data';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Logger } from '@aws-lambda-powertools/logger';
import { mockClient } from 'aws-sdk-client-mock';
import { loadGlueRun } from '../../lambda/loader/load-glue-run.js';
import { LOADER_USER, setUserPasswords } from '../../warehouse/database-logins.js';
import { migrate } from '../../warehouse/migrations.js';
import { RedshiftData } from '../../warehouse/redshift-data.js';
import { auditRecord } from '../../drivers/follow-run.js';
import { reconcileRun, type ReconciledTruth } from '../../drivers/reconcile-run.js';
import { loadAnalyticsQueries } from '../../report/analytics-queries.js';
import { runAnalytics } from '../../report/run-analytics.js';
import { ddlMigrations } from '../../warehouse/migrate-warehouse.js';
import { rejectedFileManifest, succeededManifest } from '../lambda/run-manifests.js';

/** One statement as it left the process for the Redshift Data API. */
export interface SentStatement {
  /** The Data API StatementName of the call that sent it, e.g. `load-<run id>` or `analytics-monthly_sales`. */
  name: string;
  sql: string;
  /** Data API parameters, for a statement that names them as `:name`. */
  parameters?: Record<string, string>;
}

// Values a real run can carry that change the SQL text: a quote and a backslash go through sqlString's
// escaping (doubled quote, CHR(92)), an error message through the audit row's cut.
const runId = "sales_data-0123456789abcdef";
const sourceUri = "s3://sales-data/raw/o'brien\\exports/sales_data.csv";
const jobName = 'sales-clean';

function manifest(status: 'succeeded' | 'rejected_file'): string {
  const run = status === 'succeeded' ? succeededManifest({ runId }) : rejectedFileManifest({ runId, reason: 'missing_required_columns:order_id' });
  const profile = { name: 'classic-cars', digest: `sha256:${'0'.repeat(64)}` };
  return JSON.stringify({ ...run, source: { ...run.source, uri: sourceUri }, started_at: '2024-03-05T10:01:00.123Z', source_profile: profile });
}

const truth: ReconciledTruth = {
  counts: { rows_read: 0, rows_clean: 0, rows_rejected: 0, duplicates_dropped: 0, blank_lines: 0 },
  aggregates: { total: { lines: 0, orders: 0, units: 0, revenue: '0.00' }, by_month: {} },
  clean: [],
  rejected: [],
};

/**
 * Every statement the project sends to Redshift, captured where it leaves for the Data API: the real
 * callers (migrations, the loader for each kind of run ending, the pipeline's follow and reconcile
 * queries, the analytics) run against a mocked Data API client that records what it is sent.
 * Statements repeated across calls are listed once.
 */
export async function sentStatements(): Promise<SentStatement[]> {
  const redshift = mockClient(RedshiftDataClient);
  const glue = mockClient(GlueClient);
  const s3 = mockClient(S3Client);
  try {
    redshift.on(ExecuteStatementCommand).resolves({ Id: 'statement' });
    redshift.on(BatchExecuteStatementCommand).resolves({ Id: 'batch' });
    redshift.on(DescribeStatementCommand).resolves({ Status: 'FINISHED', HasResultSet: false });
    redshift.on(GetStatementResultCommand).resolves({ Records: [] });
    glue.on(GetJobRunCommand).resolves({
      JobRun: {
        Id: 'jr_abc', JobName: jobName, StartedOn: new Date('2024-03-05T10:01:00Z'), CompletedOn: new Date('2024-03-05T10:03:00Z'),
        ErrorMessage: "Job failed: can't read s3://sales-data/raw/x.csv",
        Arguments: { '--run_id': runId, '--input_uri': sourceUri, '--source_version': 'v1' },
      },
    });

    const warehouse = new RedshiftData(new RedshiftDataClient({}), { clusterId: 'c', database: 'd', secretArn: 's' },
      { initialDelayMs: 0, maxDelayMs: 0, timeoutMs: 0, sleep: async () => undefined, now: () => 0 });
    const loader = {
      glue: new GlueClient({}), s3: new S3Client({}), warehouse, logger: new Logger({ logLevel: 'SILENT' }),
      settings: { dataBucket: 'sales-data', jobName, copyRoleArn: 'arn:aws:iam::123456789012:role/sales-redshift-copy' },
    };
    const glueEvent = (state: string) => ({ jobName, jobRunId: 'jr_abc', state, message: '' });

    await migrate(warehouse, ddlMigrations());
    await setUserPasswords(warehouse, [{ username: LOADER_USER, password: "Pa55'word\\with-quote" }]);
    for (const status of ['succeeded', 'rejected_file'] as const) {
      s3.on(GetObjectCommand).resolves({ Body: { transformToString: async () => manifest(status) } as never });
      await loadGlueRun(glueEvent('SUCCEEDED'), loader);
    }
    await loadGlueRun(glueEvent('FAILED'), loader);
    await auditRecord(warehouse, runId);
    await reconcileRun(warehouse, runId, { status: 'loaded', jobRunId: 'jr_abc', rowsRead: 0, rowsClean: 0, rowsRejected: 0, duplicatesDropped: 0, blankLines: 0, error: null }, truth);
    await runAnalytics({ warehouse, queries: loadAnalyticsQueries() });

    const sent = redshift.calls().flatMap((call): SentStatement[] => {
      const input = call.args[0].input as { StatementName?: string; Sql?: string; Sqls?: string[]; Parameters?: SqlParameter[] };
      const sqls = input.Sqls ?? (input.Sql === undefined ? [] : [input.Sql]);
      const parameters = input.Parameters && Object.fromEntries(input.Parameters.map((parameter) => [parameter.name ?? '', parameter.value ?? '']));
      return sqls.map((sql) => ({ name: input.StatementName ?? '', sql, ...(parameters ? { parameters } : {}) }));
    });
    return sent.filter((statement, index) => sent.findIndex((other) => other.sql === statement.sql) === index);
  } finally {
    redshift.restore();
    glue.restore();
    s3.restore();
  }
}
