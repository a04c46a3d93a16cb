import type { AccessCheck, AwsCall, HttpRequestView, ResourceDirectory, WireProtocol } from './access-check.js';

type Params = Record<string, unknown>;

interface CallContext {
  params: Params;
  region: string;
  account: string;
  directory: ResourceDirectory;
}

/** Maps one operation's parameters to the permissions it needs; undefined means the parameters name no resource the emulator can check. */
type CheckBuilder = (call: CallContext) => Promise<AccessCheck[] | undefined> | AccessCheck[] | undefined;

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const single = (action: string, resource: string | undefined, extra: Partial<AccessCheck> = {}): AccessCheck[] | undefined =>
  resource ? [{ action, resource, context: {}, ...extra }] : undefined;

// ---------------------------------------------------------------- SQS

/** `https://host/123456789012/queue-name` -> the queue's account and name. */
function queueOfUrl(url: string | undefined): { account: string; name: string } | undefined {
  const match = url ? /\/(\d{12})\/([^/?]+)\/?$/.exec(new URL(url, 'http://queue').pathname) : null;
  return match ? { account: match[1]!, name: match[2]! } : undefined;
}

async function sqsKmsChecks(options: { call: CallContext; queueUrl: string; queueArn: string; actions: string[] }): Promise<AccessCheck[]> {
  const keyId = await options.call.directory.queueKmsKey(options.queueUrl);
  const keyArn = keyId ? await options.call.directory.keyArn(keyId) : undefined;
  if (!keyArn) return [];
  return options.actions.map((action) => ({
    action, resource: keyArn,
    context: { 'kms:EncryptionContext:aws:sqs:arn': options.queueArn, 'kms:EncryptionContextKeys': ['aws:sqs:arn'], 'kms:ViaService': `sqs.${options.call.region}.amazonaws.com` },
    resourcePolicy: { kind: 'kms-key', keyArn }, viaService: 'sqs.amazonaws.com',
  }));
}

/** SQS operation -> [IAM action, KMS actions the queue's key needs from the caller when the queue is SSE-KMS encrypted]. */
const sqsActions: Record<string, [string, string[]]> = {
  SendMessage: ['sqs:SendMessage', ['kms:GenerateDataKey', 'kms:Decrypt']],
  SendMessageBatch: ['sqs:SendMessage', ['kms:GenerateDataKey', 'kms:Decrypt']],
  ReceiveMessage: ['sqs:ReceiveMessage', ['kms:Decrypt']],
  DeleteMessage: ['sqs:DeleteMessage', []],
  DeleteMessageBatch: ['sqs:DeleteMessage', []],
  ChangeMessageVisibility: ['sqs:ChangeMessageVisibility', []],
  ChangeMessageVisibilityBatch: ['sqs:ChangeMessageVisibility', []],
  GetQueueAttributes: ['sqs:GetQueueAttributes', []],
  SetQueueAttributes: ['sqs:SetQueueAttributes', []],
  PurgeQueue: ['sqs:PurgeQueue', []],
  DeleteQueue: ['sqs:DeleteQueue', []],
  ListQueueTags: ['sqs:ListQueueTags', []],
  TagQueue: ['sqs:TagQueue', []],
  UntagQueue: ['sqs:UntagQueue', []],
  ListDeadLetterSourceQueues: ['sqs:ListDeadLetterSourceQueues', []],
};

function sqsBuilders(): Record<string, CheckBuilder> {
  const builders: Record<string, CheckBuilder> = {
    ListQueues: () => single('sqs:ListQueues', '*'),
    GetQueueUrl: ({ params, region, account }) => {
      const name = text(params.QueueName);
      return single('sqs:GetQueueUrl', name && `arn:aws:sqs:${region}:${text(params.QueueOwnerAWSAccountId) ?? account}:${name}`);
    },
    CreateQueue: ({ params, region, account }) => single('sqs:CreateQueue', text(params.QueueName) && `arn:aws:sqs:${region}:${account}:${text(params.QueueName)}`),
  };
  for (const [operation, [action, kmsActions]] of Object.entries(sqsActions)) {
    builders[operation] = async (call) => {
      const queueUrl = text(call.params.QueueUrl);
      const queue = queueOfUrl(queueUrl);
      if (!queue || !queueUrl) return undefined;
      const queueArn = `arn:aws:sqs:${call.region}:${queue.account}:${queue.name}`;
      return [
        { action, resource: queueArn, context: {}, resourcePolicy: { kind: 'sqs-queue', queueUrl } },
        ...await sqsKmsChecks({ call, queueUrl, queueArn, actions: kmsActions }),
      ];
    };
  }
  return builders;
}

// ---------------------------------------------------------------- DynamoDB

function dynamodbBuilders(): Record<string, CheckBuilder> {
  const table = (call: CallContext, name: unknown) => text(name) && `arn:aws:dynamodb:${call.region}:${call.account}:table/${text(name)}`;
  const onTable = (action: string): CheckBuilder => (call) => single(action, table(call, call.params.TableName));
  const builders: Record<string, CheckBuilder> = {
    ListTables: () => single('dynamodb:ListTables', '*'),
    BatchGetItem: (call) => Object.keys((call.params.RequestItems as Params | undefined) ?? {}).map((name) => ({ action: 'dynamodb:BatchGetItem', resource: table(call, name)!, context: {} })),
    BatchWriteItem: (call) => Object.keys((call.params.RequestItems as Params | undefined) ?? {}).map((name) => ({ action: 'dynamodb:BatchWriteItem', resource: table(call, name)!, context: {} })),
    TransactGetItems: (call) => ((call.params.TransactItems as { Get?: Params }[] | undefined) ?? [])
      .map((item) => ({ action: 'dynamodb:GetItem', resource: table(call, item.Get?.TableName)!, context: {} })),
    TransactWriteItems: (call) => ((call.params.TransactItems as Record<string, Params>[] | undefined) ?? []).flatMap((item) => {
      const kinds: Record<string, string> = { Put: 'dynamodb:PutItem', Update: 'dynamodb:UpdateItem', Delete: 'dynamodb:DeleteItem', ConditionCheck: 'dynamodb:ConditionCheckItem' };
      return Object.entries(item).map(([kind, entry]) => ({ action: kinds[kind] ?? `dynamodb:${kind}`, resource: table(call, entry.TableName)!, context: {} }));
    }),
  };
  for (const operation of ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'Scan', 'DescribeTable', 'CreateTable', 'DeleteTable', 'UpdateTable',
    'DescribeTimeToLive', 'UpdateTimeToLive', 'DescribeContinuousBackups', 'UpdateContinuousBackups']) {
    builders[operation] = onTable(`dynamodb:${operation}`);
  }
  return builders;
}

// ---------------------------------------------------------------- Glue

function glueBuilders(): Record<string, CheckBuilder> {
  const arn = (call: CallContext, resource: string) => `arn:aws:glue:${call.region}:${call.account}:${resource}`;
  const job = (action: string): CheckBuilder => (call) => single(action, text(call.params.JobName) && arn(call, `job/${text(call.params.JobName)}`));
  const crawler = (action: string, param = 'Name'): CheckBuilder => (call) => single(action, text(call.params[param]) && arn(call, `crawler/${text(call.params[param])}`));
  /** Catalog calls are checked on the catalog, the database and (for table calls) the table. */
  const catalog = (action: string, level: 'catalog' | 'database' | 'table'): CheckBuilder => (call) => {
    const { params } = call;
    const database = text(params.DatabaseName) ?? (level === 'database' ? text(params.Name) ?? text((params.DatabaseInput as Params | undefined)?.Name) : undefined);
    const tableName = text(params.TableName) ?? text((params.TableInput as Params | undefined)?.Name) ?? text(params.Name);
    const resources = [arn(call, 'catalog')];
    if (level !== 'catalog') {
      if (!database) return undefined;
      resources.push(arn(call, `database/${database}`));
    }
    if (level === 'table') resources.push(arn(call, `table/${database}/${tableName ?? '*'}`));
    return resources.map((resource) => ({ action, resource, context: {} }));
  };
  const builders: Record<string, CheckBuilder> = {
    GetCrawlers: () => single('glue:GetCrawlers', '*'),
    ListCrawlers: () => single('glue:ListCrawlers', '*'),
    GetCrawlerMetrics: () => single('glue:GetCrawlerMetrics', '*'),
    BatchGetCrawlers: (call) => ((call.params.CrawlerNames as string[] | undefined) ?? []).map((name) => ({ action: 'glue:BatchGetCrawlers', resource: arn(call, `crawler/${name}`), context: {} })),
    GetJobs: () => single('glue:GetJobs', '*'),
    GetDatabases: (call) => [{ action: 'glue:GetDatabases', resource: arn(call, 'catalog'), context: {} }],
    GetDatabase: catalog('glue:GetDatabase', 'database'),
    GetTables: (call) => catalog('glue:GetTables', 'database')(call),
  };
  for (const operation of ['StartJobRun', 'GetJobRun', 'GetJobRuns', 'BatchStopJobRun', 'GetJob', 'UpdateJob', 'DeleteJob', 'GetJobBookmark', 'ResetJobBookmark']) {
    builders[operation] = job(`glue:${operation}`);
  }
  for (const operation of ['StartCrawler', 'StopCrawler', 'GetCrawler', 'UpdateCrawler', 'DeleteCrawler']) builders[operation] = crawler(`glue:${operation}`);
  for (const operation of ['GetTable', 'CreateTable', 'UpdateTable', 'DeleteTable', 'GetPartition', 'GetPartitions', 'BatchGetPartition', 'CreatePartition',
    'BatchCreatePartition', 'UpdatePartition', 'BatchUpdatePartition', 'DeletePartition', 'BatchDeletePartition']) {
    builders[operation] = catalog(`glue:${operation}`, 'table');
  }
  return builders;
}

// ---------------------------------------------------------------- Redshift Data API

/** The Data API reads a statement's secret with the caller's credentials, or asks Redshift for temporary database credentials. */
async function redshiftCredentialChecks(call: CallContext, clusterId: string): Promise<AccessCheck[]> {
  const secretArn = text(call.params.SecretArn);
  if (secretArn) return (await secretReadChecks(call, secretArn)) ?? [];
  const dbUser = text(call.params.DbUser);
  const database = text(call.params.Database);
  const base = `arn:aws:redshift:${call.region}:${call.account}`;
  if (dbUser) {
    return [
      { action: 'redshift:GetClusterCredentials', resource: `${base}:dbuser:${clusterId}/${dbUser}`, context: {} },
      ...(database ? [{ action: 'redshift:GetClusterCredentials', resource: `${base}:dbname:${clusterId}/${database}`, context: {} }] : []),
    ];
  }
  return database ? [{ action: 'redshift:GetClusterCredentialsWithIAM', resource: `${base}:dbname:${clusterId}/${database}`, context: {} }] : [];
}

function redshiftDataBuilders(): Record<string, CheckBuilder> {
  const onCluster = (action: string): CheckBuilder => async (call) => {
    const clusterId = text(call.params.ClusterIdentifier);
    if (!clusterId) return undefined;
    return [
      { action, resource: `arn:aws:redshift:${call.region}:${call.account}:cluster:${clusterId}`, context: {} },
      ...await redshiftCredentialChecks(call, clusterId),
    ];
  };
  /** Statement ids have no ARN: AWS checks "*" with the id's owner as a condition key. */
  const onStatement = (action: string): CheckBuilder => (call): AccessCheck[] => {
    const id = text(call.params.Id)?.replace(/:\d+$/, '');
    const owner = id ? call.directory.statementOwner(id) : undefined;
    const context: Record<string, string> = owner ? { 'redshift-data:statement-owner-iam-userid': owner } : {};
    return [{ action, resource: '*', context }];
  };
  return {
    ExecuteStatement: onCluster('redshift-data:ExecuteStatement'),
    BatchExecuteStatement: onCluster('redshift-data:BatchExecuteStatement'),
    ListDatabases: onCluster('redshift-data:ListDatabases'),
    ListSchemas: onCluster('redshift-data:ListSchemas'),
    ListTables: onCluster('redshift-data:ListTables'),
    DescribeTable: onCluster('redshift-data:DescribeTable'),
    DescribeStatement: onStatement('redshift-data:DescribeStatement'),
    GetStatementResult: onStatement('redshift-data:GetStatementResult'),
    GetStatementResultV2: onStatement('redshift-data:GetStatementResult'),
    CancelStatement: onStatement('redshift-data:CancelStatement'),
    ListStatements: () => single('redshift-data:ListStatements', '*'),
  };
}

// ---------------------------------------------------------------- Secrets Manager

async function secretArnOf(call: CallContext, secretId: string): Promise<{ arn: string; kmsKeyArn?: string }> {
  return (await call.directory.secret(secretId))
    ?? { arn: secretId.startsWith('arn:') ? secretId : `arn:aws:secretsmanager:${call.region}:${call.account}:secret:${secretId}` };
}

/** GetSecretValue on the secret and, when a customer managed key encrypts it, kms:Decrypt through Secrets Manager. */
async function secretReadChecks(call: CallContext, secretId: string): Promise<AccessCheck[] | undefined> {
  const secret = await secretArnOf(call, secretId);
  const checks: AccessCheck[] = [{ action: 'secretsmanager:GetSecretValue', resource: secret.arn, context: { 'secretsmanager:SecretId': secret.arn } }];
  const keyArn = secret.kmsKeyArn ? await call.directory.keyArn(secret.kmsKeyArn) : undefined;
  if (keyArn) {
    checks.push({
      action: 'kms:Decrypt', resource: keyArn,
      context: { 'kms:EncryptionContext:SecretARN': secret.arn, 'kms:EncryptionContextKeys': ['SecretARN', 'SecretVersionId'], 'kms:ViaService': `secretsmanager.${call.region}.amazonaws.com` },
      resourcePolicy: { kind: 'kms-key', keyArn }, viaService: 'secretsmanager.amazonaws.com',
    });
  }
  return checks;
}

function secretsManagerBuilders(): Record<string, CheckBuilder> {
  const onSecret = (action: string): CheckBuilder => async (call) => {
    const id = text(call.params.SecretId);
    if (!id) return undefined;
    const secret = await secretArnOf(call, id);
    return [{ action, resource: secret.arn, context: { 'secretsmanager:SecretId': secret.arn } }];
  };
  const builders: Record<string, CheckBuilder> = {
    GetSecretValue: (call) => (text(call.params.SecretId) ? secretReadChecks(call, text(call.params.SecretId)!) : undefined),
    ListSecrets: () => single('secretsmanager:ListSecrets', '*'),
    CreateSecret: (call) => single('secretsmanager:CreateSecret', text(call.params.Name) && `arn:aws:secretsmanager:${call.region}:${call.account}:secret:${text(call.params.Name)}`),
  };
  for (const operation of ['DescribeSecret', 'PutSecretValue', 'UpdateSecret', 'DeleteSecret', 'GetResourcePolicy', 'TagResource', 'RotateSecret']) {
    builders[operation] = onSecret(`secretsmanager:${operation}`);
  }
  return builders;
}

// ---------------------------------------------------------------- KMS

/** moto's ciphertext blobs start with the 36-character id of the key that made them (moto/kms/utils.py). */
function keyIdOfCiphertext(blob: unknown): string | undefined {
  if (typeof blob !== 'string') return undefined;
  const id = Buffer.from(blob, 'base64').subarray(0, 36).toString('latin1');
  return /^[0-9a-f-]{36}$/.test(id) ? id : undefined;
}

function kmsContext(call: CallContext): Record<string, string | string[]> {
  const context: Record<string, string | string[]> = { 'kms:CallerAccount': call.account };
  const encryption = call.params.EncryptionContext as Record<string, string> | undefined;
  if (encryption && Object.keys(encryption).length > 0) {
    for (const [key, value] of Object.entries(encryption)) context[`kms:EncryptionContext:${key}`] = value;
    context['kms:EncryptionContextKeys'] = Object.keys(encryption);
  }
  return context;
}

function kmsBuilders(): Record<string, CheckBuilder> {
  const onKey = (action: string, keyParam = 'KeyId'): CheckBuilder => async (call) => {
    const id = text(call.params[keyParam]) ?? (action === 'kms:Decrypt' ? keyIdOfCiphertext(call.params.CiphertextBlob) : undefined);
    const keyArn = id ? await call.directory.keyArn(id) : undefined;
    return keyArn ? [{ action, resource: keyArn, context: kmsContext(call), resourcePolicy: { kind: 'kms-key', keyArn } }] : undefined;
  };
  const builders: Record<string, CheckBuilder> = {
    ListKeys: () => single('kms:ListKeys', '*'),
    ListAliases: () => single('kms:ListAliases', '*'),
    CreateKey: () => single('kms:CreateKey', '*'),
    ReEncrypt: async (call) => {
      const from = await onKey('kms:ReEncryptFrom', 'SourceKeyId')(call);
      const to = await onKey('kms:ReEncryptTo', 'DestinationKeyId')(call);
      return from && to ? [...from, ...to] : undefined;
    },
  };
  for (const operation of ['Encrypt', 'Decrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'GenerateDataKeyPair', 'DescribeKey', 'GetKeyPolicy',
    'PutKeyPolicy', 'CreateGrant', 'ListGrants', 'RetireGrant', 'RevokeGrant', 'EnableKeyRotation', 'DisableKeyRotation', 'GetKeyRotationStatus',
    'ScheduleKeyDeletion', 'CancelKeyDeletion', 'EnableKey', 'DisableKey', 'TagResource', 'UntagResource', 'ListResourceTags', 'UpdateKeyDescription', 'Sign', 'Verify']) {
    builders[operation] = onKey(`kms:${operation}`);
  }
  return builders;
}

// ---------------------------------------------------------------- EventBridge, CloudWatch Logs, STS, IAM

function eventsBuilders(): Record<string, CheckBuilder> {
  const bus = (call: CallContext, name: unknown) => {
    const value = text(name) ?? 'default';
    return value.startsWith('arn:') ? value : `arn:aws:events:${call.region}:${call.account}:event-bus/${value}`;
  };
  const rule = (action: string): CheckBuilder => (call) => {
    const name = text(call.params.Name) ?? text(call.params.Rule);
    const busName = text(call.params.EventBusName);
    return single(action, name && `arn:aws:events:${call.region}:${call.account}:rule/${busName && busName !== 'default' ? `${busName}/` : ''}${name}`);
  };
  const builders: Record<string, CheckBuilder> = {
    PutEvents: (call) => ((call.params.Entries as Params[] | undefined) ?? []).map((entry) => ({
      action: 'events:PutEvents', resource: bus(call, entry.EventBusName),
      context: { ...(text(entry.Source) ? { 'events:source': text(entry.Source)! } : {}), ...(text(entry.DetailType) ? { 'events:detail-type': text(entry.DetailType)! } : {}) },
    })),
    ListRules: () => single('events:ListRules', '*'),
    DescribeEventBus: (call) => single('events:DescribeEventBus', bus(call, call.params.Name)),
  };
  for (const operation of ['PutRule', 'DescribeRule', 'DeleteRule', 'PutTargets', 'RemoveTargets', 'ListTargetsByRule', 'EnableRule', 'DisableRule']) {
    builders[operation] = rule(`events:${operation}`);
  }
  return builders;
}

function logsBuilders(): Record<string, CheckBuilder> {
  const group = (call: CallContext) => text(call.params.logGroupName) && `arn:aws:logs:${call.region}:${call.account}:log-group:${text(call.params.logGroupName)}`;
  const stream = (call: CallContext) => group(call) && text(call.params.logStreamName) && `${group(call)}:log-stream:${text(call.params.logStreamName)}`;
  return {
    CreateLogGroup: (call) => single('logs:CreateLogGroup', group(call) && `${group(call)}:*`),
    CreateLogStream: (call) => single('logs:CreateLogStream', stream(call)),
    PutLogEvents: (call) => single('logs:PutLogEvents', stream(call)),
    DescribeLogStreams: (call) => single('logs:DescribeLogStreams', group(call) && `${group(call)}:*`),
    AssociateKmsKey: (call) => single('logs:AssociateKmsKey', group(call) && `${group(call)}:*`),
    PutRetentionPolicy: (call) => single('logs:PutRetentionPolicy', group(call) && `${group(call)}:*`),
    DescribeLogGroups: () => single('logs:DescribeLogGroups', '*'),
  };
}

function stsBuilders(): Record<string, CheckBuilder> {
  return {
    // AWS answers GetCallerIdentity for every caller, whatever its policies say.
    GetCallerIdentity: () => [],
    AssumeRole: ({ params }) => {
      const roleArn = text(params.RoleArn);
      const roleName = roleArn?.split('/').slice(-1)[0];
      const sessionName = text(params.RoleSessionName);
      return single('sts:AssumeRole', roleArn, {
        resourcePolicy: roleName ? { kind: 'role-trust', roleName } : undefined,
        context: sessionName ? { 'sts:RoleSessionName': sessionName } : {},
      });
    },
  };
}

/** IAM (query protocol): the resource is the role, policy or user the call names. */
function iamChecks(operation: string, call: CallContext): AccessCheck[] {
  const { params, account } = call;
  const resource = text(params.RoleName) ? `arn:aws:iam::${account}:role/${text(params.RoleName)}`
    : text(params.PolicyArn) ?? (text(params.UserName) ? `arn:aws:iam::${account}:user/${text(params.UserName)}` : '*');
  return [{ action: `iam:${operation}`, resource, context: {} }];
}

// ---------------------------------------------------------------- Lambda (REST-JSON)

const lambdaRoutes: { method: string; path: RegExp; operation: string }[] = [
  { method: 'POST', path: /^\/2015-03-31\/functions\/([^/]+)\/invocations\/?$/, operation: 'InvokeFunction' },
  { method: 'POST', path: /^\/2014-11-13\/functions\/([^/]+)\/invoke-async\/?$/, operation: 'InvokeAsync' },
  { method: 'GET', path: /^\/2015-03-31\/functions\/([^/]+)\/configuration\/?$/, operation: 'GetFunctionConfiguration' },
  { method: 'PUT', path: /^\/2015-03-31\/functions\/([^/]+)\/configuration\/?$/, operation: 'UpdateFunctionConfiguration' },
  { method: 'PUT', path: /^\/2015-03-31\/functions\/([^/]+)\/code\/?$/, operation: 'UpdateFunctionCode' },
  { method: 'GET', path: /^\/2015-03-31\/functions\/([^/]+)\/policy\/?$/, operation: 'GetPolicy' },
  { method: 'GET', path: /^\/2019-09-25\/functions\/([^/]+)\/event-invoke-config\/?$/, operation: 'GetFunctionEventInvokeConfig' },
  { method: 'PUT', path: /^\/2019-09-25\/functions\/([^/]+)\/event-invoke-config\/?$/, operation: 'PutFunctionEventInvokeConfig' },
  { method: 'GET', path: /^\/2015-03-31\/functions\/([^/]+)\/?$/, operation: 'GetFunction' },
  { method: 'DELETE', path: /^\/2015-03-31\/functions\/([^/]+)\/?$/, operation: 'DeleteFunction' },
  { method: 'GET', path: /^\/2015-03-31\/functions\/?$/, operation: 'ListFunctions' },
  { method: 'GET', path: /^\/2015-03-31\/event-source-mappings\/?$/, operation: 'ListEventSourceMappings' },
  { method: 'GET', path: /^\/2015-03-31\/event-source-mappings\/([^/]+)\/?$/, operation: 'GetEventSourceMapping' },
];

function describeLambdaCall(request: HttpRequestView): AwsCall {
  const url = new URL(request.url, 'http://gateway');
  const { region } = request.credential;
  for (const route of lambdaRoutes) {
    const match = request.method === route.method ? route.path.exec(url.pathname) : null;
    if (!match) continue;
    const call: AwsCall = { service: 'lambda', operation: route.operation, protocol: 'rest-json' };
    const id = match[1] ? decodeURIComponent(match[1]) : undefined;
    if (!id) call.checks = [{ action: `lambda:${route.operation}`, resource: '*', context: {} }];
    else if (route.operation === 'GetEventSourceMapping') {
      call.checks = [{ action: 'lambda:GetEventSourceMapping', resource: `arn:aws:lambda:${region}:${request.account}:event-source-mapping:${id}`, context: {} }];
    } else {
      // A function is named by name, name:qualifier, partial or full ARN; IAM checks the unqualified function ARN.
      const name = id.startsWith('arn:') ? id.split(':')[6]! : id.split(':')[0]!;
      const action = route.operation === 'InvokeAsync' ? 'lambda:InvokeFunction' : `lambda:${route.operation}`;
      call.checks = [{ action, resource: `arn:aws:lambda:${region}:${request.account}:function:${name}`, context: {} }];
    }
    return call;
  }
  return { service: 'lambda', operation: `${request.method} ${url.pathname}`, protocol: 'rest-json' };
}

// ---------------------------------------------------------------- dispatch

const builders: Record<string, Record<string, CheckBuilder>> = {
  sqs: sqsBuilders(),
  dynamodb: dynamodbBuilders(),
  glue: glueBuilders(),
  'redshift-data': redshiftDataBuilders(),
  secretsmanager: secretsManagerBuilders(),
  kms: kmsBuilders(),
  events: eventsBuilders(),
  logs: logsBuilders(),
  sts: stsBuilders(),
};

/** Operations that change what the authorizer caches: role policies, key policies, queue attributes. */
function changesPolicies(service: string, operation: string): boolean {
  if (service === 'iam') return !/^(Get|List|Simulate|Generate)/.test(operation);
  if (service === 'kms') return ['PutKeyPolicy', 'CreateKey', 'CreateAlias', 'UpdateAlias', 'DeleteAlias', 'ScheduleKeyDeletion'].includes(operation);
  if (service === 'sqs') return ['SetQueueAttributes', 'CreateQueue', 'DeleteQueue'].includes(operation);
  if (service === 'secretsmanager') return ['CreateSecret', 'UpdateSecret', 'DeleteSecret'].includes(operation);
  return false;
}

/** The IAM service prefix of a SigV4 signing name where the two differ. */
const servicePrefix: Record<string, string> = { monitoring: 'cloudwatch' };

function requestParams(request: HttpRequestView, protocol: WireProtocol): { operation?: string; params: Params } {
  const body = request.body?.toString('utf8') ?? '';
  if (protocol === 'json') {
    const target = String(request.headers['x-amz-target'] ?? '');
    let params: Params = {};
    try {
      params = body ? JSON.parse(body) as Params : {};
    } catch {
      params = {};
    }
    return { operation: target.split('.').slice(-1)[0], params };
  }
  const form = new URLSearchParams(request.method === 'GET' ? new URL(request.url, 'http://gateway').search : body);
  return { operation: form.get('Action') ?? undefined, params: Object.fromEntries(form) };
}

/** Whether the request carries its parameters in a body the authorizer must read (JSON and query protocols). */
export function serviceNeedsBody(request: Pick<HttpRequestView, 'headers' | 'credential'>): boolean {
  if (request.credential.signingService === 'lambda') return false;
  return request.headers['x-amz-target'] !== undefined || String(request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
}

/** Every service but S3: JSON (X-Amz-Target), query (Action=…) and Lambda's REST-JSON API. */
export async function describeServiceCall(request: HttpRequestView, directory: ResourceDirectory): Promise<AwsCall> {
  const signing = request.credential.signingService;
  const service = servicePrefix[signing] ?? signing;
  if (service === 'lambda') return describeLambdaCall(request);
  const protocol: WireProtocol = request.headers['x-amz-target'] !== undefined ? 'json' : 'query';
  const { operation = '', params } = requestParams(request, protocol);
  const call: AwsCall = {
    service, operation, protocol, queryCompatible: service === 'sqs' && protocol === 'json',
    changesPolicies: changesPolicies(service, operation),
  };
  const context: CallContext = { params, region: request.credential.region, account: request.account, directory };
  if (service === 'iam') call.checks = iamChecks(operation, context);
  else {
    const builder = builders[service]?.[operation];
    call.checks = builder ? await builder(context) : undefined;
  }
  return call;
}
