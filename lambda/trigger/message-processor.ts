import { IdempotencyAlreadyInProgressError } from '@aws-lambda-powertools/idempotency';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { SQSRecord } from 'aws-lambda';
import { isRetryLaterError, jobRunRequest } from './glue-job-run.js';
import type { JobStarter } from './idempotent-job-starter.js';
import { deriveRunId } from '../../contract/run-id.js';
import { keyPathProblem } from '../../contract/s3-uri.js';
import { isRawObject, parseS3Notification, type RawObjectFilter } from './s3-notification.js';
import type { SourceProfileFinder } from './source-profile.js';

export interface TriggerSettings {
  jobName: string;
  outputUri: string;
  filter: RawObjectFilter;
}

/**
 * Handles one SQS message: starts one Glue run per raw object it announces. Anything that is not a raw
 * object, or whose key has an empty, `.` or `..` segment, is logged and dropped; a failed start throws, which reports this message (and only this one)
 * as a batch item failure so SQS delivers it again.
 */
export function messageProcessor(options: { startJob: JobStarter; findSourceProfile: SourceProfileFinder; logger: Logger; settings: TriggerSettings }) {
  const { startJob, findSourceProfile, logger, settings } = options;
  return async (record: SQSRecord): Promise<void> => {
    const notification = parseS3Notification(record.body);
    if (notification.kind === 'test-event') {
      logger.info('ignored s3:TestEvent', { messageId: record.messageId, outcome: 'ignored' });
      return;
    }
    for (const eventName of notification.otherEvents) {
      logger.info('ignored a record that is not ObjectCreated', { messageId: record.messageId, eventName, outcome: 'ignored' });
    }
    for (const object of notification.created) {
      const uri = `s3://${object.bucket}/${object.key}`;
      if (!isRawObject(object.key, settings.filter)) {
        logger.info('ignored an object outside the raw prefix and suffix', { object: uri, ...settings.filter, outcome: 'ignored' });
        continue;
      }
      const problem = keyPathProblem(object.key);
      if (problem) {
        // Spark would normalise the key and clean another object than the one announced; S3 keeps such keys, so this is data, not an error.
        logger.warn('ignored an object whose key has a segment Spark cannot read as written', {
          object: uri, problem: `the key has ${problem}`, action: 'copy the object to a key without empty, "." or ".." segments', outcome: 'ignored',
        });
        continue;
      }
      const runId = deriveRunId(object);
      try {
        const profile = await findSourceProfile(object.key);
        const request = jobRunRequest({ jobName: settings.jobName, outputUri: settings.outputUri, runId, object, sourceProfileUri: profile.uri });
        const started = await startJob(request, record.messageId);
        const outcome = started.startedByMessageId === record.messageId ? 'started' : 'duplicate';
        logger.info(outcome === 'started' ? 'started a Glue run' : 'duplicate delivery: the run was started before', {
          object: uri, version: object.version, runId, jobRunId: started.jobRunId, outcome, sourceProfile: profile.description,
        });
      } catch (error) {
        // Another delivery is starting this run right now; if that one fails, its own message is retried.
        if (error instanceof IdempotencyAlreadyInProgressError) {
          logger.info('duplicate delivery: the run is being started by another message', { object: uri, runId, outcome: 'duplicate' });
          continue;
        }
        const retryLater = isRetryLaterError(error);
        logger[retryLater ? 'warn' : 'error']('could not start the Glue run; the message will be retried', {
          object: uri, runId, outcome: retryLater ? 'retry_later' : 'failed', error: error as Error,
        });
        throw error;
      }
    }
  };
}
