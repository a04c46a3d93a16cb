import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type AwsIdentity, callerIdentity, findAwsCredentials } from './aws-credentials.js';
import type { DeployStage } from './deploy-arguments.js';
import {
  backendConfigFile, localProviderOverride, runTerraformIn, stageVariables, terraformDir, TerraformCommandError, type TerraformResult,
} from '../stage/terraform.js';

export const bootstrapDir = join(terraformDir, 'bootstrap');

/** The state's key in the bucket; Terraform puts each workspace's state under env:/<workspace>/ beside it. */
export const stateKey = 'sdp/terraform.tfstate';

export interface BootstrapOutcome {
  identity: AwsIdentity;
  region: string;
  /** Set when the bucket was applied: its name and the backend file written for the stage. */
  bucket?: string;
  backendFile?: string;
}

/** The partial backend configuration of a stage, as `terraform init -backend-config=FILE` reads it. */
export function backendFileContent(options: { stage: DeployStage; bucket: string; region: string }): string {
  return [
    `# Written by \`npm run tf:bootstrap -- --stage ${options.stage} --apply\`: where stage ${options.stage} keeps its Terraform state.`,
    '# Commit it: everyone who deploys the stage must use the same state and lock.',
    `bucket       = ${JSON.stringify(options.bucket)}`,
    `key          = ${JSON.stringify(stateKey)}`,
    `region       = ${JSON.stringify(options.region)}`,
    'encrypt      = true',
    '# S3-native locking (Terraform 1.10+): a lock file beside the state, no DynamoDB table.',
    'use_lockfile = true',
    '',
  ].join('\n');
}

function check(result: TerraformResult, what: string): TerraformResult {
  if (result.status !== 0) throw new TerraformCommandError(`terraform ${what} of the state bucket failed (exit ${result.status}): ${(result.stderr || result.stdout).trim().split('\n').slice(-5).join(' ')}`);
  return result;
}

/**
 * `npm run tf:bootstrap`: the S3 bucket that keeps a cloud stage's Terraform state (terraform/bootstrap), in
 * the stage's account and region. Plans by default; with `apply` creates it and writes
 * terraform/backends/<stage>.s3.tfbackend. `endpoint` points it at an AWS-compatible endpoint (tests).
 */
export async function bootstrapStateBucket(options: { stage: DeployStage; apply: boolean; endpoint?: string; log: (line: string) => void }): Promise<BootstrapOutcome> {
  const { stage, endpoint, log } = options;
  const credentials = await findAwsCredentials();
  const { region, project } = await stageVariables(stage, ['region', 'project']) as { region: string; project: string };
  const identity = await callerIdentity({ credentials, region, endpoint });
  log(`state bucket of stage ${stage}: account ${identity.account} (${identity.arn}), region ${region}${endpoint ? `, on ${endpoint}, not AWS` : ''}`);
  const override = join(bootstrapDir, 'local_override.tf');
  if (endpoint) writeFileSync(override, localProviderOverride({ endpoint }));
  try {
    const terraform = (args: string[]) => runTerraformIn({ dir: bootstrapDir, args, stdio: ['ignore', 'inherit', 'pipe'] });
    check(await terraform(['init', '-input=false', '-no-color']), 'init');
    check(await terraform(['workspace', 'select', '-or-create', stage]), 'workspace select');
    const variables = [`-var=stage=${stage}`, `-var=region=${region}`, `-var=project=${project}`];
    if (!options.apply) {
      check(await terraform(['plan', '-input=false', ...variables]), 'plan');
      log(`plan only, nothing was changed: \`npm run tf:bootstrap -- --stage ${stage} --apply\` creates the bucket and writes terraform/backends/${stage}.s3.tfbackend`);
      return { identity, region };
    }
    check(await terraform(['apply', '-input=false', '-auto-approve', ...variables]), 'apply');
    const output = check(await runTerraformIn({ dir: bootstrapDir, args: ['output', '-raw', 'bucket'], stdio: 'pipe' }), 'output');
    const bucket = output.stdout.trim();
    const backendFile = backendConfigFile(stage);
    writeFileSync(backendFile, backendFileContent({ stage, bucket, region }));
    log(`stage ${stage} keeps its state in s3://${bucket}/ (locked with a lock file): wrote ${backendFile}; commit it`);
    return { identity, region, bucket, backendFile };
  } finally {
    if (endpoint) rmSync(override, { force: true });
  }
}
