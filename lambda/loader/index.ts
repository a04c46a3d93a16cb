import { GlueClient } from '@aws-sdk/client-glue';
import { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { S3Client } from '@aws-sdk/client-s3';
import { Logger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { readEnvironment } from '../shared/environment.js';
import { RedshiftData } from '../../warehouse/redshift-data.js';
import { parseGlueJobStateChange } from './glue-state-change.js';
import { loadGlueRun, type LoadResult } from './load-glue-run.js';

const env = readEnvironment([
  'DATA_BUCKET', 'REDSHIFT_CLUSTER_ID', 'REDSHIFT_DATABASE', 'REDSHIFT_SECRET_ARN', 'REDSHIFT_COPY_ROLE_ARN', 'GLUE_JOB_NAME',
]);
/**
 * The load's wait for its Data API transaction ends this long before the function's own timeout: time to
 * cancel the transaction and fail with that reason. Killed by the timeout instead, the function would leave
 * the transaction running (and committing, unseen), and Lambda's retry would queue behind its LOCK.
 */
const CANCEL_MARGIN_MS = 15_000;

const logger = new Logger();
const warehouse = new RedshiftData(new RedshiftDataClient({}), {
  clusterId: env.REDSHIFT_CLUSTER_ID,
  database: env.REDSHIFT_DATABASE,
  secretArn: env.REDSHIFT_SECRET_ARN,
});
const dependencies = {
  glue: new GlueClient({}),
  s3: new S3Client({}),
  logger,
  settings: { dataBucket: env.DATA_BUCKET, jobName: env.GLUE_JOB_NAME, copyRoleArn: env.REDSHIFT_COPY_ROLE_ARN },
};

export const handler = async (event: unknown, context: Context): Promise<LoadResult> => {
  logger.addContext(context);
  const deadline = Date.now() + context.getRemainingTimeInMillis() - CANCEL_MARGIN_MS;
  return loadGlueRun(parseGlueJobStateChange(event), { ...dependencies, warehouse: warehouse.withDeadline(deadline) });
};
