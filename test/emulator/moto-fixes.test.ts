import { createHash } from 'node:crypto';
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthorizeSecurityGroupEgressCommand, CreateSecurityGroupCommand, CreateVpcCommand, DescribeSecurityGroupRulesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateJobCommand, GetJobCommand, GetTagsCommand, GlueClient, UpdateJobCommand } from '@aws-sdk/client-glue';
import { CreateClusterCommand, DescribeClustersCommand, ModifyClusterCommand, ModifyClusterIamRolesCommand, RedshiftClient } from '@aws-sdk/client-redshift';
import {
  CreateBucketCommand, GetBucketLifecycleConfigurationCommand, GetObjectCommand, PutBucketLifecycleConfigurationCommand, PutBucketPolicyCommand, PutObjectCommand, S3Client,
  type LifecycleRule,
} from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand, SetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsClientConfig } from '../../stage/aws-target.js';
import { startMoto, type MotoServer } from '../../emulator/moto/moto-server.js';
import { withinDeadline } from '../deadline.js';
import { freePort } from './emulator-harness.js';

const account = '123456789012';
const role = (name: string) => `arn:aws:iam::${account}:role/${name}`;

let moto: MotoServer;
let stateDir: string;
let aws: ReturnType<typeof awsClientConfig>;

beforeAll(async () => {
  stateDir = mkdtempSync(join(tmpdir(), 'sdp-moto-fixes-'));
  moto = await startMoto({ port: await freePort(), logFile: join(stateDir, 'moto.log') });
  aws = awsClientConfig({ endpoint: moto.endpoint, region: 'us-east-1' });
});

afterAll(async () => {
  await moto?.stop();
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
});

describe('the launcher-started moto, S3', () => {
  it('accepts uploads to a bucket whose policy denies requests without TLS', async () => {
    const s3 = new S3Client(aws);
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

  it('takes a streamed upload (aws-chunked, with a checksum) of 96 MB byte for byte and in linear time', async () => {
    const s3 = new S3Client(aws);
    await s3.send(new CreateBucketCommand({ Bucket: 'streamed' }));
    const file = join(stateDir, 'streamed.bin');
    const content = Buffer.alloc(96 * 1024 * 1024);
    for (let offset = 0; offset < content.length; offset += 4) content.writeUInt32LE((offset * 2654435761) >>> 0, offset);
    writeFileSync(file, content);
    // A stream body makes the SDK send aws-chunked with a trailing CRC32, as for any file it uploads.
    // Measured on 2 busy cores: 4 s; moto's own decoding copies the body once per chunk (quadratic): 11.5 s
    // for 48 MB, 138 s for 190 MB. The deadline leaves the linear decoder 7 times its time.
    await withinDeadline({ what: 'a streamed 96 MB upload', limitMs: 30_000 },
      s3.send(new PutObjectCommand({ Bucket: 'streamed', Key: 'big.bin', Body: createReadStream(file), ContentLength: content.length })));
    const stored = Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket: 'streamed', Key: 'big.bin' }))).Body!.transformToByteArray());
    expect(stored.length).toBe(content.length);
    expect(createHash('sha256').update(stored).digest('hex')).toBe(createHash('sha256').update(content).digest('hex'));
  });

  it('reads lifecycle rules back as they were written, which Terraform compares after every put', async () => {
    const s3 = new S3Client(aws);
    await s3.send(new CreateBucketCommand({ Bucket: 'with-lifecycle' }));
    const rules: LifecycleRule[] = [
      { ID: 'expire-tmp', Status: 'Enabled', Filter: { Prefix: 'tmp/' }, Expiration: { Days: 7 } },
      {
        ID: 'expire-noncurrent-versions-and-abort-uploads', Status: 'Enabled', Filter: { Prefix: '' },
        NoncurrentVersionExpiration: { NoncurrentDays: 30 }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
      },
    ];
    await s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket: 'with-lifecycle', LifecycleConfiguration: { Rules: rules } }));
    const { Rules } = await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: 'with-lifecycle' }));
    expect(Rules).toEqual(rules);
  });
});

describe('the launcher-started moto, SQS', () => {
  it('keeps the RedriveAllowPolicy of a queue', async () => {
    const sqs = new SQSClient(aws);
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'dead-letters' }));
    const policy = JSON.stringify({ redrivePermission: 'byQueue', sourceQueueArns: [`arn:aws:sqs:us-east-1:${account}:ingest`] });
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { RedriveAllowPolicy: policy } }));
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }));
    expect(Attributes?.RedriveAllowPolicy).toBe(policy);
  });

  it('returns a redrive policy as AWS does: compact JSON with a numeric receive count', async () => {
    const sqs = new SQSClient(aws);
    const { QueueUrl: dlqUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'redrive-target' }));
    const dlqArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }))).Attributes?.QueueArn;
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({
      QueueName: 'redriven',
      Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: '5' }, null, 2) },
    }));
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['RedrivePolicy'] }));
    expect(Attributes?.RedrivePolicy).toBe(`{"deadLetterTargetArn":"${dlqArn}","maxReceiveCount":5}`);
  });

  it('keeps the policy a queue was created with when SetQueueAttributes names other attributes, and removes it when told', async () => {
    const sqs = new SQSClient(aws);
    const { QueueUrl: dlqUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'policy-dlq' }));
    const dlqArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }))).Attributes?.QueueArn;
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 's3.amazonaws.com' }, Action: 'sqs:SendMessage', Resource: `arn:aws:sqs:us-east-1:${account}:with-policy` }],
    });
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'with-policy', Attributes: { Policy: policy } }));
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 5 }) } }));
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { VisibilityTimeout: '120' } }));
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }));
    expect(JSON.parse(Attributes?.Policy ?? 'null')).toEqual(JSON.parse(policy));
    expect(Attributes?.VisibilityTimeout).toBe('120');
    expect(Attributes?.RedrivePolicy).toBe(`{"deadLetterTargetArn":"${dlqArn}","maxReceiveCount":5}`);

    await sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { Policy: '' } }));
    const after = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }));
    expect(after.Attributes?.Policy ?? '').toBe('');
  });

  it('reports SQS-managed encryption off for a queue encrypted with a KMS key, and on otherwise', async () => {
    const sqs = new SQSClient(aws);
    const { QueueUrl: kmsQueue } = await sqs.send(new CreateQueueCommand({ QueueName: 'kms-encrypted', Attributes: { KmsMasterKeyId: 'alias/stack-key' } }));
    const { QueueUrl: plainQueue } = await sqs.send(new CreateQueueCommand({ QueueName: 'sqs-encrypted' }));
    const sse = async (QueueUrl: string | undefined) =>
      (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }))).Attributes?.SqsManagedSseEnabled;
    expect(await sse(kmsQueue)).toBe('false');
    expect(await sse(plainQueue)).toBe('true');
  });
});

describe('the launcher-started moto, Glue', () => {
  const command = { Name: 'glueetl', ScriptLocation: 's3://scripts/clean.py', PythonVersion: '3' };

  it('returns the tags given at create, also for the account-less ARN Terraform builds on stage local', async () => {
    const glue = new GlueClient(aws);
    await glue.send(new CreateJobCommand({ Name: 'tagged', Role: role('glue'), Command: command, Tags: { Stage: 'local', Project: 'sdp' } }));
    for (const arn of [`arn:aws:glue:us-east-1:${account}:job/tagged`, 'arn:aws:glue:us-east-1::job/tagged']) {
      expect((await glue.send(new GetTagsCommand({ ResourceArn: arn }))).Tags).toEqual({ Stage: 'local', Project: 'sdp' });
    }
  });

  it('returns an execution class only for a job that was given one', async () => {
    const glue = new GlueClient(aws);
    await glue.send(new CreateJobCommand({ Name: 'standard-by-default', Role: role('glue'), Command: command }));
    await glue.send(new CreateJobCommand({ Name: 'flexible', Role: role('glue'), Command: command, ExecutionClass: 'FLEX' }));
    expect((await glue.send(new GetJobCommand({ JobName: 'standard-by-default' }))).Job).not.toHaveProperty('ExecutionClass');
    expect((await glue.send(new GetJobCommand({ JobName: 'flexible' }))).Job?.ExecutionClass).toBe('FLEX');
  });

  it('updates a job by overwriting its whole definition', async () => {
    const glue = new GlueClient(aws);
    await glue.send(new CreateJobCommand({
      Name: 'updated', Role: role('glue'), Command: command, Timeout: 60, MaxRetries: 1,
      DefaultArguments: { '--output_uri': 's3://old/', '--TempDir': 's3://old/tmp/' },
    }));
    const { JobName } = await glue.send(new UpdateJobCommand({
      JobName: 'updated',
      JobUpdate: { Role: role('glue-v2'), Command: { ...command, ScriptLocation: 's3://scripts/clean_v2.py' }, Timeout: 30, DefaultArguments: { '--output_uri': 's3://new/' } },
    }));
    expect(JobName).toBe('updated');
    const job = (await glue.send(new GetJobCommand({ JobName: 'updated' }))).Job;
    expect(job).toMatchObject({ Role: role('glue-v2'), Timeout: 30, DefaultArguments: { '--output_uri': 's3://new/' } });
    expect(job?.Command?.ScriptLocation).toBe('s3://scripts/clean_v2.py');
    expect(job).not.toHaveProperty('MaxRetries');
  });

  it('keeps a job\'s JobRunQueuingEnabled through CreateJob, GetJob and UpdateJob', async () => {
    const glue = new GlueClient(aws);
    await glue.send(new CreateJobCommand({ Name: 'queued', Role: role('glue'), Command: command, JobRunQueuingEnabled: true }));
    await glue.send(new CreateJobCommand({ Name: 'not-queued', Role: role('glue'), Command: command }));
    expect((await glue.send(new GetJobCommand({ JobName: 'queued' }))).Job?.JobRunQueuingEnabled).toBe(true);
    expect((await glue.send(new GetJobCommand({ JobName: 'not-queued' }))).Job).not.toHaveProperty('JobRunQueuingEnabled');
    await glue.send(new UpdateJobCommand({ JobName: 'queued', JobUpdate: { Role: role('glue'), Command: command, JobRunQueuingEnabled: false } }));
    expect((await glue.send(new GetJobCommand({ JobName: 'queued' }))).Job?.JobRunQueuingEnabled).toBe(false);
  });

  it('refuses to update a job that does not exist', async () => {
    const glue = new GlueClient(aws);
    await expect(glue.send(new UpdateJobCommand({ JobName: 'missing', JobUpdate: { Role: role('glue'), Command: command } })))
      .rejects.toMatchObject({ name: 'EntityNotFoundException' });
  });
});

describe('the launcher-started moto, Redshift', () => {
  const createCluster = (identifier: string) => new CreateClusterCommand({
    ClusterIdentifier: identifier, NodeType: 'ra3.large', ClusterType: 'single-node', MasterUsername: 'admin',
    ManageMasterPassword: true, MasterPasswordSecretKmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/stack-key',
    IamRoles: [role('copy')], DefaultIamRoleArn: role('copy'),
  });
  const describeCluster = async (redshift: RedshiftClient, identifier: string) =>
    (await redshift.send(new DescribeClustersCommand({ ClusterIdentifier: identifier }))).Clusters?.[0];

  it('describes a new cluster with the fields AWS returns', async () => {
    const redshift = new RedshiftClient(aws);
    await redshift.send(createCluster('described'));
    expect(await describeCluster(redshift, 'described')).toMatchObject({
      DefaultIamRoleArn: role('copy'),
      MaintenanceTrackName: 'current',
      ManualSnapshotRetentionPeriod: -1,
      PreferredMaintenanceWindow: 'mon:03:00-mon:03:30',
      MasterPasswordSecretKmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/stack-key',
    });
  });

  it('modifies the maintenance track, snapshot retention and window, reporting the window in lower case', async () => {
    const redshift = new RedshiftClient(aws);
    await redshift.send(createCluster('modified'));
    await redshift.send(new ModifyClusterCommand({
      ClusterIdentifier: 'modified', MaintenanceTrackName: 'trailing', ManualSnapshotRetentionPeriod: 7, PreferredMaintenanceWindow: 'Sat:05:00-Sat:05:30',
    }));
    expect(await describeCluster(redshift, 'modified')).toMatchObject({
      MaintenanceTrackName: 'trailing', ManualSnapshotRetentionPeriod: 7, PreferredMaintenanceWindow: 'sat:05:00-sat:05:30',
    });
  });

  it('adds and removes IAM roles and moves the default role with ModifyClusterIamRoles', async () => {
    const redshift = new RedshiftClient(aws);
    await redshift.send(createCluster('roles'));
    const { Cluster } = await redshift.send(new ModifyClusterIamRolesCommand({
      ClusterIdentifier: 'roles', AddIamRoles: [role('unload')], RemoveIamRoles: [role('copy')], DefaultIamRoleArn: role('unload'),
    }));
    expect(Cluster?.IamRoles?.map((entry) => entry.IamRoleArn)).toEqual([role('unload')]);
    const described = await describeCluster(redshift, 'roles');
    expect(described?.IamRoles?.map((entry) => entry.IamRoleArn)).toEqual([role('unload')]);
    expect(described?.DefaultIamRoleArn).toBe(role('unload'));
  });

  it('drops the default role when that role is removed', async () => {
    const redshift = new RedshiftClient(aws);
    await redshift.send(createCluster('default-removed'));
    await redshift.send(new ModifyClusterIamRolesCommand({ ClusterIdentifier: 'default-removed', RemoveIamRoles: [role('copy')] }));
    const described = await describeCluster(redshift, 'default-removed');
    expect(described?.IamRoles).toEqual([]);
    expect(described?.DefaultIamRoleArn).toBeUndefined();
  });
});

describe('the launcher-started moto, EC2', () => {
  it('keeps the description of a security group rule to a prefix list', async () => {
    const ec2 = new EC2Client(aws);
    const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.9.0.0/16' }))).Vpc?.VpcId;
    const { GroupId } = await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'to-s3', Description: 'outbound to S3 only', VpcId: vpcId }));
    const { SecurityGroupRules } = await ec2.send(new AuthorizeSecurityGroupEgressCommand({
      GroupId,
      IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, PrefixListIds: [{ PrefixListId: 'pl-63a5400a', Description: 'COPY through the S3 endpoint' }] }],
    }));
    const ruleId = SecurityGroupRules?.[0]?.SecurityGroupRuleId;
    const described = await ec2.send(new DescribeSecurityGroupRulesCommand({ SecurityGroupRuleIds: ruleId ? [ruleId] : [] }));
    expect(described.SecurityGroupRules?.[0]).toMatchObject({ PrefixListId: 'pl-63a5400a', Description: 'COPY through the S3 endpoint' });
  });
});
