import type { RunProgress } from './follow-run.js';

const PHASE_TEXT: Record<RunProgress['phase'], string> = {
  queued: 'in the ingest queue, waiting for the trigger',
  'job waiting': 'Glue job run queued: every concurrent run slot of the job is busy',
  'job starting': 'trigger started the Glue job run',
  'job running': 'Glue job running (Spark)',
  'job succeeded': 'Glue job succeeded; loader loading into the warehouse',
  'job failed': 'Glue job failed; loader recording the failure',
  'job stopped': 'Glue job stopped; loader recording it',
  'job timed out': 'Glue job timed out; loader recording it',
  done: 'loader wrote the audit row',
};

/** One line per change of phase: elapsed time, what the run is doing, and the job run or audit detail. */
export function describeProgress(progress: RunProgress): string {
  const elapsed = `${(progress.elapsedMs / 1000).toFixed(1).padStart(6)} s`;
  const detail = progress.audit
    ? ` (${progress.audit.status}${progress.audit.error ? `: ${progress.audit.error}` : ''})`
    : progress.jobRun?.ErrorMessage ? ` (${progress.jobRun.ErrorMessage})`
      : progress.jobRun?.Id ? ` (${progress.jobRun.Id.slice(0, 11)}…)` : '';
  return `[${elapsed}] ${PHASE_TEXT[progress.phase]}${detail}`;
}
