import type { GlueClient } from '@aws-sdk/client-glue';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Logger } from '@aws-lambda-powertools/logger';
import { sourceNameOfProfileUri } from '../../contract/source-name.js';
import type { RedshiftData } from '../../warehouse/redshift-data.js';
import { isFinalState, type FinalState, type GlueJobStateChange } from './glue-state-change.js';
import { getFinishedJobRun, type FinishedJobRun } from './job-run.js';
import { AUDIT_STATUS_QUERY, auditOnlyStatements, loadRunStatements, SETTLED_STATUSES, type AuditRow, type AuditStatus } from './load-statements.js';
import { readRunManifest, type RunManifest } from './run-manifest.js';

export interface LoaderSettings {
  dataBucket: string;
  jobName: string;
  copyRoleArn: string;
}

export interface LoaderDependencies {
  glue: GlueClient;
  s3: S3Client;
  warehouse: Pick<RedshiftData, 'transaction' | 'query'>;
  logger: Logger;
  settings: LoaderSettings;
}

export type LoadOutcome = AuditStatus | 'already_recorded' | 'ignored';

export interface LoadResult {
  outcome: LoadOutcome;
  runId?: string;
  jobRunId: string;
}

/** Whether an event for the run has nothing left to do, given the run's audit status (if any). */
export function isAlreadyRecorded(existing: string | undefined, state: string): boolean {
  if (existing === undefined) return false;
  return SETTLED_STATUSES.includes(existing as AuditStatus) || state !== 'SUCCEEDED';
}

/** The audit status of a run that ended in a Glue state other than SUCCEEDED. */
const STATUS_OF_UNSUCCESSFUL_STATE: Record<Exclude<FinalState, 'SUCCEEDED'>, AuditStatus> = {
  FAILED: 'failed', TIMEOUT: 'timeout', STOPPED: 'stopped', ERROR: 'error',
};

/** The audit row of a run that produced nothing to load: the job did not succeed, wrote a failed manifest, or rejected the file whole. */
export function auditWithoutRows(options: { run: FinishedJobRun; state: FinalState; message: string; manifest?: RunManifest }): AuditRow {
  const { run, manifest } = options;
  const status: AuditStatus = manifest?.status === 'rejected_file' ? 'rejected_file'
    : options.state === 'SUCCEEDED' ? 'failed'
    : STATUS_OF_UNSUCCESSFUL_STATE[options.state];
  return {
    runId: run.runId,
    jobRunId: run.jobRunId,
    sourceUri: manifest?.source.uri ?? run.inputUri,
    sourceVersion: manifest?.source.version ?? run.sourceVersion,
    sourceName: manifest?.source_profile?.name ?? sourceNameOfProfileUri(run.sourceProfileUri),
    status,
    counts: manifest?.counts,
    startedAt: manifest?.started_at ?? run.startedAt,
    endedAt: manifest?.ended_at ?? run.endedAt,
    error: manifest?.reason ?? manifest?.error ?? (options.message || run.errorMessage || `the Glue run ended ${options.state}`),
  };
}

async function auditStatus(warehouse: LoaderDependencies['warehouse'], runId: string): Promise<string | undefined> {
  const rows = await warehouse.query(`audit-status-${runId}`, AUDIT_STATUS_QUERY, { run_id: runId });
  const status = rows[0]?.[0];
  return typeof status === 'string' ? status : undefined;
}

/**
 * Records a finished Glue run in the warehouse: a succeeded run's rows and audit row in one transaction,
 * any other ending as an audit row. Throws when anything fails, so Lambda retries the event.
 */
export async function loadGlueRun(change: GlueJobStateChange, deps: LoaderDependencies): Promise<LoadResult> {
  const { logger, settings, warehouse } = deps;
  if (change.jobName !== settings.jobName || !isFinalState(change.state)) {
    logger.info('ignored a Glue state change the loader does not act on', {
      jobName: change.jobName, jobRunId: change.jobRunId, state: change.state, outcome: 'ignored',
    });
    return { outcome: 'ignored', jobRunId: change.jobRunId };
  }
  const { state } = change;
  const run = await getFinishedJobRun(deps.glue, change);
  const existing = await auditStatus(warehouse, run.runId);
  if (isAlreadyRecorded(existing, state)) {
    logger.info('the run is already recorded in load_audit; nothing to do', {
      runId: run.runId, jobRunId: run.jobRunId, state, auditStatus: existing, outcome: 'already_recorded',
    });
    return { outcome: 'already_recorded', runId: run.runId, jobRunId: run.jobRunId };
  }

  const manifest = state === 'SUCCEEDED'
    ? await readRunManifest(deps.s3, { bucket: settings.dataBucket, runId: run.runId })
    : undefined;
  const loadsRows = manifest?.status === 'succeeded';
  const audit = loadsRows ? undefined : auditWithoutRows({ run, state, message: change.message, manifest });
  const statements = loadsRows
    ? loadRunStatements({ manifest: manifest!, jobRunId: run.jobRunId, copyRoleArn: settings.copyRoleArn })
    : auditOnlyStatements(audit!);
  await warehouse.transaction(`load-${run.runId}`, statements);

  const outcome: LoadOutcome = audit?.status ?? 'loaded';
  logger.info(loadsRows ? 'loaded the run into the warehouse' : 'recorded a run with nothing to load', {
    runId: run.runId, jobRunId: run.jobRunId, object: run.inputUri, state, outcome,
    ...(manifest?.counts ? { counts: manifest.counts } : {}),
    ...(audit?.error ? { error: audit.error } : {}),
  });
  return { outcome, runId: run.runId, jobRunId: run.jobRunId };
}
