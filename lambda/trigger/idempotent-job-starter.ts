import type { GlueClient } from '@aws-sdk/client-glue';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import { startJobRun, type JobRunRequest } from './glue-job-run.js';

export interface StartedRun {
  jobRunId: string;
  /** The SQS message that started the run: a different id on a later call means the delivery was a duplicate. */
  startedByMessageId: string;
}

export type JobStarter = (request: JobRunRequest, messageId: string) => Promise<StartedRun>;

/** Longer than the ingest queue keeps a message (4 days), so every redelivery still finds the record. */
export const IDEMPOTENCY_EXPIRY_SECONDS = 5 * 24 * 60 * 60;

export function idempotencyConfig(): IdempotencyConfig {
  return new IdempotencyConfig({ eventKeyJmesPath: 'runId', expiresAfterSeconds: IDEMPOTENCY_EXPIRY_SECONDS });
}

/**
 * Starts a Glue run at most once per run id: a second call with the same run id returns the first call's
 * result without calling Glue; a failed start leaves no record, so the retry starts it.
 */
export function idempotentJobStarter(options: {
  glue: GlueClient;
  persistenceStore: BasePersistenceLayer;
  config: IdempotencyConfig;
}): JobStarter {
  const start = async (request: JobRunRequest, messageId: string): Promise<StartedRun> => ({
    jobRunId: await startJobRun(options.glue, request),
    startedByMessageId: messageId,
  });
  return makeIdempotent(start, {
    persistenceStore: options.persistenceStore,
    config: options.config,
    keyPrefix: 'glue-job-run',
  });
}
