import { StartJobRunCommand, type GlueClient } from '@aws-sdk/client-glue';
import type { CreatedObject } from './s3-notification.js';

export interface JobRunRequest {
  jobName: string;
  runId: string;
  inputUri: string;
  sourceVersion: string;
  outputUri: string;
  /** The source profile of a file under raw/<name>/ (docs/data-contract.md, Source profiles), when it exists. */
  sourceProfileUri?: string;
}

export function jobRunRequest(options: { jobName: string; outputUri: string; runId: string; object: CreatedObject; sourceProfileUri?: string }): JobRunRequest {
  return {
    jobName: options.jobName,
    runId: options.runId,
    inputUri: `s3://${options.object.bucket}/${options.object.key}`,
    sourceVersion: options.object.version,
    outputUri: options.outputUri,
    ...(options.sourceProfileUri ? { sourceProfileUri: options.sourceProfileUri } : {}),
  };
}

export async function startJobRun(glue: GlueClient, request: JobRunRequest): Promise<string> {
  const response = await glue.send(new StartJobRunCommand({
    JobName: request.jobName,
    Arguments: {
      '--input_uri': request.inputUri,
      '--run_id': request.runId,
      '--source_version': request.sourceVersion,
      '--output_uri': request.outputUri,
      ...(request.sourceProfileUri ? { '--source_profile_uri': request.sourceProfileUri } : {}),
    },
  }));
  if (!response.JobRunId) throw new Error(`glue:StartJobRun for job ${request.jobName} (run ${request.runId}) returned no JobRunId`);
  return response.JobRunId;
}

const RETRY_LATER_ERRORS = new Set([
  'ConcurrentRunsExceededException',
  'ThrottlingException',
  'TooManyRequestsException',
  'ResourceNumberLimitExceededException',
  'OperationTimeoutException',
  'InternalServiceException',
]);

/** Errors that say "not now" rather than "never": the message goes back to the queue and is retried. */
export function isRetryLaterError(error: unknown): boolean {
  return error instanceof Error && RETRY_LATER_ERRORS.has(error.name);
}
