import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, PutBucketVersioningCommand, S3Client } from '@aws-sdk/client-s3';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uploadProgress } from '../../drivers/progress-text.js';
import { UPLOAD_PART_BYTES, uploadFile } from '../../drivers/upload-file.js';
import { startHarness, type Harness } from '../emulator/emulator-harness.js';

const bucket = 'upload-file-test';
let harness: Harness;
let s3: S3Client;
const folder = mkdtempSync(join(tmpdir(), 'upload-file-'));

beforeAll(async () => {
  harness = await startHarness();
  s3 = new S3Client(harness.aws);
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
}, 120_000);

afterAll(async () => harness?.close());

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('uploadFile', () => {
  it('puts a small file in one request and a large one in parts, each byte for byte, with its version and progress', async () => {
    const small = join(folder, 'small.csv');
    writeFileSync(small, 'order_id\n1\n');
    const large = join(folder, 'large.csv');
    const content = randomBytes(2 * UPLOAD_PART_BYTES + 12_345);
    writeFileSync(large, content);
    const lines: string[] = [];
    const [one, parts] = [
      await uploadFile(s3, { file: small, bucket, key: 'raw/small.csv' }),
      await uploadFile(s3, { file: large, bucket, key: 'raw/large.csv', onProgress: uploadProgress((line) => lines.push(line)) }),
    ];
    for (const [object, file] of [[one, 'order_id\n1\n'], [parts, content]] as const) {
      const stored = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: object.key, VersionId: object.version }));
      expect(sha256(await stored.Body!.transformToByteArray())).toBe(sha256(Buffer.from(file)));
      expect(object.runId).toMatch(/^(small|large)-[0-9a-f]{16}$/);
    }
    // S3 gives a multipart object's ETag a "-<parts>" suffix.
    expect((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'raw/small.csv' }))).ETag).not.toMatch(/-\d+"$/);
    expect((await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: 'raw/large.csv' }))).ETag).toMatch(/-3"$/);
    expect(lines.at(-1)).toMatch(/^ {2}uploading: 32 of 32 MiB sent \(100 %\)$/);
  }, 120_000);
});
