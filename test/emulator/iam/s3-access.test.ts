import { describe, expect, it } from 'vitest';
import type { HttpRequestView } from '../../../emulator/iam/access-check.js';
import { describeS3Call, s3Target } from '../../../emulator/iam/s3-access.js';
import { fakeDirectory, keyArn } from './fake-directory.js';

function request(method: string, url: string, options: { headers?: Record<string, string>; body?: string } = {}): HttpRequestView {
  return {
    method, url, headers: { host: '127.0.0.1:4566', ...options.headers }, body: options.body ? Buffer.from(options.body) : undefined,
    credential: { accessKeyId: 'ASIAEXAMPLE', region: 'us-east-1', signingService: 's3' }, account: '123456789012',
  };
}

describe('S3 requests', () => {
  it('finds bucket and key in path-style and virtual-hosted-style requests', () => {
    expect(s3Target(request('GET', '/data/raw/a%20b.csv'))).toMatchObject({ bucket: 'data', key: 'raw/a b.csv' });
    expect(s3Target(request('GET', '/raw/a.csv', { headers: { host: 'data.s3.us-east-1.amazonaws.com' } }))).toMatchObject({ bucket: 'data', key: 'raw/a.csv' });
    expect(s3Target(request('GET', '/raw/a.csv', { headers: { host: 'data.localhost:4566' } }))).toMatchObject({ bucket: 'data', key: 'raw/a.csv' });
    const bucketOnly = s3Target(request('GET', '/data?list-type=2'));
    expect([bucketOnly.bucket, bucketOnly.key]).toEqual(['data', undefined]);
  });

  it('checks a listing as s3:ListBucket on the bucket with the s3:prefix it asks for', async () => {
    const call = await describeS3Call(request('GET', '/data?list-type=2&prefix=cleaned%2Fsales%2F&delimiter=%2F'), fakeDirectory());
    expect(call.operation).toBe('ListObjectsV2');
    expect(call.checks).toMatchObject([{ action: 's3:ListBucket', resource: 'arn:aws:s3:::data', context: { 's3:prefix': 'cleaned/sales/', 's3:delimiter': '/' }, resourcePolicy: { kind: 's3-bucket', bucket: 'data' } }]);
  });

  it("reads an SSE-KMS object with s3:GetObject and kms:Decrypt through S3, the bucket's ARN as encryption context (bucket key)", async () => {
    const call = await describeS3Call(request('GET', '/data/raw/a.csv'), fakeDirectory({ existing: ['data/raw/a.csv'] }));
    expect(call.checks).toMatchObject([
      { action: 's3:GetObject', resource: 'arn:aws:s3:::data/raw/a.csv' },
      { action: 'kms:Decrypt', resource: keyArn, viaService: 's3.amazonaws.com', context: { 'kms:EncryptionContext:aws:s3:arn': 'arn:aws:s3:::data', 'kms:ViaService': 's3.us-east-1.amazonaws.com' } },
    ]);
    expect(call.missingObject).toBeUndefined();
  });

  it('marks a GET or HEAD of a missing key, for the 403-without-ListBucket rule, and checks a version read as s3:GetObjectVersion', async () => {
    const head = await describeS3Call(request('HEAD', '/data/manifests/run.json'), fakeDirectory());
    expect(head).toMatchObject({ operation: 'HeadObject', missingObject: { bucket: 'data' }, checks: [{ action: 's3:GetObject' }] });
    const version = await describeS3Call(request('GET', '/data/raw/a.csv?versionId=v1'), fakeDirectory());
    expect(version.checks).toMatchObject([{ action: 's3:GetObjectVersion', context: { 's3:versionid': 'v1' } }]);
  });

  it("writes with s3:PutObject and kms:GenerateDataKey on the bucket's default key", async () => {
    const call = await describeS3Call(request('PUT', '/data/cleaned/part-0.parquet'), fakeDirectory());
    expect(call.checks?.map((check) => check.action)).toEqual(['s3:PutObject', 'kms:GenerateDataKey']);
  });

  it('checks a copy on both ends and a batch delete on every key it names', async () => {
    const copy = await describeS3Call(request('PUT', '/data/cleaned/b.csv', { headers: { 'x-amz-copy-source': '/data/raw/a.csv' } }), fakeDirectory({ existing: ['data/raw/a.csv'] }));
    expect(copy.operation).toBe('CopyObject');
    expect(copy.checks?.map((check) => `${check.action} ${check.resource}`)).toEqual([
      's3:PutObject arn:aws:s3:::data/cleaned/b.csv', 's3:GetObject arn:aws:s3:::data/raw/a.csv', `kms:Decrypt ${keyArn}`, `kms:GenerateDataKey ${keyArn}`,
    ]);
    const body = '<Delete><Object><Key>tmp/a&amp;b</Key></Object><Object><Key>tmp/c</Key><VersionId>v2</VersionId></Object></Delete>';
    const batch = await describeS3Call(request('POST', '/data?delete', { body }), fakeDirectory());
    expect(batch.checks?.map((check) => `${check.action} ${check.resource}`)).toEqual(['s3:DeleteObject arn:aws:s3:::data/tmp/a&b', 's3:DeleteObjectVersion arn:aws:s3:::data/tmp/c']);
  });

  it('notes calls that change a bucket policy, so cached policies are dropped', async () => {
    expect((await describeS3Call(request('PUT', '/data?policy'), fakeDirectory())).changesPolicies).toBe(true);
    expect((await describeS3Call(request('GET', '/data?policy'), fakeDirectory())).changesPolicies).toBe(false);
  });
});
