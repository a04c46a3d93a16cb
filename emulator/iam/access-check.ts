/** One question IAM answers for a request: may the caller perform `action` on `resource`, given `context`? */
export interface AccessCheck {
  action: string;
  resource: string;
  /** Request-specific condition keys (service keys such as s3:prefix, kms:EncryptionContext:…); global keys are added by the evaluator. */
  context: Record<string, string | string[]>;
  /** The resource-based policy AWS consults for this resource, when the service has one. */
  resourcePolicy?: ResourcePolicyRef;
  /**
   * Set when the service calls another on the caller's behalf (S3, SQS and Secrets Manager calling KMS):
   * the caller's own permissions are checked, with aws:ViaAWSService and kms:ViaService set.
   */
  viaService?: string;
}

export type ResourcePolicyRef =
  | { kind: 's3-bucket'; bucket: string }
  | { kind: 'kms-key'; keyArn: string }
  | { kind: 'sqs-queue'; queueUrl: string }
  | { kind: 'role-trust'; roleName: string };

/** How a service answers errors, which decides the shape of an AccessDenied answer. */
export type WireProtocol = 'rest-xml' | 'json' | 'query' | 'rest-json';

/** What the authorizer knows about one AWS request after reading it. */
export interface AwsCall {
  /** The IAM service prefix (s3, sqs, dynamodb, …). */
  service: string;
  /** The API operation, e.g. GetObject, ReceiveMessage. */
  operation: string;
  protocol: WireProtocol;
  /** Whether the service answers AccessDenied in an awsQueryCompatible JSON shape (SQS). */
  queryCompatible?: boolean;
  /** Every permission the call needs, in the order AWS checks them; undefined when the emulator does not model the operation. */
  checks?: AccessCheck[];
  /** For GET/HEAD of an object: the object is missing, so S3 answers 403 unless the caller may list the bucket. */
  missingObject?: { bucket: string };
  /** Whether the call changes a policy or a setting the authorizer caches (role policies, bucket policy, key policy, queue attributes). */
  changesPolicies?: boolean;
}

/** The signing identity of a request: who signed it, for which region and service. */
export interface RequestCredential {
  accessKeyId: string;
  region: string;
  /** The SigV4 signing name, e.g. s3, sqs, glue, redshift-data. */
  signingService: string;
}

/** What the operation mappers need about the request. */
export interface HttpRequestView {
  method: string;
  /** Path and query, as received. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  /** The body, for the protocols that carry parameters in it (JSON, query); undefined for S3 and Lambda invokes. */
  body?: Buffer;
  credential: RequestCredential;
  account: string;
}

/** Lookups the mappers need from the control plane (object metadata, key ids); tests pass a fake. */
export interface ResourceDirectory {
  /** The object's existence and the KMS key that encrypts it (versionId: a specific version). */
  objectHead(options: { bucket: string; key: string; versionId?: string }): Promise<{ exists: boolean; kmsKeyArn?: string }>;
  /** The KMS key a bucket's default encryption uses, if SSE-KMS. */
  bucketKmsKey(bucket: string): Promise<{ keyArn: string; bucketKey: boolean } | undefined>;
  /** The full ARN of a key given as id, ARN, alias name or alias ARN. */
  keyArn(keyId: string): Promise<string | undefined>;
  /** The queue's KMS key, if the queue is encrypted with one (SSE-KMS). */
  queueKmsKey(queueUrl: string): Promise<string | undefined>;
  /** A secret's full ARN and KMS key, given its name or (partial) ARN. */
  secret(secretId: string): Promise<{ arn: string; kmsKeyArn?: string } | undefined>;
  /** Who started a Redshift Data API statement (their aws:userid), if the emulator saw it. */
  statementOwner(statementId: string): string | undefined;
}
