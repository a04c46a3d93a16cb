import { GlueClient } from '@aws-sdk/client-glue';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { awsClientConfig } from '../emulator/dev-env/aws-config.js';
import type { LocalEndpoints } from '../emulator/dev-env/endpoints-file.js';
import { RedshiftData, type PollingOptions, defaultPolling } from '../lambda/shared/redshift-data.js';

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

/** Quick statements answer in milliseconds on the emulator; poll them tightly. */
const interactivePolling: PollingOptions = { ...defaultPolling, initialDelayMs: 20, maxDelayMs: 500, timeoutMs: 10 * 60_000 };

function output(endpoints: LocalEndpoints, name: string): string {
  const value = endpoints.outputs[name];
  if (!value) throw new Error(`the local stage records no Terraform output ${name}: run \`npm run dev:up\` again`);
  return value;
}

export function localPipeline(endpoints: LocalEndpoints): PipelineHandle {
  const config = awsClientConfig({ endpoint: endpoints.gatewayUrl, region: endpoints.region });
  const s3 = new S3Client(config);
  const glue = new GlueClient(config);
  const sqs = new SQSClient(config);
  const redshift = new RedshiftDataClient(config);
  const lambda = new LambdaClient(config);
  return {
    bucket: output(endpoints, 'data_bucket_name'),
    jobName: output(endpoints, 'glue_job_name'),
    ingestQueueUrl: output(endpoints, 'ingest_queue_url'),
    loaderFunctionName: output(endpoints, 'loader_function_name'),
    loaderFailureQueueUrl: output(endpoints, 'loader_failure_queue_url'),
    s3, glue, sqs, lambda,
    warehouse: new RedshiftData(redshift, {
      clusterId: output(endpoints, 'redshift_cluster_id'),
      database: output(endpoints, 'redshift_database_name'),
      secretArn: output(endpoints, 'redshift_secret_arn'),
    }, interactivePolling),
    destroy() {
      for (const client of [s3, glue, sqs, redshift, lambda]) client.destroy();
    },
  };
}
