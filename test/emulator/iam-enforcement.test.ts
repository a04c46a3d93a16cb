import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GlueClient, StartJobRunCommand } from '@aws-sdk/client-glue';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateFunctionCommand, InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  CreateBucketCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutBucketEncryptionCommand, PutBucketPolicyCommand, PutObjectCommand, S3Client,
} from '@aws-sdk/client-s3';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3AccessError, S3Mount } from '../../emulator/glue-runner/s3-mount.js';
import type { DecisionRecord } from '../../emulator/iam/decision-log.js';
import { createRole, handlerZip, putRolePolicy, startHarness, type Harness, type PolicyStatement } from './emulator-harness.js';

const account = '123456789012';
const bucket = 'iam-enforcement-test';
const bucketArn = `arn:aws:s3:::${bucket}`;
let harness: Harness;
let keyArn: string;

/** The rights of a role that reads raw/ and may list only raw/ (the Glue role's shape before the ListBucket fix). */
function readerStatements(options: { decrypt?: boolean; listAnyPrefix?: boolean } = {}): PolicyStatement[] {
  return [
    { Sid: 'ReadRaw', Effect: 'Allow', Action: 's3:GetObject', Resource: `${bucketArn}/raw/*` },
    options.listAnyPrefix
      ? { Sid: 'List', Effect: 'Allow', Action: 's3:ListBucket', Resource: bucketArn }
      : { Sid: 'ListRaw', Effect: 'Allow', Action: 's3:ListBucket', Resource: bucketArn, Condition: { StringLike: { 's3:prefix': ['raw/*'] } } },
    ...(options.decrypt === false ? [] : [{ Sid: 'UseKey', Effect: 'Allow' as const, Action: 'kms:Decrypt', Resource: keyArn }]),
  ];
}

/** An AWS SDK configuration with the role's session keys, as a Lambda function or Glue run gets them. */
async function asRole(roleArn: string) {
  const { Credentials } = await new STSClient(harness.aws).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'test-session' }));
  return {
    ...harness.aws,
    credentials: { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey!, sessionToken: Credentials!.SessionToken },
  };
}

function decisions(): DecisionRecord[] {
  return readFileSync(harness.services.iamLogFile!, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as DecisionRecord);
}

async function rejection(promise: Promise<unknown>): Promise<Error & { $metadata: { httpStatusCode?: number } }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { $metadata: { httpStatusCode?: number } };
  }
  throw new Error('the call was allowed');
}

beforeAll(async () => {
  harness = await startHarness();
  const kms = new KMSClient(harness.aws);
  keyArn = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.Arn!;
  const s3 = new S3Client(harness.aws);
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await s3.send(new PutBucketEncryptionCommand({
    Bucket: bucket,
    ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: keyArn }, BucketKeyEnabled: true }] },
  }));
  await s3.send(new PutBucketPolicyCommand({
    Bucket: bucket,
    Policy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Sid: 'NoSecrets', Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: `${bucketArn}/raw/secret/*` }],
    }),
  }));
  for (const key of ['raw/a.csv', 'raw/secret/b.csv', 'cleaned/c.parquet']) await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: `body of ${key}` }));
}, 120_000);

afterAll(async () => harness?.close());

describe('IAM enforcement at the gateway', () => {
  it("allows a role session what its policy grants, KMS included, and logs the allowed call", async () => {
    const role = await createRole(harness.aws, { name: 'reader', statements: readerStatements() });
    const s3 = new S3Client(await asRole(role));
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'raw/a.csv' }));
    expect(await object.Body!.transformToString()).toBe('body of raw/a.csv');
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'raw/' }));
    expect(listed.Contents?.map((item) => item.Key)).toContain('raw/a.csv');
    const allowed = decisions().filter((record) => record.role === 'reader' && record.decision === 'allow');
    expect(allowed.find((record) => record.operation === 'GetObject')?.checked).toEqual([
      { action: 's3:GetObject', resource: `${bucketArn}/raw/a.csv` },
      { action: 'kms:Decrypt', resource: keyArn },
    ]);
  });

  it('answers an S3 call the role may not make with AccessDenied naming the action and resource, and logs the missing grant', async () => {
    const role = await createRole(harness.aws, { name: 'reader-2', statements: readerStatements() });
    const s3 = new S3Client(await asRole(role));
    const error = await rejection(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'cleaned/c.parquet' })));
    expect(error.name).toBe('AccessDenied');
    expect(error.$metadata.httpStatusCode).toBe(403);
    expect(error.message).toBe(`User: arn:aws:sts::${account}:assumed-role/reader-2/test-session is not authorized to perform: s3:GetObject `
      + `on resource: "${bucketArn}/cleaned/c.parquet" because no identity-based policy allows the s3:GetObject action`);
    const denial = decisions().find((record) => record.role === 'reader-2' && record.decision === 'deny');
    expect(denial).toMatchObject({
      action: 's3:GetObject', resource: `${bucketArn}/cleaned/c.parquet`,
      missingGrant: { policy: 'an identity policy of role reader-2', statement: { Effect: 'Allow', Action: 's3:GetObject', Resource: `${bucketArn}/cleaned/c.parquet` } },
    });
    const listing = await rejection(s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'cleaned/' })));
    expect(listing.name).toBe('AccessDenied');
  });

  it("applies the bucket policy's explicit deny over the role's allow", async () => {
    const role = await createRole(harness.aws, { name: 'reader-3', statements: readerStatements() });
    const error = await rejection(new S3Client(await asRole(role)).send(new GetObjectCommand({ Bucket: bucket, Key: 'raw/secret/b.csv' })));
    expect(error.message).toMatch(/is not authorized to perform: s3:GetObject on resource: ".*raw\/secret\/b.csv" with an explicit deny in a resource-based policy$/);
  });

  it('refuses to read an SSE-KMS object without kms:Decrypt on its key', async () => {
    const role = await createRole(harness.aws, { name: 'no-decrypt', statements: readerStatements({ decrypt: false }) });
    const error = await rejection(new S3Client(await asRole(role)).send(new GetObjectCommand({ Bucket: bucket, Key: 'raw/a.csv' })));
    expect(error.name).toBe('AccessDenied');
    expect(error.message).toContain(`is not authorized to perform: kms:Decrypt on resource: "${keyArn}"`);
  });

  it('answers 403 for a missing key without s3:ListBucket on the bucket, and 404 with it', async () => {
    const prefixOnly = new S3Client(await asRole(await createRole(harness.aws, { name: 'prefix-lister', statements: readerStatements() })));
    const forbidden = await rejection(prefixOnly.send(new HeadObjectCommand({ Bucket: bucket, Key: 'raw/missing.csv' })));
    expect(forbidden.$metadata.httpStatusCode).toBe(403);
    const getForbidden = await rejection(prefixOnly.send(new GetObjectCommand({ Bucket: bucket, Key: 'raw/missing.csv' })));
    expect([getForbidden.name, getForbidden.message]).toEqual(['AccessDenied', 'Access Denied']);

    const lister = new S3Client(await asRole(await createRole(harness.aws, { name: 'bucket-lister', statements: readerStatements({ listAnyPrefix: true }) })));
    expect((await rejection(lister.send(new HeadObjectCommand({ Bucket: bucket, Key: 'raw/missing.csv' })))).$metadata.httpStatusCode).toBe(404);
    expect((await rejection(lister.send(new GetObjectCommand({ Bucket: bucket, Key: 'raw/missing.csv' })))).name).toBe('NoSuchKey');
  });

  it('sees a policy change made through the gateway on the next call', async () => {
    const role = await createRole(harness.aws, { name: 'grows', statements: readerStatements() });
    const s3 = new S3Client(await asRole(role));
    await rejection(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'cleaned/c.parquet' })));
    await putRolePolicy(harness.aws, { name: 'grows', statements: [...readerStatements(), { Effect: 'Allow', Action: 's3:GetObject', Resource: `${bucketArn}/cleaned/*` }] });
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'cleaned/c.parquet' }));
    expect(await object.Body!.transformToString()).toBe('body of cleaned/c.parquet');
  });

  it('answers JSON-protocol services with AccessDeniedException, the gateway-served ones included', async () => {
    const config = await asRole(await createRole(harness.aws, { name: 'nothing', statements: readerStatements() }));
    const dynamo = await rejection(new DynamoDBClient(config).send(new PutItemCommand({ TableName: 'records', Item: { id: { S: '1' } } })));
    expect(dynamo.name).toBe('AccessDeniedException');
    expect(dynamo.message).toBe(`User: arn:aws:sts::${account}:assumed-role/nothing/test-session is not authorized to perform: dynamodb:PutItem `
      + `on resource: arn:aws:dynamodb:us-east-1:${account}:table/records because no identity-based policy allows the dynamodb:PutItem action`);
    const glue = await rejection(new GlueClient(config).send(new StartJobRunCommand({ JobName: 'clean' })));
    expect(glue.name).toBe('AccessDeniedException');
    expect(glue.message).toContain(`glue:StartJobRun on resource: arn:aws:glue:us-east-1:${account}:job/clean`);
    const { QueueUrl } = await new SQSClient(harness.aws).send(new CreateQueueCommand({ QueueName: 'iam-queue' }));
    const sqs = await rejection(new SQSClient(config).send(new ReceiveMessageCommand({ QueueUrl })));
    expect(sqs.name).toBe('AccessDenied');
    expect(sqs.message).toContain(`sqs:ReceiveMessage on resource: arn:aws:sqs:us-east-1:${account}:iam-queue`);
  });

  it("fails a Glue run's upload where the S3 connector's HEAD of a new key answers 403 (StringLike on s3:prefix), not with StringLikeIfExists", async () => {
    const writes: PolicyStatement = { Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: `${bucketArn}/cleaned/*` };
    const upload = async (role: string) => {
      const dir = mkdtempSync(join(tmpdir(), 'sdp-mount-'));
      const mount = new S3Mount(new S3Client(await asRole(role)), dir);
      const run = role.split('/').slice(-1)[0]!;
      mount.snapshot();
      mkdirSync(join(dir, bucket, 'cleaned', `run_id=${run}`), { recursive: true });
      writeFileSync(join(dir, bucket, 'cleaned', `run_id=${run}`, 'part-0.parquet'), 'rows');
      try {
        return await mount.uploadChanges();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    };
    const scoped = await createRole(harness.aws, { name: 'job-scoped-list', statements: [...readerStatements(), writes, { Effect: 'Allow', Action: 'kms:GenerateDataKey', Resource: keyArn }] });
    const failure = await rejection(upload(scoped));
    expect(failure).toBeInstanceOf(S3AccessError);
    expect(failure.message).toContain(`getFileStatus on s3://${bucket}/cleaned/run_id=job-scoped-list: 403 Forbidden`);
    // The Glue role's ListBucket since the fix: listings stay within its areas, the check of a missing key passes.
    const ifExists: PolicyStatement = { Effect: 'Allow', Action: 's3:ListBucket', Resource: bucketArn, Condition: { StringLikeIfExists: { 's3:prefix': ['raw/*', 'cleaned/*'] } } };
    const fixed = await createRole(harness.aws, {
      name: 'job-if-exists-list', statements: [...readerStatements().filter((statement) => statement.Sid !== 'ListRaw'), ifExists, writes, { Effect: 'Allow', Action: 'kms:GenerateDataKey', Resource: keyArn }],
    });
    expect(await upload(fixed)).toEqual([`s3://${bucket}/cleaned/run_id=job-if-exists-list/part-0.parquet`]);
    await expect(new S3Client(await asRole(fixed)).send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'reports/' }))).rejects.toMatchObject({ name: 'AccessDenied' });
  });

  it('refuses temporary keys the emulated STS never issued, instead of taking them for the account owner', async () => {
    const s3 = new S3Client({ ...harness.aws, credentials: { accessKeyId: 'ASIAUNKNOWNSESSION00', secretAccessKey: 'x', sessionToken: 'y' } });
    const error = await rejection(s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'cleaned/c.parquet' })));
    expect([error.name, error.$metadata.httpStatusCode]).toEqual(['InvalidAccessKeyId', 403]);
  });

  it("leaves the account owner's calls (the dummy credentials) unchecked", async () => {
    const s3 = new S3Client(harness.aws);
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'cleaned/c.parquet' }));
    expect(await object.Body!.transformToString()).toBe('body of cleaned/c.parquet');
    expect(decisions().some((record) => !record.principal.includes(':assumed-role/'))).toBe(false);
  });

  it("runs a Lambda function with its execution role's session keys", async () => {
    const role = await createRole(harness.aws, { name: 'function-role', statements: readerStatements() });
    await new LambdaClient(harness.aws).send(new CreateFunctionCommand({
      FunctionName: 'who-am-i', Runtime: 'nodejs20.x', Role: role, Handler: 'index.handler',
      Code: { ZipFile: handlerZip('exports.handler = async () => ({ key: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY, token: process.env.AWS_SESSION_TOKEN });') },
    }));
    const answer = await new LambdaClient(harness.aws).send(new InvokeCommand({ FunctionName: 'who-am-i' }));
    const keys = JSON.parse(Buffer.from(answer.Payload!).toString()) as { key: string; secret: string; token: string };
    expect(keys.token).not.toBe('');
    const identity = await new STSClient({ ...harness.aws, credentials: { accessKeyId: keys.key, secretAccessKey: keys.secret, sessionToken: keys.token } })
      .send(new GetCallerIdentityCommand({}));
    expect(identity.Arn).toBe(`arn:aws:sts::${account}:assumed-role/function-role/who-am-i`);
  });
});
