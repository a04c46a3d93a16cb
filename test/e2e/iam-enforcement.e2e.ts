import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetJobCommand } from '@aws-sdk/client-glue';
import { GetRolePolicyCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { GetFunctionConfigurationCommand } from '@aws-sdk/client-lambda';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { describe, expect, inject, it } from 'vitest';
import type { DecisionRecord } from '../../emulator/iam/decision-log.js';
import { ManifestNotFoundError, readRunManifest } from '../../lambda/loader/run-manifest.js';
import { awsClientConfig } from '../../stage/aws-target.js';
import { generatedFile, loaded, sharedStage, upload } from './pipeline-fixture.js';

const pipeline = sharedStage();
const stage = inject('stage');

function decisions(): DecisionRecord[] {
  return readFileSync(join(stage!.stateDir, 'logs', 'iam.log'), 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as DecisionRecord);
}

function roleName(arn: string | undefined): string {
  return arn!.split('/').slice(-1)[0]!;
}

async function roles() {
  const loader = await pipeline!.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: pipeline!.loaderFunctionName }));
  const { Job } = await pipeline!.glue.send(new GetJobCommand({ JobName: pipeline!.jobName }));
  const glueJob = roleName(Job!.Role);
  return { loader: roleName(loader.Role), glueJob, trigger: glueJob.replace(/-glue-job$/, '-trigger') };
}

/** An S3 client acting as the role, with keys from the emulated STS as Lambda and Glue get them. */
async function s3AsRole(role: string): Promise<S3Client> {
  const config = awsClientConfig({ endpoint: stage!.gatewayUrl, region: stage!.region });
  const { Credentials } = await new STSClient(config).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::123456789012:role/${role}`, RoleSessionName: 'e2e' }));
  return new S3Client({ ...config, credentials: { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey!, sessionToken: Credentials!.SessionToken } });
}

describe.skipIf(!pipeline)('IAM enforcement on the local stage', () => {
  it("allows every call a file's trip through the functions and the job makes, each with its own role", async () => {
    const since = new Date().toISOString();
    const file = generatedFile({ rows: 300, seed: 11, orderPrefix: 'IAMOK' });
    const object = await upload(pipeline!, file.csv, 'raw/iam-allowed/sales_data.csv');
    expect((await loaded(pipeline!, object.runId)).status).toBe('loaded');
    const names = await roles();
    // The log records each distinct allowed use once, whenever it first happened, and every denial.
    const records = decisions();
    expect(records.filter((record) => record.decision === 'deny' && record.time >= since)).toEqual([]);
    const actionsOf = (role: string) => new Set(records.filter((record) => record.role === role).flatMap((record) => (record.checked ?? []).map((check) => check.action)));
    expect([...actionsOf(names.trigger)]).toEqual(expect.arrayContaining([
      'sqs:ReceiveMessage', 'sqs:DeleteMessage', 'kms:Decrypt', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'glue:StartJobRun',
    ]));
    expect([...actionsOf(names.glueJob)]).toEqual(expect.arrayContaining(['s3:GetObject', 's3:ListBucket', 's3:PutObject', 'kms:Decrypt', 'kms:GenerateDataKey']));
    expect([...actionsOf(names.loader)]).toEqual(expect.arrayContaining([
      'glue:GetJobRun', 's3:GetObject', 'kms:Decrypt', 'secretsmanager:GetSecretValue', 'redshift-data:DescribeStatement',
    ]));
    expect([...actionsOf(names.loader)].some((action) => /^redshift-data:(Batch)?ExecuteStatement$/.test(action))).toBe(true);
  });

  it("lets the Glue role's S3 connector tell a missing key from a forbidden one, while listings stay within its areas", async () => {
    const s3 = await s3AsRole((await roles()).glueJob);
    const missing = await s3.send(new HeadObjectCommand({ Bucket: pipeline!.bucket, Key: 'cleaned/sales/run_id=never-written' })).catch((error: { $metadata: { httpStatusCode: number } }) => error);
    expect((missing as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode).toBe(404);
    await expect(s3.send(new ListObjectsV2Command({ Bucket: pipeline!.bucket, Prefix: 'reports/' }))).rejects.toMatchObject({ name: 'AccessDenied' });
  });

  it('lets the loader tell a missing manifest (ManifestNotFoundError) from a permission problem', async () => {
    const s3 = await s3AsRole((await roles()).loader);
    await expect(s3.send(new GetObjectCommand({ Bucket: pipeline!.bucket, Key: 'manifests/never-written.json' }))).rejects.toMatchObject({ name: 'NoSuchKey' });
    await expect(readRunManifest(s3, { bucket: pipeline!.bucket, runId: 'never-written' })).rejects.toBeInstanceOf(ManifestNotFoundError);
  });

  it("fails the pipeline with the matching AccessDenied when one statement is taken from the Glue role's policy", async () => {
    const iam = new IAMClient(awsClientConfig({ endpoint: stage!.gatewayUrl, region: stage!.region }));
    const role = (await roles()).glueJob;
    const { PolicyDocument } = await iam.send(new GetRolePolicyCommand({ RoleName: role, PolicyName: 'glue-job' }));
    const original = JSON.parse(decodeURIComponent(PolicyDocument!)) as { Statement: { Sid?: string }[] };
    const without = { ...original, Statement: original.Statement.filter((statement) => statement.Sid !== 'WriteRunOutputs') };
    expect(without.Statement.length).toBe(original.Statement.length - 1);
    await iam.send(new PutRolePolicyCommand({ RoleName: role, PolicyName: 'glue-job', PolicyDocument: JSON.stringify(without) }));
    const since = new Date().toISOString();
    try {
      const file = generatedFile({ rows: 200, seed: 7, orderPrefix: 'IAMDENY' });
      const object = await upload(pipeline!, file.csv, 'raw/iam-denied/sales_data.csv');
      const audit = await loaded(pipeline!, object.runId);
      expect(audit.status).toBe('failed');
      expect(audit.error).toMatch(/403/);
      // Glue names the job run's session GlueJobRunnerSession; the earlier tests' own sessions are called e2e.
      const denial = decisions().find((record) => record.decision === 'deny' && record.time >= since && record.principal.endsWith(`/${role}/GlueJobRunnerSession`));
      expect(denial).toMatchObject({ service: 's3', missingGrant: { policy: `an identity policy of role ${role}` } });
      expect(denial!.action).toMatch(/^s3:(GetObject|PutObject)$/);
      expect(denial!.resource).toMatch(new RegExp(`^arn:aws:s3:::${pipeline!.bucket}/(cleaned|rejected|manifests)/`));
    } finally {
      await iam.send(new PutRolePolicyCommand({ RoleName: role, PolicyName: 'glue-job', PolicyDocument: JSON.stringify(original) }));
    }
  });
});
