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
const logger = new Logger();
const dependencies = {
  glue: new GlueClient({}),
  s3: new S3Client({}),
  warehouse: new RedshiftData(new RedshiftDataClient({}), {
    clusterId: env.REDSHIFT_CLUSTER_ID,
    database: env.REDSHIFT_DATABASE,
    secretArn: env.REDSHIFT_SECRET_ARN,
  }),
  logger,
  settings: { dataBucket: env.DATA_BUCKET, jobName: env.GLUE_JOB_NAME, copyRoleArn: env.REDSHIFT_COPY_ROLE_ARN },
};

export const handler = async (event: unknown, context: Context): Promise<LoadResult> => {
  logger.addContext(context);
  return loadGlueRun(parseGlueJobStateChange(event), dependencies);
};
