import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GlueClient } from '@aws-sdk/client-glue';
import { S3Client } from '@aws-sdk/client-s3';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { readEnvironment } from '../shared/environment.js';
import { idempotencyConfig, idempotentJobStarter } from './idempotent-job-starter.js';
import { messageProcessor } from './message-processor.js';
import { sourceProfileFinder } from './source-profile.js';

const env = readEnvironment(['GLUE_JOB_NAME', 'IDEMPOTENCY_TABLE_NAME', 'RAW_PREFIX', 'RAW_SUFFIXES', 'SOURCE_PROFILES_URI', 'OUTPUT_URI']);
const logger = new Logger();
const config = idempotencyConfig();
const processRecord = messageProcessor({
  logger,
  settings: {
    jobName: env.GLUE_JOB_NAME,
    outputUri: env.OUTPUT_URI,
    filter: { prefix: env.RAW_PREFIX, suffixes: env.RAW_SUFFIXES.split(',').map((suffix) => suffix.trim()).filter(Boolean) },
  },
  findSourceProfile: sourceProfileFinder({ s3: new S3Client({}), profilesUri: env.SOURCE_PROFILES_URI, rawPrefix: env.RAW_PREFIX }),
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
