import { describe, expect, it } from 'vitest';
import type { HttpRequestView } from '../../../emulator/iam/access-check.js';
import { describeServiceCall } from '../../../emulator/iam/service-access.js';
import { fakeDirectory, keyArn } from './fake-directory.js';

const account = '123456789012';

function jsonCall(service: string, target: string, params: object): HttpRequestView {
  return {
    method: 'POST', url: '/', headers: { 'x-amz-target': target, 'content-type': 'application/x-amz-json-1.0' }, body: Buffer.from(JSON.stringify(params)),
    credential: { accessKeyId: 'ASIAEXAMPLE', region: 'us-east-1', signingService: service }, account,
  };
}

function queryCall(service: string, form: Record<string, string>): HttpRequestView {
  return {
    method: 'POST', url: '/', headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body: Buffer.from(new URLSearchParams(form).toString()),
    credential: { accessKeyId: 'ASIAEXAMPLE', region: 'us-east-1', signingService: service }, account,
  };
}

describe('JSON, query and REST-JSON requests', () => {
  it('checks an SQS receive on the queue and kms:Decrypt on its key, in both SQS protocols', async () => {
    const url = `http://127.0.0.1:4566/${account}/ingest`;
    for (const request of [jsonCall('sqs', 'AmazonSQS.ReceiveMessage', { QueueUrl: url }), queryCall('sqs', { Action: 'ReceiveMessage', QueueUrl: url })]) {
      const call = await describeServiceCall(request, fakeDirectory());
      expect(call.checks).toMatchObject([
        { action: 'sqs:ReceiveMessage', resource: `arn:aws:sqs:us-east-1:${account}:ingest`, resourcePolicy: { kind: 'sqs-queue', queueUrl: url } },
        { action: 'kms:Decrypt', resource: keyArn, context: { 'kms:EncryptionContext:aws:sqs:arn': `arn:aws:sqs:us-east-1:${account}:ingest` } },
      ]);
    }
    expect((await describeServiceCall(jsonCall('sqs', 'AmazonSQS.SendMessage', { QueueUrl: url }), fakeDirectory())).checks?.map((check) => check.action))
      .toEqual(['sqs:SendMessage', 'kms:GenerateDataKey', 'kms:Decrypt']);
  });

  it('checks every item of a DynamoDB transaction with its own action', async () => {
    const call = await describeServiceCall(jsonCall('dynamodb', 'DynamoDB_20120810.TransactWriteItems', {
      TransactItems: [{ Put: { TableName: 'a' } }, { ConditionCheck: { TableName: 'b' } }],
    }), fakeDirectory());
    expect(call.checks?.map((check) => `${check.action} ${check.resource}`)).toEqual([
      `dynamodb:PutItem arn:aws:dynamodb:us-east-1:${account}:table/a`, `dynamodb:ConditionCheckItem arn:aws:dynamodb:us-east-1:${account}:table/b`,
    ]);
  });

  it('checks a Data API statement on the cluster and the secret it reads with the caller\'s rights; later calls on it against its owner', async () => {
    const start = await describeServiceCall(jsonCall('redshift-data', 'RedshiftData.ExecuteStatement', {
      ClusterIdentifier: 'sdp', Database: 'dev', SecretArn: `arn:aws:secretsmanager:us-east-1:${account}:secret:admin-AbCdEf`, Sql: 'select 1',
    }), fakeDirectory());
    expect(start.checks?.map((check) => `${check.action} ${check.resource}`)).toEqual([
      `redshift-data:ExecuteStatement arn:aws:redshift:us-east-1:${account}:cluster:sdp`,
      `secretsmanager:GetSecretValue arn:aws:secretsmanager:us-east-1:${account}:secret:admin-AbCdEf`,
      `kms:Decrypt ${keyArn}`,
    ]);
    const describeCall = await describeServiceCall(jsonCall('redshift-data', 'RedshiftData.DescribeStatement', { Id: 'abc:2' }), fakeDirectory({ owners: { abc: 'AROAX:loader' } }));
    expect(describeCall.checks).toEqual([{ action: 'redshift-data:DescribeStatement', resource: '*', context: { 'redshift-data:statement-owner-iam-userid': 'AROAX:loader' } }]);
  });

  it('checks a Glue run on the job and a Lambda invoke on the unqualified function', async () => {
    const run = await describeServiceCall(jsonCall('glue', 'AWSGlue.StartJobRun', { JobName: 'clean' }), fakeDirectory());
    expect(run.checks).toEqual([{ action: 'glue:StartJobRun', resource: `arn:aws:glue:us-east-1:${account}:job/clean`, context: {} }]);
    const invoke = await describeServiceCall({
      method: 'POST', url: '/2015-03-31/functions/loader%3Alive/invocations', headers: {},
      credential: { accessKeyId: 'ASIAEXAMPLE', region: 'us-east-1', signingService: 'lambda' }, account,
    }, fakeDirectory());
    expect(invoke).toMatchObject({ protocol: 'rest-json', checks: [{ action: 'lambda:InvokeFunction', resource: `arn:aws:lambda:us-east-1:${account}:function:loader` }] });
  });

  it('needs nothing for sts:GetCallerIdentity, checks AssumeRole against the trust policy, and knows no permissions for an unknown operation', async () => {
    expect((await describeServiceCall(queryCall('sts', { Action: 'GetCallerIdentity' }), fakeDirectory())).checks).toEqual([]);
    const assume = await describeServiceCall(queryCall('sts', { Action: 'AssumeRole', RoleArn: `arn:aws:iam::${account}:role/loader`, RoleSessionName: 's' }), fakeDirectory());
    expect(assume.checks).toMatchObject([{ action: 'sts:AssumeRole', resourcePolicy: { kind: 'role-trust', roleName: 'loader' } }]);
    expect((await describeServiceCall(jsonCall('glue', 'AWSGlue.CreateBlueprint', {}), fakeDirectory())).checks).toBeUndefined();
  });

  it('notes calls that change role, key or queue policies', async () => {
    expect((await describeServiceCall(queryCall('iam', { Action: 'PutRolePolicy', RoleName: 'r' }), fakeDirectory())).changesPolicies).toBe(true);
    expect((await describeServiceCall(queryCall('iam', { Action: 'GetRolePolicy', RoleName: 'r' }), fakeDirectory())).changesPolicies).toBe(false);
    expect((await describeServiceCall(jsonCall('kms', 'TrentService.PutKeyPolicy', { KeyId: keyArn }), fakeDirectory())).changesPolicies).toBe(true);
  });
});
