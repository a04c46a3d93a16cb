import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureCheckovEnv } from '../../stage/python-env.js';
import { join } from 'node:path';
import { localProviderOverride, runTerraform, runTerraformIn, type Stage, stages, terraformDir, terraformVersion, type TerraformResult } from '../../stage/terraform.js';
import { failOrSkip } from '../prerequisites.js';

const execFileAsync = promisify(execFile);

/** Every resource issue 3 asks for, as addresses in a dev plan. */
const requiredResources = [
  'aws_s3_bucket.data',
  'aws_s3_bucket_public_access_block.data',
  'aws_s3_bucket_server_side_encryption_configuration.data',
  'aws_s3_bucket_versioning.data',
  'aws_s3_bucket_policy.data',
  'aws_s3_bucket_lifecycle_configuration.data',
  'aws_s3_bucket_notification.data',
  'aws_s3_object.folder["raw/"]',
  'aws_sqs_queue.ingest',
  'aws_sqs_queue.ingest_dlq',
  'aws_sqs_queue_redrive_policy.ingest',
  'aws_lambda_function.trigger',
  'aws_lambda_event_source_mapping.ingest',
  'aws_dynamodb_table.idempotency',
  'aws_glue_catalog_database.sales',
  'aws_glue_crawler.this["raw"]',
  'aws_glue_crawler.this["cleaned"]',
  'aws_glue_job.clean_sales',
  'aws_s3_object.glue_script',
  'aws_s3_object.glue_package',
  'aws_glue_security_configuration.this',
  'aws_cloudwatch_event_rule.glue_job_finished',
  'aws_cloudwatch_event_target.loader',
  'aws_lambda_function.loader',
  'aws_lambda_function_event_invoke_config.loader',
  'aws_sqs_queue.loader_failures',
  'aws_redshift_cluster.this',
  'aws_redshift_subnet_group.this',
  'aws_redshift_parameter_group.this',
  'aws_redshift_logging.this',
  'aws_vpc.this',
  'aws_subnet.private[0]',
  'aws_subnet.private[1]',
  'aws_vpc_endpoint.s3',
  'aws_security_group.redshift',
  'aws_iam_role.trigger',
  'aws_iam_role.loader',
  'aws_iam_role.glue_job',
  'aws_iam_role.glue_crawler',
  'aws_iam_role.redshift_copy',
  'aws_cloudwatch_log_group.trigger',
  'aws_cloudwatch_log_group.loader',
  'aws_cloudwatch_log_group.glue_job["output"]',
  'aws_cloudwatch_log_group.glue_job["error"]',
  'aws_kms_key.data',
  'aws_sns_topic.alarms',
  'aws_sns_topic_policy.alarms',
  'aws_secretsmanager_secret.loader_db',
];

const version = terraformVersion();
if (!version) failOrSkip({ what: 'the Terraform tier', missing: 'terraform was not found on PATH: install Terraform 1.10 or newer' });

function terraform(args: string[]): Promise<TerraformResult> {
  return runTerraform({ args: [...args, '-no-color'], stdio: 'pipe' });
}

function expectSuccess(result: TerraformResult): void {
  expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
}

interface CheckovReport {
  summary: { passed: number; failed: number; skipped: number; parsing_errors: number };
  results: {
    failed_checks: { check_id: string; resource: string }[];
    skipped_checks?: { check_id: string; resource: string; check_result: { suppress_comment?: string } }[];
  };
}

async function runCheckov(): Promise<CheckovReport> {
  const checkov = ensureCheckovEnv({ quiet: true });
  // --soft-fail: checkov exits 0, and the failures are read from its report, so they are listed by name.
  const { stdout } = await execFileAsync(checkov, ['-d', '.', '--config-file', '.checkov.yaml', '-o', 'json', '--soft-fail'], { cwd: terraformDir, maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(stdout) as CheckovReport;
}

describe.skipIf(!version)('terraform module', () => {
  // The stage runs and checkov are independent: started together once init is done, awaited by their tests.
  const stageRuns = new Map<Stage, Promise<TerraformResult>>();
  let checkovRun: Promise<CheckovReport>;

  beforeAll(async () => {
    // No stage, no state: the providers alone (the S3 backend of dev and prod is initialised per stage).
    expectSuccess(await terraform(['init', '-input=false', '-backend=false']));
    for (const stage of stages) stageRuns.set(stage, terraform(['test', '-verbose', `-var-file=stages/${stage}.tfvars`]));
    checkovRun = runCheckov();
    // Every promise gets a handler now, so a failure surfaces in its own test, not as an unhandled rejection.
    for (const run of [...stageRuns.values(), checkovRun]) run.catch(() => undefined);
  });

  it('is formatted', async () => {
    expectSuccess(await runTerraform({ args: ['fmt', '-check', '-recursive', '-diff'], stdio: 'pipe' }));
  });

  it("writes stage local's provider override as terraform fmt would, so the module stays formatted while a local stage runs", async () => {
    const override = localProviderOverride({ endpoint: 'http://127.0.0.1:4566' });
    const formatted = await new Promise<string>((resolve, reject) => {
      const child = execFile('terraform', ['fmt', '-'], (error, stdout) => (error ? reject(error) : resolve(stdout)));
      child.stdin!.end(override);
    });
    expect(formatted).toBe(override);
  });

  it('validates', async () => {
    const result = await runTerraform({ args: ['validate', '-json'], stdio: 'pipe' });
    expect(JSON.parse(result.stdout)).toMatchObject({ valid: true, error_count: 0 });
  });

  for (const stage of stages) {
    it(`passes terraform test on stage ${stage}'s variables`, async () => {
      const result = await stageRuns.get(stage)!;
      expectSuccess(result);
      expect(result.stdout).toMatch(/Success! \d+ passed, 0 failed\./);
    });
  }

  it("validates the state bucket's module (terraform/bootstrap) and passes its terraform test", async () => {
    const bootstrap = (args: string[]) => runTerraformIn({ dir: join(terraformDir, 'bootstrap'), args: [...args, '-no-color'], stdio: 'pipe' });
    expectSuccess(await bootstrap(['init', '-input=false', '-backend=false']));
    expectSuccess(await bootstrap(['validate']));
    const result = await bootstrap(['test']);
    expectSuccess(result);
    expect(result.stdout).toMatch(/Success! \d+ passed, 0 failed\./);
  });

  it('plans every resource of the pipeline on stage dev', async () => {
    const plan = (await stageRuns.get('dev')!).stdout;
    const planned = new Set([...plan.matchAll(/^\s*# (\S+) will be created$/gm)].map((match) => match[1]));
    expect(requiredResources.filter((address) => !planned.has(address))).toEqual([]);
  });

  it('has no failed checkov check, and a reason for every skipped one', async () => {
    const report = await checkovRun;
    console.log(`checkov: ${report.summary.passed} passed, ${report.summary.failed} failed, ${report.summary.skipped} skipped`);
    expect(report.results.failed_checks.map((check) => `${check.check_id} ${check.resource}`)).toEqual([]);
    expect(report.summary.parsing_errors).toBe(0);
    expect(report.summary.passed).toBeGreaterThan(100);
    const unexplained = (report.results.skipped_checks ?? []).filter((check) => (check.check_result.suppress_comment ?? '').trim().length < 20);
    expect(unexplained.map((check) => `${check.check_id} ${check.resource}`)).toEqual([]);
  });
});
