import { GetJobCommand, type GlueClient } from '@aws-sdk/client-glue';
import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { deriveReprocessRunId } from '../contract/run-id.js';
import { keyPathProblem, parseS3Uri } from '../contract/s3-uri.js';
import { jobRunRequest, startJobRun } from '../lambda/trigger/glue-job-run.js';

export class ReprocessError extends Error {
  override readonly name = 'ReprocessError';
}

export interface ReprocessedObject {
  uri: string;
  version: string;
  runId: string;
  jobRunId: string;
}

/**
 * Runs the Glue job again on an object's current version, whatever the trigger's idempotency record says:
 * the run gets a new run id (so the loader loads it although the version was audited before, replacing
 * that version's earlier load) and exactly the arguments the trigger gives a run.
 */
export async function reprocessObject(options: { glue: GlueClient; s3: S3Client; jobName: string; uri: string; requestedAt?: Date }): Promise<ReprocessedObject> {
  const { bucket, key } = parseS3Uri(options.uri);
  const problem = key === '' ? 'no key' : keyPathProblem(key);
  if (problem) throw new ReprocessError(`${options.uri} cannot be reprocessed: it has ${problem}; give the s3:// URI of one object, e.g. s3://BUCKET/raw/sales.csv`);
  const head = await options.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })).catch((error: Error) => {
    if (error.name === 'NotFound' || error.name === 'NoSuchKey') throw new ReprocessError(`${options.uri} does not exist: check the bucket and key (aws s3 ls)`);
    throw error;
  });
  // As the trigger names a version: the version id on a versioned bucket, else the ETag (S3's event carries it unquoted).
  const version = head.VersionId ?? head.ETag?.replace(/"/g, '');
  if (!version) throw new ReprocessError(`${options.uri} has neither a version id nor an ETag`);
  const { Job } = await options.glue.send(new GetJobCommand({ JobName: options.jobName }));
  const outputUri = Job?.DefaultArguments?.['--output_uri'];
  if (!outputUri) throw new ReprocessError(`Glue job ${options.jobName} has no default --output_uri argument: apply the stage's Terraform, which sets it`);
  const object = { bucket, key, version };
  const runId = deriveReprocessRunId(object, options.requestedAt ?? new Date());
  const jobRunId = await startJobRun(options.glue, jobRunRequest({ jobName: options.jobName, outputUri, runId, object }));
  return { uri: `s3://${bucket}/${key}`, version, runId, jobRunId };
}
