// Issue 3's IAM contract: each workload's role grants exactly what its code calls plus what AWS
// itself needs for the role's settings; no wildcard action; every "*" resource explained.
import { beforeAll, describe, expect, it } from 'vitest';
import { lambdaFunctions } from '../../artifacts/lambda-bundle.js';
import { terraformDir, terraformVersion } from '../../stage/terraform.js';
import { glueSources, glueStorageCalls, jobOutputFolders, type S3Need, s3NeedsOfOperations } from './glue-actions.js';
import { loaderS3Reads } from './loader-reads.js';
import { platformRequirements } from './platform-requirements.js';
import { allowsS3Request } from './s3-grants.js';
import { sdkCallsOfFunction } from './sdk-actions.js';
import { plannedValues, planStack, policyStatements, type StackPlan } from './stack-plan.js';
import { type ConfigBlock, readConfigBlocks, referencedName, starResources } from './terraform-config.js';
import { findWorkloads, policyDocumentOfRole, type StackFacts, stackFacts, type Workload } from './workloads.js';
import { failOrSkip } from '../prerequisites.js';

/** Roles assumed by an AWS service that runs none of our code, so there is no code to derive their actions from. */
const serviceRoles: Record<string, string> = {
  'aws_iam_role.glue_crawler': 'Glue crawlers read raw/ and cleaned/ and maintain catalog tables; no code of ours runs as them',
  'aws_iam_role.redshift_copy': "Redshift assumes it for the loader's COPY statements (the SQL names it; the loader's role never uses it)",
  'aws_iam_role.flow_logs': 'VPC Flow Logs delivers flow records to its log group',
};

interface ContractReport {
  missing: string[];
  extra: string[];
}

/** Both directions of the contract for one role, each finding with where it comes from. */
function compareGrants(options: { workload: Workload; plan: StackPlan; stack: StackFacts; code: { actions: string[]; source: string } }): ContractReport {
  const { workload, plan, stack, code } = options;
  const codeActions = new Set(code.actions);
  const requirements = platformRequirements(workload, { stack, codeActions });
  const needed = new Map<string, string[]>();
  for (const action of codeActions) needed.set(action, [`called by ${code.source}`]);
  for (const requirement of requirements) for (const action of requirement.actions) needed.set(action, [...(needed.get(action) ?? []), requirement.why]);
  const granted = new Map<string, string>();
  for (const statement of policyStatements(plan, workload.document).filter((candidate) => (candidate.effect ?? 'Allow') === 'Allow')) {
    for (const action of statement.actions ?? []) granted.set(action, statement.sid ?? '(no sid)');
  }
  return {
    missing: [...needed].filter(([action]) => !granted.has(action)).map(([action, reasons]) => `${action}: ${reasons.join('; ')}`).sort(),
    extra: [...granted].filter(([action]) => !needed.has(action)).map(([action, sid]) => `${action} (statement ${sid}): no code calls it and no platform requirement needs it`).sort(),
  };
}

const version = terraformVersion();
if (!version) failOrSkip({ what: 'the IAM contract test', missing: 'terraform was not found on PATH: install Terraform 1.10 or newer' });

describe.skipIf(!version)('IAM contract (stage dev)', () => {
  let blocks: ConfigBlock[];
  let plan: StackPlan;
  let workloads: Workload[];
  let stack: StackFacts;

  beforeAll(async () => {
    blocks = readConfigBlocks(terraformDir);
    plan = await planStack('dev');
    stack = stackFacts(plan);
    workloads = findWorkloads(blocks, plan);
  });

  it('gives each Lambda function and the Glue job a role of its own, and every other role to an AWS service', () => {
    const lambdaCode = workloads.flatMap((workload) => (workload.facts.kind === 'lambda' ? [workload.facts.codeName] : []));
    expect(lambdaCode.sort()).toEqual([...lambdaFunctions].sort());
    expect(workloads.filter((workload) => workload.facts.kind === 'glue-job').length).toBeGreaterThan(0);
    const roles = workloads.map((workload) => workload.role);
    expect(new Set(roles).size, `roles shared between workloads: ${roles.join(', ')}`).toBe(roles.length);
    const otherRoles = blocks.filter((block) => block.type === 'aws_iam_role' && !roles.includes(block.address)).map((block) => block.address);
    expect(otherRoles.filter((role) => !(role in serviceRoles))).toEqual([]);
    expect(Object.keys(serviceRoles).filter((role) => !otherRoles.includes(role)), 'serviceRoles names a role that is gone or now runs a workload').toEqual([]);
    // Only the one inline policy per role counts as granted, so nothing may attach more.
    expect(blocks.filter((block) => /^aws_iam_(role_policy_attachment|policy_attachment|policy)$/.test(block.type)).map((block) => block.address)).toEqual([]);
    expect(blocks.filter((block) => block.type === 'aws_iam_role' && block.body.some((line) => /managed_policy_arns|inline_policy/.test(line))).map((block) => block.address)).toEqual([]);
  });

  for (const name of lambdaFunctions) {
    it(`grants the ${name} Lambda's role exactly the actions its bundle calls and Lambda needs for it`, async () => {
      const workload = workloads.find((candidate) => candidate.facts.kind === 'lambda' && candidate.facts.codeName === name);
      expect(workload, `no aws_lambda_function ships ${name}.zip`).toBeDefined();
      const bundle = await sdkCallsOfFunction(name);
      expect(bundle.unexplainedInternal, 'SDK commands a client class runs by itself; explain each in clientInternalCommands').toEqual([]);
      const actions = [...new Set(bundle.calls.map((call) => call.action))];
      expect(compareGrants({ workload: workload!, plan, stack, code: { actions, source: `the ${name} bundle (SDK commands)` } })).toEqual({ missing: [], extra: [] });
    });
  }

  it("grants the Glue job's role exactly the S3 actions its code needs and the actions Glue needs for it", () => {
    const jobs = workloads.filter((candidate) => candidate.facts.kind === 'glue-job');
    expect(jobs.length, 'no aws_glue_job in the configuration').toBeGreaterThan(0);
    for (const workload of jobs) {
      if (workload.facts.kind !== 'glue-job') continue;
      const calls = glueStorageCalls(glueSources({ script: workload.facts.script, packages: workload.facts.packages }));
      expect(calls.problems).toEqual([]);
      expect(calls.operations.length, 'the analysis found no storage operation in the Glue code').toBeGreaterThan(0);
      const source = `glue/${workload.facts.script} and its packages (${[...new Set(calls.operations.map((operation) => operation.operation))].join(', ')})`;
      expect(compareGrants({ workload, plan, stack, code: { actions: calls.actions, source } })).toEqual({ missing: [], extra: [] });
    }
  });

  it("grants the Glue job's role each S3 action on the paths its code and Glue reach", () => {
    for (const workload of workloads) {
      if (workload.facts.kind !== 'glue-job') continue;
      const { argumentUris, codeUris, tempDir, script, packages } = workload.facts;
      expect(stack.announcedUris, 'the job reads what one bucket notification announces').toHaveLength(1);
      // --input_uri and --source_profile_uri are not default arguments: the trigger sets them per run, to an
      // object the bucket notification announced and to a profile in the folder it was told (SOURCE_PROFILES_URI).
      const perRun: Record<string, string | undefined> = { input_uri: stack.announcedUris[0], source_profile_uri: stack.sourceProfilesUri };
      const uriOf = (base: string) => argumentUris[base] ?? perRun[base];
      const fromCode = s3NeedsOfOperations(glueStorageCalls(glueSources({ script, packages })).operations, uriOf);
      expect(fromCode.problems).toEqual([]);
      const needs: S3Need[] = [
        ...fromCode.needs,
        ...codeUris.map((uri) => ({ action: 's3:GetObject', uri, why: 'Glue fetches the job script and --extra-py-files' })),
        ...(tempDir ? ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:ListBucket'].map((action) => ({ action, uri: tempDir, why: '--TempDir' })) : []),
      ];
      const statements = policyStatements(plan, workload.document);
      const bucketArn = (bucket: string) => stack.bucketArns.get(bucket) ?? `arn:aws:s3:::${bucket}`;
      const denied = needs.filter((need) => !allowsS3Request({ statements, request: need, bucketArn })).map((need) => `${need.action} on ${need.uri} (${need.why})`);
      expect([...new Set(denied)]).toEqual([]);
    }
  });

  it("grants the loader's role the S3 reads its code makes, and the COPY role those its COPY statements make", async () => {
    const loader = workloads.find((candidate) => candidate.facts.kind === 'lambda' && candidate.facts.codeName === 'loader')!;
    const job = workloads.find((candidate) => candidate.facts.kind === 'glue-job')!;
    if (job.facts.kind !== 'glue-job') throw new Error('no Glue job');
    // The loader passes REDSHIFT_COPY_ROLE_ARN to COPY; its ARN is known only after apply, so the configuration names the role.
    const loaderBlock = blocks.find((block) => block.address === loader.address)!;
    const copyRole = `aws_iam_role.${referencedName(loaderBlock, { attribute: 'REDSHIFT_COPY_ROLE_ARN', type: 'aws_iam_role' })}`;
    expect(copyRole).toBe('aws_iam_role.redshift_copy');
    const environment = (plannedValues(plan, loader.address).environment as { variables: Record<string, string> }[])[0]!.variables;
    const { script, packages, argumentUris } = job.facts;
    const jobOutputs = jobOutputFolders(glueStorageCalls(glueSources({ script, packages })).operations, (base) => argumentUris[base]);
    const copyRoleArn = 'arn:aws:iam::123456789012:role/the-copy-role';
    const reads = await loaderS3Reads({ dataBucket: environment.DATA_BUCKET!, jobName: environment.GLUE_JOB_NAME!, copyRoleArn, jobOutputs });
    expect(reads.problems).toEqual([]);
    expect(reads.loader.length, 'the loader read nothing from S3').toBeGreaterThan(0);
    // The loader reads the run manifest where the job writes it.
    expect(reads.loader.filter((need) => !jobOutputs.text.some((folder) => need.uri.startsWith(folder))).map((need) => need.uri)).toEqual([]);
    expect(reads.copies.map((copy) => copy.roleArn)).toEqual(reads.copies.map(() => copyRoleArn));

    const bucketArn = (bucket: string) => stack.bucketArns.get(bucket) ?? `arn:aws:s3:::${bucket}`;
    const denied = (document: string, needs: S3Need[]) => [...new Set(needs
      .filter((need) => !allowsS3Request({ statements: policyStatements(plan, document), request: need, bucketArn }))
      .map((need) => `${need.action} on ${need.uri} (${need.why})`))];
    expect(denied(loader.document, reads.loader)).toEqual([]);
    expect(denied(policyDocumentOfRole(blocks, copyRole), reads.copies.flatMap((copy) => copy.needs))).toEqual([]);
  });

  it("grants the trigger's role the listing that tells whether a file's source profile exists, and the job's role the profile itself", () => {
    expect(stack.sourceProfilesUri, 'the trigger must be told the profile folder (SOURCE_PROFILES_URI)').toMatch(/^s3:\/\/[^/]+\/.+\/$/);
    const profile = `${stack.sourceProfilesUri}classic-cars.json`;
    const bucketArn = (bucket: string) => stack.bucketArns.get(bucket) ?? `arn:aws:s3:::${bucket}`;
    const allows = (workload: Workload | undefined, action: string) => allowsS3Request({ statements: policyStatements(plan, workload!.document), request: { action, uri: profile }, bucketArn });
    const trigger = workloads.find((workload) => workload.facts.kind === 'lambda' && workload.facts.codeName === 'trigger');
    const job = workloads.find((workload) => workload.facts.kind === 'glue-job');
    expect(allows(trigger, 's3:ListBucket')).toBe(true);
    expect(allows(trigger, 's3:GetObject')).toBe(false);
    expect(allows(job, 's3:GetObject')).toBe(true);
    expect(allows(job, 's3:ListBucket')).toBe(true);
  });

  it('grants no wildcard action and no NotAction to any workload role', () => {
    const offending = workloads.flatMap((workload) => policyStatements(plan, workload.document).flatMap((statement) => [
      ...(statement.actions ?? []).filter((action) => action.includes('*')).map((action) => `${workload.document} ${statement.sid}: ${action}`),
      ...(statement.not_actions ?? []).map((action) => `${workload.document} ${statement.sid}: NotAction ${action}`),
    ]));
    expect(offending).toEqual([]);
  });

  it('explains every "*" resource with a comment in its statement that says why "*"', () => {
    const stars = starResources(blocks);
    expect(stars.length).toBeGreaterThan(0);
    const unexplained = stars.filter((star) => !star.comments.some((comment) => comment.includes('"*"'))).map((star) => `${star.file}:${star.line} (${star.document})`);
    expect(unexplained).toEqual([]);
  });
});
