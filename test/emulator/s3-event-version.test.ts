import { CreateBucketCommand, PutBucketNotificationConfigurationCommand, PutBucketVersioningCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsClientConfig } from '../../stage/aws-target.js';
import { startMoto, type MotoServer } from '../../emulator/moto/moto-server.js';
import { freePort } from './emulator-harness.js';

let stateDir: string;
let moto: MotoServer;
let s3: S3Client;
let sqs: SQSClient;

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'sdp-s3-events-'));
  moto = await startMoto({ port: await freePort(), logFile: join(stateDir, 'moto.log') });
  s3 = new S3Client(awsClientConfig({ endpoint: moto.endpoint, region: 'us-east-1' }));
  sqs = new SQSClient(awsClientConfig({ endpoint: moto.endpoint, region: 'us-east-1' }));
});

afterAll(async () => {
  await moto.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

async function bucketNotifying(bucket: string, versioned: boolean): Promise<string> {
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  if (versioned) await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `${bucket}-events` }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  await s3.send(new PutBucketNotificationConfigurationCommand({
    Bucket: bucket,
    NotificationConfiguration: { QueueConfigurations: [{ QueueArn: Attributes!.QueueArn!, Events: ['s3:ObjectCreated:*'] }] },
  }));
  return QueueUrl!;
}

async function objectsNotified(queueUrl: string, count: number): Promise<Record<string, unknown>[]> {
  const objects: Record<string, unknown>[] = [];
  while (objects.length < count) {
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    for (const message of Messages) {
      const body = JSON.parse(message.Body!) as { Records?: { s3: { object: Record<string, unknown> } }[] };
      objects.push(...(body.Records ?? []).map((record) => record.s3.object));
    }
  }
  return objects;
}

describe('S3 event notifications of the control plane', () => {
  it('carry the version id of each upload on a versioned bucket, so equal bytes uploaded twice are two events', async () => {
    const queueUrl = await bucketNotifying('versioned-data', true);
    const first = await s3.send(new PutObjectCommand({ Bucket: 'versioned-data', Key: 'raw/sales data.csv', Body: 'a,b\n1,2\n' }));
    const second = await s3.send(new PutObjectCommand({ Bucket: 'versioned-data', Key: 'raw/sales data.csv', Body: 'a,b\n1,2\n' }));
    const objects = await objectsNotified(queueUrl, 2);
    expect(objects.map((object) => object.versionId)).toEqual([first.VersionId, second.VersionId]);
    expect(first.VersionId).not.toBe(second.VersionId);
    expect(objects.map((object) => object.key)).toEqual(['raw/sales+data.csv', 'raw/sales+data.csv']);
    const sequencers = objects.map((object) => object.sequencer as string);
    expect(sequencers.every((sequencer) => /^[0-9A-F]{16}$/.test(sequencer))).toBe(true);
    expect([...sequencers].sort()).toEqual(sequencers);
  });

  it('carry no version id on an unversioned bucket, like AWS', async () => {
    const queueUrl = await bucketNotifying('plain-data', false);
    await s3.send(new PutObjectCommand({ Bucket: 'plain-data', Key: 'raw/a.csv', Body: 'a\n' }));
    const [object] = await objectsNotified(queueUrl, 1);
    expect(object).not.toHaveProperty('versionId');
    expect(object!.eTag).toMatch(/^[0-9a-f]{32}$/);
  });
});
