import { describe, expect, it } from 'vitest';
import { evaluateAccess } from '../../../emulator/iam/access-evaluator.js';
import type { RoleSessionPrincipal } from '../../../emulator/iam/principal-resolver.js';
import { keyArn } from './fake-directory.js';

const principal: RoleSessionPrincipal = {
  kind: 'role-session', sessionArn: 'arn:aws:sts::123456789012:assumed-role/loader/loader', roleArn: 'arn:aws:iam::123456789012:role/loader',
  roleName: 'loader', account: '123456789012', userId: 'AROAEXAMPLE:loader',
};
const policy = (statements: object[]) => [{ name: 'loader/inline', policy: { Version: '2012-10-17', Statement: statements } }];
const decrypt = { action: 'kms:Decrypt', resource: keyArn, context: {}, resourcePolicy: { kind: 'kms-key' as const, keyArn } };
const evaluate = (options: { identity: object[]; check: typeof decrypt | Parameters<typeof evaluateAccess>[0]['check']; resourcePolicy?: object }) =>
  evaluateAccess({ principal, check: options.check, identityPolicies: policy(options.identity), resourcePolicy: options.resourcePolicy, region: 'us-east-1', resourceAccount: '123456789012' });

describe('access evaluation with iam-simulate', () => {
  it("uses a key only when the key policy lets the account's IAM policies decide, or names the caller", async () => {
    const identity = [{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: keyArn }];
    const delegating = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'kms:*', Resource: '*' }] };
    const closed = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'logs.amazonaws.com' }, Action: 'kms:*', Resource: '*' }] };
    expect((await evaluate({ identity, check: decrypt, resourcePolicy: delegating })).allowed).toBe(true);
    expect(await evaluate({ identity, check: decrypt, resourcePolicy: closed })).toMatchObject({ allowed: false, reason: 'because no resource-based policy allows the kms:Decrypt action' });
  });

  it("fills the ${aws:userid} policy variable from the session, for the Data API's statement-owner condition", async () => {
    const identity = [{ Effect: 'Allow', Action: 'redshift-data:DescribeStatement', Resource: '*', Condition: { StringEquals: { 'redshift-data:statement-owner-iam-userid': '${aws:userid}' } } }];
    const own = { action: 'redshift-data:DescribeStatement', resource: '*', context: { 'redshift-data:statement-owner-iam-userid': 'AROAEXAMPLE:loader' } };
    const other = { ...own, context: { 'redshift-data:statement-owner-iam-userid': 'AIDAOTHER' } };
    expect((await evaluate({ identity, check: own })).allowed).toBe(true);
    expect((await evaluate({ identity, check: other })).allowed).toBe(false);
  });

  it('evaluates aws:SecureTransport as the SDKs reach AWS (TLS), and names an explicit deny', async () => {
    const identity = [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::data/*' }];
    const check = { action: 's3:GetObject', resource: 'arn:aws:s3:::data/raw/a.csv', context: {}, resourcePolicy: { kind: 's3-bucket' as const, bucket: 'data' } };
    const tlsOnly = { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::data/*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }] };
    expect((await evaluate({ identity, check, resourcePolicy: tlsOnly })).allowed).toBe(true);
    const plainHttp = { ...check, context: { 'aws:SecureTransport': 'false' } };
    expect(await evaluate({ identity, check: plainHttp, resourcePolicy: tlsOnly })).toMatchObject({ allowed: false, reason: 'with an explicit deny in a resource-based policy' });
  });
});
