import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { AsyncBuffer } from 'hyparquet';
import type { S3Folder } from './table-layout.js';

export interface S3ObjectSummary {
  key: string;
  size: number;
}

export async function listFolder(s3: S3Client, folder: S3Folder): Promise<S3ObjectSummary[]> {
  const objects: S3ObjectSummary[] = [];
  let ContinuationToken: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: folder.bucket, Prefix: folder.prefix, ContinuationToken }));
    objects.push(...(page.Contents ?? []).map((object) => ({ key: object.Key!, size: object.Size ?? 0 })));
    ContinuationToken = page.NextContinuationToken;
  } while (ContinuationToken);
  return objects;
}

/** Bytes [start, end) of an object, with one ranged GET. */
export async function readRange(s3: S3Client, location: { bucket: string; key: string; start: number; end: number }): Promise<Buffer> {
  const { bucket, key, start, end } = location;
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=${start}-${end - 1}` }));
  return Buffer.from(await object.Body!.transformToByteArray());
}

/** An object as hyparquet's random-access buffer, so that reading a footer fetches only the footer. */
export function objectBuffer(s3: S3Client, object: { bucket: string; key: string; size: number }): AsyncBuffer {
  return {
    byteLength: object.size,
    async slice(start, end = object.size) {
      const bytes = await readRange(s3, { bucket: object.bucket, key: object.key, start, end });
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    },
  };
}
