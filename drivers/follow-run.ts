import { GetJobRunsCommand, type GlueClient, type JobRun } from '@aws-sdk/client-glue';
import type { RedshiftData } from '../warehouse/redshift-data.js';
import { sqlString } from '../warehouse/sql-literal.js';

/** A run's audit row, as the loader wrote it. */
export interface AuditRecord {
  status: string;
  jobRunId: string | null;
  rowsRead: number | null;
  rowsClean: number | null;
  rowsRejected: number | null;
  duplicatesDropped: number | null;
  blankLines: number | null;
  error: string | null;
}

export type RunPhase = 'queued' | 'job waiting' | 'job starting' | 'job running' | 'job succeeded' | 'job failed' | 'job stopped' | 'job timed out' | 'done';

export interface RunProgress {
  runId: string;
  phase: RunPhase;
  jobRun?: Pick<JobRun, 'Id' | 'JobRunState' | 'StartedOn' | 'CompletedOn' | 'ErrorMessage'>;
  audit?: AuditRecord;
  elapsedMs: number;
}

const JOB_PHASES: Record<string, RunPhase> = {
  STARTING: 'job starting', WAITING: 'job waiting', RUNNING: 'job running', STOPPING: 'job running',
  SUCCEEDED: 'job succeeded', FAILED: 'job failed', ERROR: 'job failed', STOPPED: 'job stopped', TIMEOUT: 'job timed out',
};

export class RunTimeoutError extends Error {
  override readonly name = 'RunTimeoutError';
}

/** The job runs started for a run id (the trigger passes it as --run_id), newest first. */
export async function jobRunsFor(glue: GlueClient, jobName: string, runId: string): Promise<JobRun[]> {
  const runs: JobRun[] = [];
  let NextToken: string | undefined;
  do {
    const page = await glue.send(new GetJobRunsCommand({ JobName: jobName, NextToken }));
    runs.push(...(page.JobRuns ?? []).filter((run) => run.Arguments?.['--run_id'] === runId));
    NextToken = page.NextToken;
  } while (NextToken);
  return runs.sort((a, b) => (b.StartedOn?.getTime() ?? 0) - (a.StartedOn?.getTime() ?? 0));
}

const number = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

export async function auditRecord(warehouse: Pick<RedshiftData, 'query'>, runId: string): Promise<AuditRecord | undefined> {
  const [row] = await warehouse.query('audit-of-run', 'SELECT status, job_run_id, rows_read, rows_clean, rows_rejected, duplicates_dropped, blank_lines, error'
    + ` FROM load_audit WHERE run_id = ${sqlString(runId)}`);
  if (!row) return undefined;
  const [status, jobRunId, rowsRead, rowsClean, rowsRejected, duplicatesDropped, blankLines, error] = row;
  return {
    status: String(status), jobRunId: jobRunId === null ? null : String(jobRunId),
    rowsRead: number(rowsRead), rowsClean: number(rowsClean), rowsRejected: number(rowsRejected),
    duplicatesDropped: number(duplicatesDropped), blankLines: number(blankLines), error: error === null ? null : String(error),
  };
}

/**
 * Follows one uploaded object through the chain (queued → job run → load) until the loader has written
 * its audit row, reporting each change of phase. Resolves with the audit row; times out with the last phase.
 */
export async function followRun(options: {
  glue: GlueClient;
  warehouse: Pick<RedshiftData, 'query'>;
  jobName: string;
  runId: string;
  timeoutMs: number;
  pollMs?: number;
  onProgress?: (progress: RunProgress) => void;
}): Promise<AuditRecord> {
  const started = Date.now();
  let last: RunProgress | undefined;
  for (;;) {
    const [jobRun] = await jobRunsFor(options.glue, options.jobName, options.runId);
    const audit = await auditRecord(options.warehouse, options.runId);
    const phase: RunPhase = audit ? 'done' : jobRun ? JOB_PHASES[jobRun.JobRunState ?? ''] ?? 'job running' : 'queued';
    const progress: RunProgress = { runId: options.runId, phase, jobRun, audit, elapsedMs: Date.now() - started };
    if (phase !== last?.phase || jobRun?.Id !== last?.jobRun?.Id) options.onProgress?.(progress);
    last = progress;
    if (audit) return audit;
    if (progress.elapsedMs > options.timeoutMs) {
      throw new RunTimeoutError(`run ${options.runId} still "${phase}" after ${Math.round(progress.elapsedMs / 1000)} s`
        + `${jobRun?.ErrorMessage ? ` (job: ${jobRun.ErrorMessage})` : ''}: see the emulator's logs under .dev/logs`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 500));
  }
}
