import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AwsIdentity, callerIdentity, findAwsCredentials } from './aws-credentials.js';
import type { DeployStage } from './deploy-arguments.js';
import { projectRoot } from './python-env.js';
import { SavedPlan } from './saved-plan.js';
import {
  checkStageOverride,
  localOverrideFile,
  removeLocalProviderOverride,
  requireTerraform,
  runTerraform,
  TerraformCommandError,
  writeLocalProviderOverride,
} from './terraform.js';

export class DeployError extends Error {}

export interface DeployOptions {
  stage: DeployStage;
  apply: boolean;
  /**
   * Rehearsals and tests only: an AWS-compatible endpoint (the emulator's moto server) that stands
   * in for AWS. The stage's variables and workspace stay those of the stage.
   */
  endpoint?: string;
  /** Progress lines; Terraform's and the builds' own output goes to stdout as it comes. */
  log: (line: string) => void;
}

export interface DeployOutcome {
  identity: AwsIdentity;
  region: string;
  changes: boolean;
  applied: boolean;
}

/** The region the stack deploys to: var.region as the stage's tfvars set it, asked of Terraform. */
async function stackRegion(stage: DeployStage, endpoint: string | undefined): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'sdp-deploy-console-'));
  try {
    const input = join(dir, 'expression');
    writeFileSync(input, 'var.region\n');
    const fd = openSync(input, 'r');
    try {
      const result = await runTerraform({ args: ['console'], stage, stdio: [fd, 'pipe', 'pipe'], announce: false, emulatorEndpoint: endpoint });
      if (result.status !== 0) throw new TerraformCommandError(`terraform could not evaluate var.region on stage ${stage}: ${result.stderr.trim().split('\n').slice(-3).join(' ')}`);
      return JSON.parse(result.stdout.trim()) as string;
    } finally {
      closeSync(fd);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The project's build: the Lambda zips and the Glue artifacts under dist/, which Terraform uploads. */
function build(log: (line: string) => void): void {
  log('building the Lambda and Glue artifacts: npm run build');
  const result = spawnSync('npm', ['run', '--silent', 'build'], { cwd: projectRoot, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.error || result.status !== 0) throw new DeployError(`npm run build failed (${result.error?.message ?? `exit ${result.status}`}, its errors are above): fix the build and retry; nothing was planned`);
}

async function planAndApply(options: DeployOptions & { planFile: string }): Promise<{ changes: boolean; applied: boolean }> {
  const { stage, endpoint } = options;
  const color = process.stdout.isTTY ? [] : ['-no-color'];
  const plan = await runTerraform({ args: ['plan', '-input=false', '-detailed-exitcode', `-out=${options.planFile}`, ...color], stage, emulatorEndpoint: endpoint });
  // -detailed-exitcode: 0 no changes, 2 changes, anything else an error.
  if (plan.status === 0) {
    options.log(`stage ${stage} is up to date: nothing to apply`);
    return { changes: false, applied: false };
  }
  if (plan.status !== 2) throw new DeployError(`terraform plan failed on stage ${stage} (exit ${plan.status}, its errors are above): nothing was applied`);
  const saved = SavedPlan.record(options.planFile);
  if (!options.apply) {
    options.log(`plan only, nothing was changed: \`npm run deploy -- --stage ${stage} --apply\` plans again and applies the plan it shows`);
    return { changes: true, applied: false };
  }
  options.log(`applying the plan shown above (sha256 ${saved.sha256.slice(0, 12)}) to stage ${stage}`);
  saved.assertUnchanged();
  const apply = await runTerraform({ args: ['apply', '-input=false', ...color, options.planFile], stage, emulatorEndpoint: endpoint });
  if (apply.status !== 0) throw new DeployError(`terraform apply failed on stage ${stage} (exit ${apply.status}, its errors are above): run the deploy again to see what is left to do`);
  return { changes: true, applied: true };
}

/**
 * `npm run deploy`: checks who the credentials belong to, builds the artifacts, plans the stage
 * into a saved plan file, and applies exactly that file when asked to.
 */
export async function deployStage(options: DeployOptions): Promise<DeployOutcome> {
  const { stage, endpoint, log } = options;
  // A leftover emulator override is refused on a cloud stage, and a rehearsal never overwrites the one of `npm run dev:up`.
  checkStageOverride(stage, existsSync(localOverrideFile));
  const credentials = await findAwsCredentials();
  requireTerraform();
  const planDir = mkdtempSync(join(tmpdir(), `sdp-deploy-${stage}-`));
  if (endpoint) writeLocalProviderOverride({ endpoint });
  try {
    const region = await stackRegion(stage, endpoint);
    const identity = await callerIdentity({ credentials, region, endpoint });
    const target = endpoint ? `the AWS-compatible endpoint ${endpoint} (DEPLOY_ENDPOINT_URL), not AWS` : 'AWS';
    log(`stage ${stage}: account ${identity.account} (${identity.arn}), region ${region}, on ${target}`);
    build(log);
    const result = await planAndApply({ ...options, planFile: join(planDir, `${stage}.tfplan`) });
    return { identity, region, ...result };
  } finally {
    rmSync(planDir, { recursive: true, force: true });
    if (endpoint) removeLocalProviderOverride();
  }
}
