import { GetPolicyCommand, GetPolicyVersionCommand, GetRoleCommand, GetRolePolicyCommand, IAMClient, paginateListAttachedRolePolicies, paginateListRolePolicies } from '@aws-sdk/client-iam';
import { DescribeKeyCommand, GetKeyPolicyCommand, KMSClient } from '@aws-sdk/client-kms';
import { GetBucketEncryptionCommand, GetBucketPolicyCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DescribeSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { awsClientConfig, type AwsTarget } from '../../stage/aws-target.js';
import type { ResourceDirectory, ResourcePolicyRef } from './access-check.js';

const maxRememberedStatements = 10_000;

export interface NamedPolicy {
  name: string;
  policy: unknown;
}

const notFound = new Set(['NoSuchEntity', 'NoSuchEntityException', 'NoSuchBucketPolicy', 'NoSuchBucket', 'NotFoundException', 'NotFound', 'NoSuchKey',
  'ServerSideEncryptionConfigurationNotFoundError', 'AWS.SimpleQueueService.NonExistentQueue', 'QueueDoesNotExist', 'ResourceNotFoundException']);

function isNotFound(error: unknown): boolean {
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return notFound.has((error as Error).name) || status === 404;
}

async function orUndefined<T>(lookup: () => Promise<T>): Promise<T | undefined> {
  try {
    return await lookup();
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** IAM returns policy documents URL-encoded; moto sometimes does, sometimes not. */
function parsePolicy(document: string | undefined): unknown {
  if (!document) return undefined;
  const text = document.trimStart().startsWith('{') ? document : decodeURIComponent(document);
  return JSON.parse(text);
}

/**
 * The policies and resource settings IAM decisions depend on, read from the control plane (moto) with the
 * account owner's credentials and kept for a short while; invalidate() drops them when a call changes one.
 */
export class PolicyStore implements ResourceDirectory {
  private readonly iam: IAMClient;
  private readonly s3: S3Client;
  private readonly kms: KMSClient;
  private readonly sqs: SQSClient;
  private readonly secrets: SecretsManagerClient;
  private readonly cache = new Map<string, { until: number; value: Promise<unknown> }>();
  private readonly owners = new Map<string, string>();

  constructor(controlPlane: AwsTarget, private readonly ttlMs = 5000) {
    const config = awsClientConfig(controlPlane);
    this.iam = new IAMClient(config);
    this.s3 = new S3Client(config);
    this.kms = new KMSClient(config);
    this.sqs = new SQSClient(config);
    this.secrets = new SecretsManagerClient(config);
  }

  invalidate(): void {
    this.cache.clear();
  }

  private cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.cache.get(key);
    if (hit && hit.until > Date.now()) return hit.value as Promise<T>;
    const value = load();
    this.cache.set(key, { until: Date.now() + this.ttlMs, value });
    value.catch(() => this.cache.delete(key));
    return value;
  }

  /** The role's inline policies and the default versions of its attached managed policies. */
  identityPolicies(roleName: string): Promise<NamedPolicy[]> {
    return this.cached(`identity:${roleName}`, async () => (await orUndefined(() => this.readIdentityPolicies(roleName))) ?? []);
  }

  private async readIdentityPolicies(roleName: string): Promise<NamedPolicy[]> {
    const policies: NamedPolicy[] = [];
    for await (const page of paginateListRolePolicies({ client: this.iam }, { RoleName: roleName })) {
      for (const name of page.PolicyNames ?? []) {
        const { PolicyDocument } = await this.iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: name }));
        policies.push({ name: `${roleName}/${name}`, policy: parsePolicy(PolicyDocument) });
      }
    }
    for await (const page of paginateListAttachedRolePolicies({ client: this.iam }, { RoleName: roleName })) {
      for (const attached of page.AttachedPolicies ?? []) {
        const { Policy } = await this.iam.send(new GetPolicyCommand({ PolicyArn: attached.PolicyArn }));
        const { PolicyVersion } = await this.iam.send(new GetPolicyVersionCommand({ PolicyArn: attached.PolicyArn, VersionId: Policy?.DefaultVersionId }));
        policies.push({ name: attached.PolicyArn!, policy: parsePolicy(PolicyVersion?.Document) });
      }
    }
    return policies;
  }

  resourcePolicy(ref: ResourcePolicyRef): Promise<unknown> {
    switch (ref.kind) {
      case 's3-bucket': return this.cached(`bucket-policy:${ref.bucket}`, async () =>
        parsePolicy((await orUndefined(() => this.s3.send(new GetBucketPolicyCommand({ Bucket: ref.bucket }))))?.Policy));
      case 'kms-key': return this.cached(`key-policy:${ref.keyArn}`, async () =>
        parsePolicy((await orUndefined(() => this.kms.send(new GetKeyPolicyCommand({ KeyId: ref.keyArn, PolicyName: 'default' }))))?.Policy));
      case 'sqs-queue': return this.cached(`queue-policy:${ref.queueUrl}`, async () =>
        parsePolicy((await this.queueAttributes(ref.queueUrl))?.Policy));
      case 'role-trust': return this.cached(`trust:${ref.roleName}`, async () =>
        parsePolicy((await orUndefined(() => this.iam.send(new GetRoleCommand({ RoleName: ref.roleName }))))?.Role?.AssumeRolePolicyDocument));
    }
  }

  async objectHead(options: { bucket: string; key: string; versionId?: string }): Promise<{ exists: boolean; kmsKeyArn?: string }> {
    const head = await orUndefined(() => this.s3.send(new HeadObjectCommand({ Bucket: options.bucket, Key: options.key, VersionId: options.versionId })));
    return { exists: head !== undefined, kmsKeyArn: head?.ServerSideEncryption === 'aws:kms' ? head.SSEKMSKeyId : undefined };
  }

  bucketKmsKey(bucket: string): Promise<{ keyArn: string; bucketKey: boolean } | undefined> {
    return this.cached(`bucket-encryption:${bucket}`, async () => {
      const found = await orUndefined(() => this.s3.send(new GetBucketEncryptionCommand({ Bucket: bucket })));
      const rule = found?.ServerSideEncryptionConfiguration?.Rules?.[0];
      const keyId = rule?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm === 'aws:kms' ? rule.ApplyServerSideEncryptionByDefault.KMSMasterKeyID : undefined;
      const keyArn = keyId ? await this.keyArn(keyId) : undefined;
      return keyArn ? { keyArn, bucketKey: rule?.BucketKeyEnabled ?? false } : undefined;
    });
  }

  keyArn(keyId: string): Promise<string | undefined> {
    return this.cached(`key:${keyId}`, async () => (await orUndefined(() => this.kms.send(new DescribeKeyCommand({ KeyId: keyId }))))?.KeyMetadata?.Arn);
  }

  async queueKmsKey(queueUrl: string): Promise<string | undefined> {
    return (await this.cached(`queue:${queueUrl}`, () => this.queueAttributes(queueUrl)))?.KmsMasterKeyId;
  }

  private queueAttributes(queueUrl: string): Promise<Record<string, string> | undefined> {
    return this.cached(`queue-attributes:${queueUrl}`, async () =>
      (await orUndefined(() => this.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['Policy', 'KmsMasterKeyId'] }))))?.Attributes);
  }

  secret(secretId: string): Promise<{ arn: string; kmsKeyArn?: string } | undefined> {
    return this.cached(`secret:${secretId}`, async () => {
      const found = await orUndefined(() => this.secrets.send(new DescribeSecretCommand({ SecretId: secretId })));
      return found?.ARN ? { arn: found.ARN, kmsKeyArn: found.KmsKeyId } : undefined;
    });
  }

  /** Remembers who started a Data API statement, so later calls on it can be checked against its owner. */
  recordStatementOwner(statementId: string, userId: string): void {
    this.owners.set(statementId, userId);
    // The Data API keeps statements for 24 hours; the emulator keeps the newest owners only.
    if (this.owners.size > maxRememberedStatements) this.owners.delete(this.owners.keys().next().value!);
  }

  statementOwner(statementId: string): string | undefined {
    return this.owners.get(statementId);
  }
}
