import { GetJobRunCommand, type GlueClient } from '@aws-sdk/client-glue';

/** What the loader needs to know about a finished Glue run, from the arguments the trigger gave it. */
export interface FinishedJobRun {
  jobRunId: string;
  runId: string;
  inputUri: string;
  sourceVersion?: string;
  /** The source profile the trigger gave the run, for a file under raw/<name>/. */
  sourceProfileUri?: string;
  startedAt?: Date;
  endedAt?: Date;
  errorMessage?: string;
}

export class JobRunArgumentsError extends Error {
  override readonly name = 'JobRunArgumentsError';
}

export async function getFinishedJobRun(glue: GlueClient, run: { jobName: string; jobRunId: string }): Promise<FinishedJobRun> {
  const { JobRun } = await glue.send(new GetJobRunCommand({ JobName: run.jobName, RunId: run.jobRunId }));
  const runId = JobRun?.Arguments?.['--run_id'];
  const inputUri = JobRun?.Arguments?.['--input_uri'];
  if (!runId || !inputUri) {
    throw new JobRunArgumentsError(
      `Glue run ${run.jobRunId} of job ${run.jobName} has no --run_id or --input_uri argument: ` +
      'only runs started by the trigger can be loaded; start the job with those arguments',
    );
  }
  return {
    jobRunId: run.jobRunId,
    runId,
    inputUri,
    sourceVersion: JobRun?.Arguments?.['--source_version'],
    sourceProfileUri: JobRun?.Arguments?.['--source_profile_uri'],
    startedAt: JobRun?.StartedOn,
    endedAt: JobRun?.CompletedOn,
    errorMessage: JobRun?.ErrorMessage,
  };
}
