import { GlueClient } from '@aws-sdk/client-glue';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { awsClientConfig } from '../stage/aws-target.js';
import { stackOutput, type StackOutputName } from '../stage/stack-outputs.js';
import type { LocalEndpoints } from '../stage/endpoints-file.js';
import { emulatorPolling, RedshiftData } from '../warehouse/redshift-data.js';

/** The clients and names a driver of the pipeline needs (demo, end-to-end tests, benchmarks). */
export interface PipelineHandle {
  bucket: string;
  jobName: string;
  ingestQueueUrl: string;
  loaderFunctionName: string;
  loaderFailureQueueUrl: string;
  s3: S3Client;
  lambda: LambdaClient;
  glue: GlueClient;
  sqs: SQSClient;
  warehouse: RedshiftData;
  destroy(): void;
}

export function localPipeline(endpoints: LocalEndpoints): PipelineHandle {
  const output = (name: StackOutputName) => stackOutput(endpoints.outputs, name, 'local');
  const config = awsClientConfig({ endpoint: endpoints.gatewayUrl, region: endpoints.region });
  const s3 = new S3Client(config);
  const glue = new GlueClient(config);
  const sqs = new SQSClient(config);
  const redshift = new RedshiftDataClient(config);
  const lambda = new LambdaClient(config);
  return {
    bucket: output('data_bucket_name'),
    jobName: output('glue_job_name'),
    ingestQueueUrl: output('ingest_queue_url'),
    loaderFunctionName: output('loader_function_name'),
    loaderFailureQueueUrl: output('loader_failure_queue_url'),
    s3, glue, sqs, lambda,
    warehouse: new RedshiftData(redshift, {
      clusterId: output('redshift_cluster_id'),
      database: output('redshift_database_name'),
      secretArn: output('redshift_secret_arn'),
    }, emulatorPolling),
    destroy() {
      for (const client of [s3, glue, sqs, redshift, lambda]) client.destroy();
    },
  };
}
