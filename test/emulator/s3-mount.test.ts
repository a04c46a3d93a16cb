import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { S3Mount, UnmountableObjectError } from '../../emulator/glue-runner/s3-mount.js';

/** An S3 client that fails the test if the mount ever asks S3 for anything. */
const unreachableS3 = { send: async () => { throw new Error('the mount must refuse before calling S3'); } } as unknown as S3Client;

describe('S3Mount', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sdp-mount-'));
  const mount = new S3Mount(unreachableS3, dir);

  it('maps s3://bucket/key to <dir>/<bucket>/<key>', () => {
    expect(mount.path('data', 'raw/2024/sales.csv')).toBe(join(dir, 'data', 'raw', '2024', 'sales.csv'));
    expect(mount.path('data', 'raw/..%2F..%2Fx.csv')).toBe(join(dir, 'data', 'raw', '..%2F..%2Fx.csv'));
    expect(mount.path('data', 'out/', { prefix: true })).toBe(join(dir, 'data', 'out'));
  });

  it.each([
    ['data', 'raw/../../../../../../../../../../tmp/x.csv'],
    ['data', '../x.csv'],
    ['data', 'raw/./x.csv'],
    ['data', 'raw//x.csv'],
    ['data', '/etc/passwd'],
    ['..', 'x.csv'],
    ['.', 'x.csv'],
  ])('refuses s3://%s/%s, naming it', (bucket, key) => {
    expect(() => mount.path(bucket, key)).toThrow(UnmountableObjectError);
    expect(() => mount.path(bucket, key)).toThrow(`s3://${bucket}/${key}`);
  });

  it('refuses to download such a key without asking S3', async () => {
    await expect(mount.download('data', 'raw/../../tmp/x.csv')).rejects.toBeInstanceOf(UnmountableObjectError);
    await expect(mount.download('data', 'scripts/../job.py', join(dir, 'job.py'))).rejects.toBeInstanceOf(UnmountableObjectError);
  });
});
