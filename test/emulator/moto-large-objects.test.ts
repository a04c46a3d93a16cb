import { createHash } from 'node:crypto';
import { createReadStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import {
  CompleteMultipartUploadCommand, CreateBucketCommand, CreateMultipartUploadCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsClientConfig } from '../../stage/aws-target.js';
import { startMoto, type MotoServer } from '../../emulator/moto/moto-server.js';
import { freePort } from './emulator-harness.js';

const bucket = 'large-objects';
const mib = 1024 * 1024;
// Far past moto's in-memory key buffer (5 MiB), so the object lives in a file.
const objectBytes = 160 * mib;

let moto: MotoServer;
let stateDir: string;
let s3: S3Client;
let file: string;
let content: Buffer;
let started: ReturnType<typeof motoMemory>;

/** Bytes that differ at every offset, so a misplaced block or range cannot pass for the right one. */
function numberedBytes(length: number): Buffer {
  const bytes = Buffer.alloc(length);
  for (let offset = 0; offset < length; offset += 4) bytes.writeUInt32LE((offset * 2654435761) >>> 0, offset);
  return bytes;
}

const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest();
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const crc32Base64 = (bytes: Buffer) => {
  const digest = Buffer.alloc(4);
  digest.writeUInt32BE(crc32(bytes));
  return digest.toString('base64');
};

/** A GetObject body read through, hashed as it streams. */
async function sha256Of(body: unknown): Promise<{ digest: string; length: number }> {
  const hash = createHash('sha256');
  let length = 0;
  for await (const chunk of body as Readable) {
    hash.update(chunk as Buffer);
    length += (chunk as Buffer).length;
  }
  return { digest: hash.digest('hex'), length };
}

/** The moto process's resident and peak resident memory (Linux's own accounting of the process). */
function motoMemory(): { residentBytes: number; peakBytes: number } {
  const status = readFileSync(`/proc/${moto.pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)![1]) * 1024;
  return { residentBytes: kib('VmRSS'), peakBytes: kib('VmHWM') };
}

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'sdp-moto-large-'));
  moto = await startMoto({ port: await freePort(), logFile: join(stateDir, 'moto.log') });
  started = motoMemory();
  s3 = new S3Client(awsClientConfig({ endpoint: moto.endpoint, region: 'us-east-1' }));
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  content = numberedBytes(objectBytes);
  file = join(stateDir, 'large.bin');
  writeFileSync(file, content);
});

afterAll(async () => {
  await moto?.stop();
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
});

describe('the launcher-started moto, S3 objects larger than its memory buffer', () => {
  it('takes a streamed upload and serves it back without holding the object in memory', async () => {
    // A stream body makes the SDK send aws-chunked with a trailing CRC32, as drivers/upload-file.ts does.
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'streamed.bin', Body: createReadStream(file), ContentLength: objectBytes }));
    const stored = await sha256Of((await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'streamed.bin' }))).Body);
    expect(stored).toEqual({ digest: sha256(content), length: objectBytes });
    // moto held the body three times over (this upload and GET grew it by 510 MB); read and served in blocks of
    // 8 MiB, they grow it by about 27 MB.
    expect(motoMemory().peakBytes - started.residentBytes).toBeLessThan(objectBytes / 2);
  });

  it('answers HEAD with the length and the MD5 ETag, and a Range GET with those bytes only', async () => {
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'streamed.bin' }));
    expect(head.ContentLength).toBe(objectBytes);
    expect(head.ETag).toBe(`"${md5(content).toString('hex')}"`);
    const start = 100 * mib + 3;
    const ranged = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'streamed.bin', Range: `bytes=${start}-${start + 999_999}` }));
    expect(ranged.ContentRange).toBe(`bytes ${start}-${start + 999_999}/${objectBytes}`);
    expect(Buffer.from(await ranged.Body!.transformToByteArray()).equals(content.subarray(start, start + 1_000_000))).toBe(true);
    const tail = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'streamed.bin', Range: 'bytes=-10' }));
    expect(Buffer.from(await tail.Body!.transformToByteArray()).equals(content.subarray(objectBytes - 10))).toBe(true);
  });

  it('keeps the checksum the SDK sent, which the SDK validates on a GET that asks for it', async () => {
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'streamed.bin', ChecksumMode: 'ENABLED' }));
    expect(got.ChecksumCRC32).toBe(crc32Base64(content));
    expect((await sha256Of(got.Body)).digest).toBe(sha256(content));
    const sha = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'sha256.bin', Body: createReadStream(file), ContentLength: objectBytes, ChecksumAlgorithm: 'SHA256' }));
    expect(sha.ChecksumSHA256).toBe(createHash('sha256').update(content).digest('base64'));
    const shaGot = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'sha256.bin', ChecksumMode: 'ENABLED' }));
    expect(shaGot.ChecksumSHA256).toBe(sha.ChecksumSHA256);
    expect((await sha256Of(shaGot.Body)).digest).toBe(sha256(content));
  });

  it('refuses an upload whose bytes do not match the checksum sent with them, as S3 does', async () => {
    const wrong = createHash('sha256').update('other bytes').digest('base64');
    await expect(s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'corrupt.bin', Body: content.subarray(0, 6 * mib), ChecksumSHA256: wrong })))
      .rejects.toMatchObject({ name: 'BadDigest' });
  });

  it('joins a multipart upload in order, with the ETag S3 gives one: the MD5 of the parts\' MD5s and their count', async () => {
    const sizes = [64 * mib, 64 * mib, objectBytes - 128 * mib];
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'multipart.bin' }));
    const parts = [];
    let offset = 0;
    for (const [index, size] of sizes.entries()) {
      const body = createReadStream(file, { start: offset, end: offset + size - 1 });
      const { ETag } = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'multipart.bin', UploadId, PartNumber: index + 1, Body: body, ContentLength: size }));
      parts.push({ PartNumber: index + 1, ETag });
      offset += size;
    }
    await s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'multipart.bin', UploadId, MultipartUpload: { Parts: parts } }));
    let partOffset = 0;
    const partMd5s = sizes.map((size) => md5(content.subarray(partOffset, (partOffset += size))));
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'multipart.bin' }));
    expect(head.ETag).toBe(`"${md5(Buffer.concat(partMd5s)).toString('hex')}-3"`);
    expect(head.ContentLength).toBe(objectBytes);
    expect(await sha256Of((await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'multipart.bin' }))).Body))
      .toEqual({ digest: sha256(content), length: objectBytes });
    // moto joined the parts in memory three times over; in blocks, nothing this file did held an object (40 MB).
    expect(motoMemory().peakBytes - started.residentBytes).toBeLessThan(objectBytes / 2);
  });

  it('gives a multipart upload with CRC32 the composite checksum S3 gives: the CRC32 of the parts\' CRC32s and their count', async () => {
    const parts = [content.subarray(0, 5 * mib), content.subarray(5 * mib, 6 * mib + 7)];
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'composite.bin', ChecksumAlgorithm: 'CRC32' }));
    const uploaded = [];
    for (const [index, body] of parts.entries()) {
      const { ETag, ChecksumCRC32 } = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: 'composite.bin', UploadId, PartNumber: index + 1, Body: body, ChecksumAlgorithm: 'CRC32' }));
      uploaded.push({ PartNumber: index + 1, ETag, ChecksumCRC32 });
    }
    await s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: 'composite.bin', UploadId, MultipartUpload: { Parts: uploaded } }));
    const partDigests = Buffer.concat(parts.map((body) => Buffer.from(crc32Base64(body), 'base64')));
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'composite.bin', ChecksumMode: 'ENABLED' }));
    // S3 appends the part count (`…-2`) and names the type; moto's HEAD gives the checksum of the checksums alone.
    expect(head.ChecksumCRC32).toBe(crc32Base64(partDigests));
    expect(head.ContentLength).toBe(6 * mib + 7);
  });
});
