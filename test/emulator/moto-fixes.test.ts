import { CreateBucketCommand, PutBucketPolicyCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand, SetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './emulator-harness.js';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});

afterAll(async () => harness?.close());

describe('the control plane as Terraform uses it', () => {
  it('accepts uploads to a bucket whose policy denies requests without TLS', async () => {
    const s3 = new S3Client(harness.aws);
    await s3.send(new CreateBucketCommand({ Bucket: 'tls-only' }));
    await s3.send(new PutBucketPolicyCommand({
      Bucket: 'tls-only',
      Policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{
          Sid: 'DenyRequestsWithoutTls', Effect: 'Deny', Principal: '*', Action: 's3:*',
          Resource: ['arn:aws:s3:::tls-only', 'arn:aws:s3:::tls-only/*'], Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }],
      }),
    }));
    const put = await s3.send(new PutObjectCommand({ Bucket: 'tls-only', Key: 'raw/a.csv', Body: 'a\n' }));
    expect(put.ETag).toBeTruthy();
  });

  it('keeps the RedriveAllowPolicy of a queue', async () => {
    const sqs = new SQSClient(harness.aws);
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'dead-letters' }));
    const policy = JSON.stringify({ redrivePermission: 'byQueue', sourceQueueArns: ['arn:aws:sqs:us-east-1:123456789012:ingest'] });
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { RedriveAllowPolicy: policy } }));
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }));
    expect(Attributes?.RedriveAllowPolicy).toBe(policy);
  });
});
