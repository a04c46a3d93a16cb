import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import { parseS3Uri } from '../../contract/s3-uri.js';

export class S3AccessError extends Error {
  override readonly name = 'S3AccessError';
}

function describe(error: unknown): string {
  const { name, message } = error as { name?: string; message?: string };
  return `${name ?? 'Error'}: ${message ?? String(error)}`;
}

export async function openObject(s3: S3Client, uri: string): Promise<Readable> {
  const { bucket, key } = parseS3Uri(uri);
  try {
    return (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body as Readable;
  } catch (error) {
    throw new S3AccessError(`cannot read ${uri} (${describe(error)})`, { cause: error });
  }
}

/** The object's size in bytes. */
export async function objectSize(s3: S3Client, uri: string): Promise<number> {
  const { bucket, key } = parseS3Uri(uri);
  try {
    return (await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).ContentLength ?? 0;
  } catch (error) {
    throw new S3AccessError(`cannot read ${uri} (${describe(error)})`, { cause: error });
  }
}

export async function readObject(s3: S3Client, uri: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await openObject(s3, uri)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Every object whose key starts with the URI's key, as COPY FROM 's3://bucket/prefix' reads them. */
export async function listObjects(s3: S3Client, prefixUri: string): Promise<string[]> {
  const { bucket, key } = parseS3Uri(prefixUri);
  const uris: string[] = [];
  let ContinuationToken: string | undefined;
  try {
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: key, ContinuationToken }));
      uris.push(...(page.Contents ?? []).map((object) => `s3://${bucket}/${object.Key}`));
      ContinuationToken = page.NextContinuationToken;
    } while (ContinuationToken);
  } catch (error) {
    throw new S3AccessError(`cannot list ${prefixUri} (${describe(error)})`, { cause: error });
  }
  return uris;
}

export async function writeObject(s3: S3Client, uri: string, body: Buffer): Promise<void> {
  const { bucket, key } = parseS3Uri(uri);
  try {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
  } catch (error) {
    throw new S3AccessError(`cannot write ${uri} (${describe(error)})`, { cause: error });
  }
}
