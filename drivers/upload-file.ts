import { createReadStream, statSync } from 'node:fs';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { deriveRunId } from '../contract/run-id.js';

export interface UploadedObject {
  bucket: string;
  key: string;
  version: string;
  bytes: number;
  /** The run id the trigger derives for this object version. */
  runId: string;
}

/** Puts a file in the data bucket (versioned, so every upload is a new version and a new run). */
export async function uploadFile(s3: S3Client, options: { file: string; bucket: string; key: string }): Promise<UploadedObject> {
  const bytes = statSync(options.file).size;
  const put = await s3.send(new PutObjectCommand({ Bucket: options.bucket, Key: options.key, Body: createReadStream(options.file), ContentLength: bytes }));
  if (!put.VersionId) throw new Error(`s3://${options.bucket}/${options.key} has no version id: the data bucket must be versioned`);
  return { bucket: options.bucket, key: options.key, version: put.VersionId, bytes, runId: deriveRunId({ bucket: options.bucket, key: options.key, version: put.VersionId }) };
}
