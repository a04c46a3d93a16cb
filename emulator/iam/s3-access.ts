import type { AccessCheck, AwsCall, HttpRequestView, ResourceDirectory } from './access-check.js';

interface S3Target {
  bucket?: string;
  key?: string;
  query: URLSearchParams;
}

/** Bucket and key of a path-style (`/bucket/key`) or virtual-hosted-style (`bucket.s3.….` or `bucket.localhost`) request. */
export function s3Target(request: Pick<HttpRequestView, 'url' | 'headers'>): S3Target {
  const url = new URL(request.url, 'http://gateway');
  const path = url.pathname.replace(/^\//, '');
  const host = String(request.headers.host ?? '').replace(/:\d+$/, '');
  const virtualHost = /^(.+?)\.s3[.-]/.exec(host) ?? /^(.+)\.localhost$/.exec(host);
  const decode = (part: string) => decodeURIComponent(part);
  if (virtualHost) return { bucket: virtualHost[1], key: path ? decode(path) : undefined, query: url.searchParams };
  const slash = path.indexOf('/');
  if (!path) return { query: url.searchParams };
  if (slash < 0) return { bucket: decode(path), query: url.searchParams };
  const key = path.slice(slash + 1);
  return { bucket: decode(path.slice(0, slash)), key: key ? decode(key) : undefined, query: url.searchParams };
}

/** Bucket subresources: query parameter -> [operation and IAM action for GET, for PUT, for DELETE]. */
const bucketSubresources: Record<string, { GET?: string; PUT?: string; DELETE?: string }> = {
  policy: { GET: 'GetBucketPolicy', PUT: 'PutBucketPolicy', DELETE: 'DeleteBucketPolicy' },
  encryption: { GET: 'GetEncryptionConfiguration', PUT: 'PutEncryptionConfiguration', DELETE: 'PutEncryptionConfiguration' },
  versioning: { GET: 'GetBucketVersioning', PUT: 'PutBucketVersioning' },
  notification: { GET: 'GetBucketNotification', PUT: 'PutBucketNotification' },
  lifecycle: { GET: 'GetLifecycleConfiguration', PUT: 'PutLifecycleConfiguration', DELETE: 'PutLifecycleConfiguration' },
  tagging: { GET: 'GetBucketTagging', PUT: 'PutBucketTagging', DELETE: 'PutBucketTagging' },
  acl: { GET: 'GetBucketAcl', PUT: 'PutBucketAcl' },
  cors: { GET: 'GetBucketCORS', PUT: 'PutBucketCORS', DELETE: 'PutBucketCORS' },
  publicAccessBlock: { GET: 'GetBucketPublicAccessBlock', PUT: 'PutBucketPublicAccessBlock', DELETE: 'PutBucketPublicAccessBlock' },
  ownershipControls: { GET: 'GetBucketOwnershipControls', PUT: 'PutBucketOwnershipControls', DELETE: 'PutBucketOwnershipControls' },
  location: { GET: 'GetBucketLocation' },
  logging: { GET: 'GetBucketLogging', PUT: 'PutBucketLogging' },
  website: { GET: 'GetBucketWebsite', PUT: 'PutBucketWebsite', DELETE: 'DeleteBucketWebsite' },
  replication: { GET: 'GetReplicationConfiguration', PUT: 'PutReplicationConfiguration', DELETE: 'PutReplicationConfiguration' },
  'object-lock': { GET: 'GetBucketObjectLockConfiguration', PUT: 'PutBucketObjectLockConfiguration' },
  accelerate: { GET: 'GetAccelerateConfiguration', PUT: 'PutAccelerateConfiguration' },
  requestPayment: { GET: 'GetBucketRequestPayment', PUT: 'PutBucketRequestPayment' },
};

/** The operation names whose IAM action differs from `s3:<operation>`. */
const actionOfOperation: Record<string, string> = {
  ListObjects: 's3:ListBucket',
  ListObjectsV2: 's3:ListBucket',
  ListObjectVersions: 's3:ListBucketVersions',
  HeadBucket: 's3:ListBucket',
  ListBuckets: 's3:ListAllMyBuckets',
  ListMultipartUploads: 's3:ListBucketMultipartUploads',
  ListParts: 's3:ListMultipartUploadParts',
  HeadObject: 's3:GetObject',
  CreateMultipartUpload: 's3:PutObject',
  UploadPart: 's3:PutObject',
  CompleteMultipartUpload: 's3:PutObject',
  CopyObject: 's3:PutObject',
  UploadPartCopy: 's3:PutObject',
  DeleteObjects: 's3:DeleteObject',
  GetBucketEncryption: 's3:GetEncryptionConfiguration',
};

function s3Action(operation: string): string {
  return actionOfOperation[operation] ?? `s3:${operation}`;
}

function operationOf(method: string, target: S3Target, headers: HttpRequestView['headers']): string | undefined {
  const { bucket, key, query } = target;
  if (!bucket) return method === 'GET' ? 'ListBuckets' : undefined;
  if (key === undefined) {
    for (const [name, operations] of Object.entries(bucketSubresources)) {
      if (query.has(name)) return operations[method as 'GET' | 'PUT' | 'DELETE'];
    }
    if (method === 'POST' && query.has('delete')) return 'DeleteObjects';
    if (method === 'GET' && query.has('versions')) return 'ListObjectVersions';
    if (method === 'GET' && query.has('uploads')) return 'ListMultipartUploads';
    if (method === 'GET') return query.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects';
    if (method === 'HEAD') return 'HeadBucket';
    if (method === 'PUT') return 'CreateBucket';
    if (method === 'DELETE') return 'DeleteBucket';
    return undefined;
  }
  const copy = headers['x-amz-copy-source'] !== undefined;
  if (query.has('tagging')) return { GET: 'GetObjectTagging', PUT: 'PutObjectTagging', DELETE: 'DeleteObjectTagging' }[method];
  if (query.has('acl')) return { GET: 'GetObjectAcl', PUT: 'PutObjectAcl' }[method];
  if (query.has('attributes') && method === 'GET') return 'GetObjectAttributes';
  if (query.has('uploadId')) {
    if (method === 'PUT') return copy ? 'UploadPartCopy' : 'UploadPart';
    return { GET: 'ListParts', POST: 'CompleteMultipartUpload', DELETE: 'AbortMultipartUpload' }[method];
  }
  if (method === 'POST' && query.has('uploads')) return 'CreateMultipartUpload';
  return { GET: 'GetObject', HEAD: 'HeadObject', PUT: copy ? 'CopyObject' : 'PutObject', DELETE: 'DeleteObject' }[method];
}

const objectArn = (bucket: string, key: string) => `arn:aws:s3:::${bucket}/${key}`;
const bucketArn = (bucket: string) => `arn:aws:s3:::${bucket}`;

function header(headers: HttpRequestView['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The S3 condition keys every request carries. */
function commonContext(request: HttpRequestView): Record<string, string> {
  const presigned = new URL(request.url, 'http://gateway').searchParams.has('X-Amz-Signature');
  const context: Record<string, string> = {
    's3:authType': presigned ? 'REST-QUERY-STRING' : 'REST-HEADER',
    's3:signatureversion': 'AWS4-HMAC-SHA256',
  };
  const sha = header(request.headers, 'x-amz-content-sha256');
  if (sha) context['s3:x-amz-content-sha256'] = sha;
  return context;
}

/** kms:* on the key that encrypts an object, checked with the caller's permissions as S3 calls KMS on their behalf. */
function kmsCheck(options: { action: string; keyArn: string; bucket: string; key?: string; bucketKey: boolean; region: string }): AccessCheck {
  // With an S3 Bucket Key the encryption context is the bucket's ARN, else the object's.
  const context = options.bucketKey || options.key === undefined ? bucketArn(options.bucket) : objectArn(options.bucket, options.key);
  return {
    action: options.action,
    resource: options.keyArn,
    context: { 'kms:EncryptionContext:aws:s3:arn': context, 'kms:EncryptionContextKeys': ['aws:s3:arn'], 'kms:ViaService': `s3.${options.region}.amazonaws.com` },
    resourcePolicy: { kind: 'kms-key', keyArn: options.keyArn },
    viaService: 's3.amazonaws.com',
  };
}

/** The keys of a DeleteObjects request body. */
function deletedKeys(body: Buffer | undefined): { key: string; versionId?: string }[] {
  const xml = body?.toString('utf8') ?? '';
  return [...xml.matchAll(/<Object>([\s\S]*?)<\/Object>/g)].map((match) => ({
    key: unescapeXml(/<Key>([\s\S]*?)<\/Key>/.exec(match[1]!)?.[1] ?? ''),
    versionId: /<VersionId>([\s\S]*?)<\/VersionId>/.exec(match[1]!)?.[1],
  }));
}

function unescapeXml(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

/** Whether S3 needs the request body to authorize the request (DeleteObjects names its keys there). */
export function s3NeedsBody(request: Pick<HttpRequestView, 'method' | 'url' | 'headers'>): boolean {
  const target = s3Target(request);
  return request.method === 'POST' && target.key === undefined && target.query.has('delete');
}

/** The S3 REST API: operation, the permissions it needs and, for reads of missing objects, the 403-vs-404 rule. */
export async function describeS3Call(request: HttpRequestView, directory: ResourceDirectory): Promise<AwsCall> {
  const target = s3Target(request);
  const operation = operationOf(request.method, target, request.headers) ?? `${request.method} ${new URL(request.url, 'http://gateway').pathname}`;
  const call: AwsCall = { service: 's3', operation, protocol: 'rest-xml', changesPolicies: ['PutBucketPolicy', 'DeleteBucketPolicy', 'PutEncryptionConfiguration'].includes(operation) };
  if (!operationOf(request.method, target, request.headers)) return call;
  const { bucket, key, query } = target;
  const context = commonContext(request);
  const policy = bucket ? { kind: 's3-bucket' as const, bucket } : undefined;
  const region = request.credential.region;
  const versionId = query.get('versionId') ?? undefined;
  if (!bucket) {
    call.checks = [{ action: s3Action(operation), resource: '*', context }];
    return call;
  }
  if (key === undefined) {
    if (operation === 'DeleteObjects') {
      call.checks = deletedKeys(request.body).map(({ key: deleted, versionId: version }) => ({
        action: version ? 's3:DeleteObjectVersion' : 's3:DeleteObject', resource: objectArn(bucket, deleted), context, resourcePolicy: policy,
      }));
      return call;
    }
    const listContext = { ...context };
    if (operation.startsWith('List') && operation !== 'ListMultipartUploads') {
      for (const name of ['prefix', 'delimiter', 'max-keys']) {
        const value = query.get(name);
        if (value !== null) listContext[`s3:${name}`] = value;
      }
    }
    call.checks = [{ action: s3Action(operation), resource: bucketArn(bucket), context: listContext, resourcePolicy: policy }];
    return call;
  }
  const arn = objectArn(bucket, key);
  if (versionId) context['s3:versionid'] = versionId;
  const checks: AccessCheck[] = [];
  const readsObject = operation === 'GetObject' || operation === 'HeadObject' || operation === 'GetObjectAttributes';
  if (readsObject) {
    checks.push({ action: versionId ? 's3:GetObjectVersion' : 's3:GetObject', resource: arn, context, resourcePolicy: policy });
    if (operation === 'GetObjectAttributes') checks.push({ action: versionId ? 's3:GetObjectVersionAttributes' : 's3:GetObjectAttributes', resource: arn, context, resourcePolicy: policy });
    const head = await directory.objectHead({ bucket, key, versionId });
    if (!head.exists) call.missingObject = { bucket };
    else if (head.kmsKeyArn && operation === 'GetObject') {
      const bucketKey = (await directory.bucketKmsKey(bucket))?.bucketKey ?? false;
      checks.push(kmsCheck({ action: 'kms:Decrypt', keyArn: head.kmsKeyArn, bucket, key, bucketKey, region }));
    }
    call.checks = checks;
    return call;
  }
  if (operation === 'DeleteObject') {
    call.checks = [{ action: versionId ? 's3:DeleteObjectVersion' : 's3:DeleteObject', resource: arn, context, resourcePolicy: policy }];
    return call;
  }
  const writesObject = ['PutObject', 'CopyObject', 'CreateMultipartUpload', 'UploadPart', 'UploadPartCopy', 'CompleteMultipartUpload'].includes(operation);
  if (writesObject) {
    const encryption = header(request.headers, 'x-amz-server-side-encryption');
    const explicitKey = header(request.headers, 'x-amz-server-side-encryption-aws-kms-key-id');
    if (encryption) context['s3:x-amz-server-side-encryption'] = encryption;
    if (explicitKey) context['s3:x-amz-server-side-encryption-aws-kms-key-id'] = explicitKey;
    checks.push({ action: 's3:PutObject', resource: arn, context, resourcePolicy: policy });
    const source = header(request.headers, 'x-amz-copy-source');
    if (source) checks.push(...await copySourceChecks({ source, directory, region, common: commonContext(request) }));
    // A data key is generated where the object's data is written: PutObject, CreateMultipartUpload and CopyObject.
    if (['PutObject', 'CopyObject', 'CreateMultipartUpload'].includes(operation)) {
      const defaults = await directory.bucketKmsKey(bucket);
      const keyArn = explicitKey ? await directory.keyArn(explicitKey) : encryption === undefined || encryption === 'aws:kms' ? defaults?.keyArn : undefined;
      if (keyArn) {
        const bucketKey = header(request.headers, 'x-amz-server-side-encryption-bucket-key-enabled') === 'true' || (defaults?.bucketKey ?? false);
        checks.push(kmsCheck({ action: 'kms:GenerateDataKey', keyArn, bucket, key, bucketKey, region }));
      }
    }
    call.checks = checks;
    return call;
  }
  call.checks = [{ action: s3Action(operation), resource: arn, context, resourcePolicy: policy }];
  return call;
}

/** CopyObject and UploadPartCopy read their source with the caller's permissions, KMS included. */
async function copySourceChecks(options: { source: string; directory: ResourceDirectory; region: string; common: Record<string, string> }): Promise<AccessCheck[]> {
  const [path, query = ''] = decodeURIComponent(options.source).replace(/^\//, '').split('?');
  const slash = path!.indexOf('/');
  const bucket = path!.slice(0, slash);
  const key = path!.slice(slash + 1);
  const versionId = new URLSearchParams(query).get('versionId') ?? undefined;
  const checks: AccessCheck[] = [{
    action: versionId ? 's3:GetObjectVersion' : 's3:GetObject', resource: objectArn(bucket, key), context: options.common,
    resourcePolicy: { kind: 's3-bucket', bucket },
  }];
  const head = await options.directory.objectHead({ bucket, key, versionId });
  if (head.kmsKeyArn) {
    const bucketKey = (await options.directory.bucketKmsKey(bucket))?.bucketKey ?? false;
    checks.push(kmsCheck({ action: 'kms:Decrypt', keyArn: head.kmsKeyArn, bucket, key, bucketKey, region: options.region }));
  }
  return checks;
}
