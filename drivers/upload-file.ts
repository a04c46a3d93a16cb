import { createReadStream, statSync } from 'node:fs';
import type { S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { deriveRunId } from '../contract/run-id.js';

export interface UploadedObject {
  bucket: string;
  key: string;
  version: string;
  bytes: number;
  /** The run id the trigger derives for this object version. */
  runId: string;
}

/**
 * Part size of a multipart upload; a file up to this size goes up in one PutObject. Large files go up in
 * parts, as the AWS CLI sends them (it splits above 8 MB): one request of gigabytes would be held whole in
 * memory by S3's local stand-in (moto), several times over.
 */
export const UPLOAD_PART_BYTES = 16 * 1024 * 1024;

/** Puts a file in S3, in parts when it is larger than UPLOAD_PART_BYTES; `onProgress` hears the bytes sent so far. */
export async function putFile(s3: S3Client, options: { file: string; bucket: string; key: string; onProgress?: (sent: number, bytes: number) => void }) {
  const bytes = statSync(options.file).size;
  const upload = new Upload({
    client: s3,
    params: { Bucket: options.bucket, Key: options.key, Body: createReadStream(options.file, { highWaterMark: 1024 * 1024 }) },
    partSize: UPLOAD_PART_BYTES,
    queueSize: 4,
    leavePartsOnError: false,
  });
  if (options.onProgress) upload.on('httpUploadProgress', (progress) => options.onProgress!(progress.loaded ?? 0, bytes));
  const done = await upload.done();
  return { bytes, version: done.VersionId };
}

/** Puts a file in the data bucket (versioned, so every upload is a new version and a new run). */
export async function uploadFile(s3: S3Client, options: { file: string; bucket: string; key: string; onProgress?: (sent: number, bytes: number) => void }): Promise<UploadedObject> {
  const { bytes, version } = await putFile(s3, options);
  if (!version) throw new Error(`s3://${options.bucket}/${options.key} has no version id: the data bucket must be versioned`);
  return { bucket: options.bucket, key: options.key, version, bytes, runId: deriveRunId({ bucket: options.bucket, key: options.key, version }) };
}
