import { CLEAN_COLUMNS, LINE_KEY_COLUMNS, REJECTED_COLUMNS } from '../../contract/sales-contract.js';
import type { RunCounts, RunManifest } from './run-manifest.js';
import { sqlInteger, sqlNullableString, sqlString, sqlTimestamp } from '../../warehouse/sql-literal.js';

const CLEAN_STAGING = 'load_staging_sales';
const REJECTED_STAGING = 'load_staging_rejected';
const ERROR_LENGTH = 1000;

export type AuditStatus = 'loaded' | 'rejected_file' | 'failed' | 'timeout' | 'stopped' | 'error';
/** Statuses after which the run's data is in the warehouse for good: a later event for the run changes nothing. */
export const SETTLED_STATUSES: readonly AuditStatus[] = ['loaded', 'rejected_file'];

export interface AuditRow {
  runId: string;
  jobRunId: string;
  sourceUri: string;
  sourceVersion?: string | null;
  /** The source profile's name; null for a file read with the contract's own header matching. */
  sourceName?: string | null;
  status: AuditStatus;
  counts?: RunCounts | null;
  startedAt?: string | Date;
  endedAt?: string | Date;
  error?: string;
}

/** Looks up a run's audit status; a Data API parameter, since this one runs as a single statement. */
export const AUDIT_STATUS_QUERY = 'SELECT status FROM load_audit WHERE run_id = :run_id';

function runIsAudited(runId: string): string {
  return `EXISTS (SELECT 1 FROM load_audit WHERE load_audit.run_id = ${sqlString(runId)})`;
}

/**
 * Serialises loads and makes a second load of the same run a no-op even when two loaders passed the
 * "already loaded?" check at once: Redshift does not enforce the primary key, so every write below is
 * conditioned on the run having no audit row yet, and the lock makes that condition see the other load.
 */
function lockAndClearUnsettledAudit(runId: string): string[] {
  const settled = SETTLED_STATUSES.map(sqlString).join(', ');
  return [
    'LOCK TABLE load_audit',
    // A run that failed before may succeed when re-run with the same run id; its failure row gives way.
    `DELETE FROM load_audit WHERE run_id = ${sqlString(runId)} AND status NOT IN (${settled})`,
  ];
}

function copyFromManifest(options: { table: string; manifestUri: string; roleArn: string }): string {
  return `COPY ${options.table} FROM ${sqlString(options.manifestUri)} IAM_ROLE ${sqlString(options.roleArn)} FORMAT AS PARQUET MANIFEST`;
}

/**
 * A session-private staging table shaped like some columns of a warehouse table, in the contract's
 * column order: COPY maps Parquet columns by position.
 */
function createStaging(options: { table: string; from: string; columns: readonly string[] }): string[] {
  return [
    `DROP TABLE IF EXISTS ${options.table}`,
    `CREATE TEMP TABLE ${options.table} AS SELECT ${options.columns.join(', ')} FROM ${options.from} WHERE 1 = 0`,
  ];
}

function newestWinsTest(current: string, staged: string): string {
  // Ties (same modification time) go to the higher run id: arbitrary but the same in every load order.
  return `(${current}.source_modified_at > ${staged}.source_modified_at`
    + ` OR (${current}.source_modified_at = ${staged}.source_modified_at AND ${current}.run_id >= ${staged}.run_id))`;
}

/**
 * Staging → MERGE into sales, keeping per line key the row from the most recently modified source, in
 * whatever order runs are loaded. Redshift's MERGE takes only a table as source and no condition on
 * WHEN MATCHED, so staged rows that are not newer than the warehouse's are deleted from staging first.
 */
function mergeCleanRows(options: { runId: string; manifestUri: string; roleArn: string }): string[] {
  const nonKey = CLEAN_COLUMNS.filter((column) => !LINE_KEY_COLUMNS.includes(column));
  const matches = LINE_KEY_COLUMNS.map((column) => `sales.${column} = ${CLEAN_STAGING}.${column}`).join(' AND ');
  return [
    ...createStaging({ table: CLEAN_STAGING, from: 'sales', columns: CLEAN_COLUMNS }),
    copyFromManifest({ table: CLEAN_STAGING, manifestUri: options.manifestUri, roleArn: options.roleArn }),
    `DELETE FROM ${CLEAN_STAGING} WHERE ${runIsAudited(options.runId)}`,
    `DELETE FROM ${CLEAN_STAGING} USING sales WHERE ${matches} AND ${newestWinsTest('sales', CLEAN_STAGING)}`,
    `MERGE INTO sales USING ${CLEAN_STAGING} ON ${matches}`
      + ` WHEN MATCHED THEN UPDATE SET ${nonKey.map((column) => `${column} = ${CLEAN_STAGING}.${column}`).join(', ')}, loaded_at = GETDATE()`
      + ` WHEN NOT MATCHED THEN INSERT (${CLEAN_COLUMNS.join(', ')}, loaded_at)`
      + ` VALUES (${CLEAN_COLUMNS.map((column) => `${CLEAN_STAGING}.${column}`).join(', ')}, GETDATE())`,
  ];
}

/**
 * A load replaces every earlier load of the same source object version (`npm run reprocess` runs a file
 * again under a new run id): that version's rows leave sales, and the rejected rows of its other runs
 * leave sales_rejected, before this run's arrive. So a file version's rows are in the warehouse once,
 * as its latest load cleaned them, even where that cleaning now rejects a line it once kept.
 */
function replaceLoadsOfSameVersion(options: { runId: string; sourceUri: string; sourceVersion: string | null }): string[] {
  const version = options.sourceVersion === null ? 'source_version IS NULL' : `source_version = ${sqlString(options.sourceVersion)}`;
  const sameVersion = `source_uri = ${sqlString(options.sourceUri)} AND ${version} AND run_id <> ${sqlString(options.runId)}`;
  return [
    `DELETE FROM sales WHERE ${sameVersion} AND NOT ${runIsAudited(options.runId)}`,
    `DELETE FROM sales_rejected WHERE run_id IN (SELECT run_id FROM load_audit WHERE ${sameVersion}) AND NOT ${runIsAudited(options.runId)}`,
  ];
}

function appendRejectedRows(options: { runId: string; manifestUri: string; roleArn: string }): string[] {
  const columns = REJECTED_COLUMNS.join(', ');
  return [
    ...createStaging({ table: REJECTED_STAGING, from: 'sales_rejected', columns: REJECTED_COLUMNS }),
    copyFromManifest({ table: REJECTED_STAGING, manifestUri: options.manifestUri, roleArn: options.roleArn }),
    `INSERT INTO sales_rejected (${columns}) SELECT ${columns} FROM ${REJECTED_STAGING} WHERE NOT ${runIsAudited(options.runId)}`,
  ];
}

function insertAudit(row: AuditRow): string {
  const values: Record<string, string> = {
    run_id: sqlString(row.runId),
    job_run_id: sqlString(row.jobRunId),
    source_uri: sqlString(row.sourceUri),
    source_version: sqlNullableString(row.sourceVersion),
    source_name: sqlNullableString(row.sourceName),
    status: sqlString(row.status),
    rows_read: sqlInteger(row.counts?.rows_read),
    rows_clean: sqlInteger(row.counts?.rows_clean),
    rows_rejected: sqlInteger(row.counts?.rows_rejected),
    duplicates_dropped: sqlInteger(row.counts?.duplicates_dropped),
    blank_lines: sqlInteger(row.counts?.blank_lines),
    started_at: sqlTimestamp(row.startedAt),
    ended_at: sqlTimestamp(row.endedAt),
    error: sqlNullableString(row.error?.slice(0, ERROR_LENGTH)),
  };
  return `INSERT INTO load_audit (${Object.keys(values).join(', ')}, loaded_at)`
    + ` SELECT ${Object.values(values).join(', ')}, GETDATE() WHERE NOT ${runIsAudited(row.runId)}`;
}

/**
 * One transaction that loads a succeeded run: the rows of earlier loads of the same source version out,
 * clean rows merged into sales, rejected rows appended to sales_rejected, the audit row last. Outputs the run did not produce are left out (COPY fails on an
 * empty manifest).
 */
export function loadRunStatements(options: { manifest: RunManifest; jobRunId: string; copyRoleArn: string }): string[] {
  const { manifest } = options;
  const runId = manifest.run_id;
  if (manifest.status !== 'succeeded' || !manifest.copy_manifests) {
    throw new Error(`run ${runId} has status ${manifest.status}: only a succeeded run has rows to load`);
  }
  return [
    ...lockAndClearUnsettledAudit(runId),
    ...replaceLoadsOfSameVersion({ runId, sourceUri: manifest.source.uri, sourceVersion: manifest.source.version }),
    ...(manifest.outputs.clean.length > 0
      ? mergeCleanRows({ runId, manifestUri: manifest.copy_manifests.clean, roleArn: options.copyRoleArn })
      : []),
    ...(manifest.outputs.rejected.length > 0
      ? appendRejectedRows({ runId, manifestUri: manifest.copy_manifests.rejected, roleArn: options.copyRoleArn })
      : []),
    insertAudit({
      runId,
      jobRunId: options.jobRunId,
      sourceUri: manifest.source.uri,
      sourceVersion: manifest.source.version,
      sourceName: manifest.source_profile?.name,
      status: 'loaded',
      counts: manifest.counts,
      startedAt: manifest.started_at,
      endedAt: manifest.ended_at,
    }),
  ];
}

/** One transaction that records a run with nothing to load: a rejected file or a failed run. */
export function auditOnlyStatements(row: AuditRow): string[] {
  const clearUnsettled = SETTLED_STATUSES.includes(row.status);
  return clearUnsettled ? [...lockAndClearUnsettledAudit(row.runId), insertAudit(row)] : ['LOCK TABLE load_audit', insertAudit(row)];
}
