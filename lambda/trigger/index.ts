import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GlueClient } from '@aws-sdk/client-glue';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { readEnvironment } from '../shared/environment.js';
import { idempotencyConfig, idempotentJobStarter } from './idempotent-job-starter.js';
import { messageProcessor } from './message-processor.js';

const env = readEnvironment(['GLUE_JOB_NAME', 'IDEMPOTENCY_TABLE_NAME', 'RAW_PREFIX', 'RAW_SUFFIX', 'OUTPUT_URI']);
const logger = new Logger();
const config = idempotencyConfig();
const processRecord = messageProcessor({
  logger,
  settings: { jobName: env.GLUE_JOB_NAME, outputUri: env.OUTPUT_URI, filter: { prefix: env.RAW_PREFIX, suffix: env.RAW_SUFFIX } },
  startJob: idempotentJobStarter({
    glue: new GlueClient({}),
    config,
    persistenceStore: new DynamoDBPersistenceLayer({ tableName: env.IDEMPOTENCY_TABLE_NAME, awsSdkV3Client: new DynamoDBClient({}) }),
  }),
});
const processor = new BatchProcessor(EventType.SQS);

export const handler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
  logger.addContext(context);
  // Lets a run record left "in progress" by a timed-out invocation expire with that invocation.
  config.registerLambdaContext(context);
  return processPartialResponse(event, processRecord, processor, { context, throwOnFullBatchFailure: false });
};
