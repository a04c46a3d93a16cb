// What AWS itself does with a workload's role, beyond the API calls in the workload's code: each
// rule names the actions, the setting or call that makes AWS need them, and why. The contract
// test adds these to the actions derived from the code; nothing here lists what our code calls.
import type { StackFacts, Workload } from './workloads.js';

export interface Requirement {
  actions: string[];
  why: string;
}

interface Rule extends Requirement {
  appliesTo: (workload: Workload, context: { stack: StackFacts; codeActions: Set<string> }) => boolean;
}

const calls = (codeActions: Set<string>, prefix: string) => [...codeActions].some((action) => action.startsWith(prefix));

const rules: Rule[] = [
  // ---- Lambda
  {
    actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    why: "Lambda writes the function's logs with its role; Terraform creates the log group, so no logs:CreateLogGroup",
    appliesTo: (workload) => workload.facts.kind === 'lambda',
  },
  {
    actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
    why: "active tracing: Lambda sends the invocation's trace segments with the function's role",
    appliesTo: (workload) => workload.facts.kind === 'lambda' && workload.facts.tracingActive,
  },
  {
    actions: ['kms:Decrypt'],
    why: 'the environment is encrypted with a customer managed key; Lambda decrypts it with the role at cold start',
    appliesTo: (workload) => workload.facts.kind === 'lambda' && workload.facts.environmentEncrypted,
  },
  {
    actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
    why: 'an SQS event source mapping polls the queue, and deletes what the function processed, with the role',
    appliesTo: (workload) => workload.facts.kind === 'lambda' && workload.facts.eventSourceQueues.length > 0,
  },
  {
    actions: ['kms:Decrypt'],
    why: 'the event source queue is KMS-encrypted: receiving its messages decrypts them',
    appliesTo: (workload) => workload.facts.kind === 'lambda' && workload.facts.eventSourceQueues.some((queue) => queue.encrypted),
  },
  {
    actions: ['sqs:SendMessage'],
    why: 'Lambda sends an event whose asynchronous retries are spent to the on-failure SQS destination with the role',
    appliesTo: (workload) => workload.facts.kind === 'lambda' && workload.facts.failureDestinationQueues.length > 0,
  },
  {
    actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
    why: 'the on-failure destination queue is KMS-encrypted: SendMessage needs a data key',
    appliesTo: (workload) => workload.facts.kind === 'lambda' && workload.facts.failureDestinationQueues.some((queue) => queue.encrypted),
  },
  // ---- implied by what the code calls
  {
    actions: ['secretsmanager:GetSecretValue'],
    why: "the Data API calls pass a database user's secret (SecretArn), which the Data API reads with the caller's permissions",
    appliesTo: (_, { codeActions }) => calls(codeActions, 'redshift-data:'),
  },
  {
    actions: ['kms:Decrypt'],
    why: 'the database users\' secrets are encrypted with the stack key: reading one decrypts with the caller\'s permissions',
    appliesTo: (_, { stack, codeActions }) => stack.secretsUseKms && calls(codeActions, 'redshift-data:'),
  },
  {
    actions: ['kms:Decrypt'],
    why: 'the table uses a customer managed key: DynamoDB decrypts the table key with the caller\'s permissions',
    appliesTo: (_, { stack, codeActions }) => stack.tablesUseKms && calls(codeActions, 'dynamodb:'),
  },
  {
    actions: ['kms:Decrypt'],
    why: 'objects are SSE-KMS encrypted with the stack key: reading one decrypts its data key',
    appliesTo: (_, { stack, codeActions }) => stack.bucketsUseKms && codeActions.has('s3:GetObject'),
  },
  {
    actions: ['kms:GenerateDataKey'],
    why: 'objects are SSE-KMS encrypted with the stack key: writing one generates a data key',
    appliesTo: (_, { stack, codeActions }) => stack.bucketsUseKms && codeActions.has('s3:PutObject'),
  },
  {
    actions: ['s3:ListBucket'],
    why: 'S3 answers the GET of a missing key with 403 instead of 404 unless the caller may list the bucket: a function that reads an object which may be missing (the loader\'s manifest, ManifestNotFoundError) needs it to tell the two apart',
    appliesTo: (workload, { codeActions }) => workload.facts.kind === 'lambda' && codeActions.has('s3:GetObject'),
  },
  // ---- Glue job
  {
    actions: ['s3:GetObject'],
    why: 'Glue downloads the job script and its --extra-py-files with the job role',
    appliesTo: (workload) => workload.facts.kind === 'glue-job',
  },
  {
    actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:ListBucket'],
    why: "--TempDir: Glue keeps the run's temporary files under that prefix",
    appliesTo: (workload) => workload.facts.kind === 'glue-job' && workload.facts.tempDir !== undefined,
  },
  {
    actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
    why: "Glue writes the driver's and executors' output and error logs with the job role (Glue 5.0: to the groups of --custom-logGroup-prefix), and creates a missing group itself",
    appliesTo: (workload) => workload.facts.kind === 'glue-job',
  },
  {
    actions: ['logs:AssociateKmsKey'],
    why: 'the security configuration encrypts CloudWatch logs: Glue associates the key with the log groups it creates',
    appliesTo: (workload) => workload.facts.kind === 'glue-job' && workload.facts.encrypts.cloudWatch,
  },
  {
    actions: ['cloudwatch:PutMetricData'],
    why: '--enable-metrics: Glue publishes job metrics with the job role',
    appliesTo: (workload) => workload.facts.kind === 'glue-job' && workload.facts.metrics,
  },
  {
    actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
    why: 'the security configuration encrypts what Glue writes to S3 and CloudWatch, and job bookmarks, with the stack key',
    appliesTo: (workload) => workload.facts.kind === 'glue-job' && (workload.facts.encrypts.s3 || workload.facts.encrypts.cloudWatch || workload.facts.encrypts.bookmarks),
  },
];

export function platformRequirements(workload: Workload, context: { stack: StackFacts; codeActions: Set<string> }): Requirement[] {
  return rules.filter((rule) => rule.appliesTo(workload, context)).map(({ actions, why }) => ({ actions, why }));
}
