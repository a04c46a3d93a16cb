// The stack's workloads (each Lambda function and the Glue job), each with its role, that role's
// one policy document and the planned settings that decide what AWS needs from the role.
import { basename } from 'node:path';
import { type ConfigBlock, referencedName } from './terraform-config.js';
import { plannedValues, type PlannedValues, type StackPlan } from './stack-plan.js';

interface Queue {
  address: string;
  encrypted: boolean;
}

export interface LambdaFacts {
  kind: 'lambda';
  /** The function's folder under lambda/, from its zip's name (build:lambdas writes <name>.zip). */
  codeName: string;
  tracingActive: boolean;
  environmentEncrypted: boolean;
  eventSourceQueues: Queue[];
  failureDestinationQueues: Queue[];
}

export interface GlueJobFacts {
  kind: 'glue-job';
  /** The entry script under glue/ and the packages under glue/ shipped with --extra-py-files. */
  script: string;
  packages: string[];
  /** The S3 objects Glue fetches to run the job: the script and the --extra-py-files. */
  codeUris: string[];
  /** The job's --<name>_uri default arguments by name, e.g. output_uri. */
  argumentUris: Record<string, string>;
  tempDir: string | undefined;
  metrics: boolean;
  /** What the job's security configuration encrypts with KMS. */
  encrypts: { s3: boolean; cloudWatch: boolean; bookmarks: boolean };
}

export interface Workload {
  address: string;
  role: string;
  document: string;
  facts: LambdaFacts | GlueJobFacts;
}

/** Encryption at rest of the stores the workloads reach, from the plan. */
export interface StackFacts {
  bucketsUseKms: boolean;
  tablesUseKms: boolean;
  /** The database users' secrets (the cluster's admin secret and those Terraform creates) use a customer managed key. */
  secretsUseKms: boolean;
  /** The folders whose new objects the bucket notifications announce, as s3:// URIs (once each: a folder has a rule per suffix). */
  announcedUris: string[];
  /** The folder of the source profiles the trigger passes to the job as --source_profile_uri (its SOURCE_PROFILES_URI). */
  sourceProfilesUri: string | undefined;
  /** Bucket name to the ARN the plan gives it. */
  bucketArns: Map<string, string>;
}

type Values = Record<string, unknown>;

function first(values: PlannedValues, attribute: string): Values {
  return ((values[attribute] as Values[] | undefined) ?? [])[0] ?? {};
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(what);
  return value;
}

function queue(plan: StackPlan, name: string): Queue {
  const address = `aws_sqs_queue.${name}`;
  return { address, encrypted: Boolean(plannedValues(plan, address).kms_master_key_id) };
}

export function stackFacts(plan: StackPlan): StackFacts {
  const all = (type: string) => [...plan.values].filter(([address]) => address.startsWith(`${type}.`)).map(([, values]) => values);
  const buckets = all('aws_s3_bucket_server_side_encryption_configuration');
  const tables = all('aws_dynamodb_table');
  const clusters = all('aws_redshift_cluster');
  const bucketsById = new Map(all('aws_s3_bucket').map((values) => [String(values.id), values]));
  const announcedUris = all('aws_s3_bucket_notification').flatMap((notification) => {
    const bucket = bucketsById.get(String(notification.bucket))?.bucket;
    return ((notification.queue ?? []) as Values[]).map((queue) => `s3://${String(bucket)}/${String(queue.filter_prefix ?? '')}`);
  });
  const profileFolders = all('aws_lambda_function').map((values) => (first(values, 'environment').variables as Record<string, string> | undefined)?.SOURCE_PROFILES_URI);
  return {
    announcedUris: [...new Set(announcedUris)],
    sourceProfilesUri: profileFolders.find((uri) => uri !== undefined),
    bucketArns: new Map(all('aws_s3_bucket').map((values) => [String(values.bucket), String(values.arn)])),
    bucketsUseKms: buckets.length > 0 && buckets.every((values) => first(first(values, 'rule'), 'apply_server_side_encryption_by_default').sse_algorithm === 'aws:kms'),
    tablesUseKms: tables.length > 0 && tables.every((values) => Boolean(first(values, 'server_side_encryption').kms_key_arn)),
    secretsUseKms: clusters.length > 0 && clusters.every((values) => Boolean(values.master_password_secret_kms_key_id))
      && all('aws_secretsmanager_secret').every((values) => Boolean(values.kms_key_id)),
  };
}

/** The role a workload runs as, and the one inline policy that role has. */
function roleAndDocument(blocks: ConfigBlock[], workload: ConfigBlock, roleAttribute: string): { role: string; document: string } {
  const role = `aws_iam_role.${required(referencedName(workload, { attribute: roleAttribute, type: 'aws_iam_role' }), `${workload.address} takes its ${roleAttribute} from no aws_iam_role`)}`;
  return { role, document: policyDocumentOfRole(blocks, role, `of ${workload.address}`) };
}

/** The address of the policy document of a role's one inline policy (`aws_iam_role.x`). */
export function policyDocumentOfRole(blocks: ConfigBlock[], role: string, context = ''): string {
  const policies = blocks.filter((block) => block.type === 'aws_iam_role_policy' && `aws_iam_role.${referencedName(block, { attribute: 'role', type: 'aws_iam_role' })}` === role);
  if (policies.length !== 1) throw new Error(`${role}${context ? ` (${context})` : ''} must have exactly one aws_iam_role_policy, has ${policies.length}`);
  const document = referencedName(policies[0]!, { attribute: 'policy', type: 'data.aws_iam_policy_document' });
  return `data.aws_iam_policy_document.${required(document, `${policies[0]!.address} takes its policy from no aws_iam_policy_document`)}`;
}

function lambdaWorkload(blocks: ConfigBlock[], plan: StackPlan, block: ConfigBlock): Workload {
  const values = plannedValues(plan, block.address);
  const pointsHere = (candidate: ConfigBlock, type: string) => candidate.type === type && referencedName(candidate, { attribute: 'function_name', type: 'aws_lambda_function' }) === block.name;
  const queuesOf = (type: string, attribute: string) => blocks
    .filter((candidate) => pointsHere(candidate, type))
    .map((candidate) => referencedName(candidate, { attribute, type: 'aws_sqs_queue' }))
    .filter((name): name is string => name !== undefined)
    .map((name) => queue(plan, name));
  return {
    address: block.address,
    ...roleAndDocument(blocks, block, 'role'),
    facts: {
      kind: 'lambda',
      codeName: basename(String(values.filename), '.zip'),
      tracingActive: first(values, 'tracing_config').mode === 'Active',
      environmentEncrypted: Boolean(values.kms_key_arn),
      eventSourceQueues: queuesOf('aws_lambda_event_source_mapping', 'event_source_arn'),
      failureDestinationQueues: queuesOf('aws_lambda_function_event_invoke_config', 'destination'),
    },
  };
}

function glueJobWorkload(blocks: ConfigBlock[], plan: StackPlan, block: ConfigBlock): Workload {
  const values = plannedValues(plan, block.address);
  const args = (values.default_arguments ?? {}) as Record<string, string>;
  const scriptUri = String(first(values, 'command').script_location);
  const extraPyFiles = (args['--extra-py-files'] ?? '').split(',').filter(Boolean);
  const securityName = values.security_configuration;
  const security = [...plan.values].find(([address, candidate]) => address.startsWith('aws_glue_security_configuration.') && candidate.name === securityName)?.[1];
  const encryption = security ? first(security, 'encryption_configuration') : {};
  return {
    address: block.address,
    ...roleAndDocument(blocks, block, 'role_arn'),
    facts: {
      kind: 'glue-job',
      script: basename(scriptUri),
      packages: extraPyFiles.map((uri) => basename(uri, '.zip')),
      codeUris: [scriptUri, ...extraPyFiles],
      argumentUris: Object.fromEntries(Object.entries(args).filter(([name]) => /^--\w+_uri$/.test(name)).map(([name, value]) => [name.slice(2), value])),
      tempDir: args['--TempDir'],
      metrics: args['--enable-metrics'] === 'true',
      encrypts: {
        s3: first(encryption, 's3_encryption').s3_encryption_mode === 'SSE-KMS',
        cloudWatch: first(encryption, 'cloudwatch_encryption').cloudwatch_encryption_mode === 'SSE-KMS',
        bookmarks: first(encryption, 'job_bookmarks_encryption').job_bookmarks_encryption_mode === 'CSE-KMS',
      },
    },
  };
}

/** Every Lambda function and Glue job of the configuration. */
export function findWorkloads(blocks: ConfigBlock[], plan: StackPlan): Workload[] {
  return [
    ...blocks.filter((block) => block.address.startsWith('aws_lambda_function.')).map((block) => lambdaWorkload(blocks, plan, block)),
    ...blocks.filter((block) => block.address.startsWith('aws_glue_job.')).map((block) => glueJobWorkload(blocks, plan, block)),
  ];
}
