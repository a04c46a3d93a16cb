import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AwsIdentity, callerIdentity, findAwsCredentials } from './aws-credentials.js';
import type { DeployStage } from './deploy-arguments.js';
import { projectRoot } from '../stage/python-env.js';
import { SavedPlan } from './saved-plan.js';
import {
  checkStageOverride,
  localOverrideFile,
  removeLocalProviderOverride,
  requireTerraform,
  runTerraform,
  TerraformCommandError,
  type TerraformResult,
  type TerraformRunOptions,
  writeLocalProviderOverride,
} from '../stage/terraform.js';

export class DeployError extends Error {
  override readonly name = 'DeployError';
}

export interface DeployOptions {
  stage: DeployStage;
  apply: boolean;
  /**
   * Rehearsals and tests only: an AWS-compatible endpoint (the emulator's moto server) that stands
   * in for AWS. The stage's variables stay those of the stage; its state does not (see stageTerraform).
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

/** One Terraform command of this deploy, on the stage's variables and workspace. */
type StageTerraform = (args: string[], run?: Pick<TerraformRunOptions, 'stdio' | 'announce'>) => Promise<TerraformResult>;

/**
 * A rehearsal against an emulator keeps its state in its own throwaway file (-state), so it never
 * reads or writes the state of the real stage it rehearses.
 */
function stageTerraform(options: { stage: DeployStage; endpoint?: string; workDir: string }): StageTerraform {
  const state = options.endpoint ? [`-state=${join(options.workDir, 'rehearsal.tfstate')}`] : [];
  return ([command, ...rest], run = {}) => runTerraform({ args: [command!, ...state, ...rest], stage: options.stage, emulatorEndpoint: options.endpoint, ...run });
}

/** The region the stack deploys to: var.region as the stage's tfvars set it, asked of Terraform. */
async function stackRegion(terraform: StageTerraform, workDir: string): Promise<string> {
  const input = join(workDir, 'region-expression');
  writeFileSync(input, 'var.region\n');
  const fd = openSync(input, 'r');
  try {
    const result = await terraform(['console'], { stdio: [fd, 'pipe', 'pipe'], announce: false });
    if (result.status !== 0) throw new TerraformCommandError(`terraform could not evaluate var.region: ${result.stderr.trim().split('\n').slice(-3).join(' ')}`);
    return JSON.parse(result.stdout.trim()) as string;
  } finally {
    closeSync(fd);
  }
}

/** The project's build: the Lambda zips and the Glue artifacts under dist/, which Terraform uploads. */
function build(log: (line: string) => void): void {
  log('building the Lambda and Glue artifacts: npm run build');
  const result = spawnSync('npm', ['run', '--silent', 'build'], { cwd: projectRoot, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.error || result.status !== 0) throw new DeployError(`npm run build failed (${result.error?.message ?? `exit ${result.status}`}, its errors are above): fix the build and retry; nothing was planned`);
}

async function planAndApply(options: DeployOptions & { terraform: StageTerraform; planFile: string }): Promise<{ changes: boolean; applied: boolean }> {
  const { stage, terraform, planFile, log } = options;
  const color = process.stdout.isTTY ? [] : ['-no-color'];
  const plan = await terraform(['plan', '-input=false', '-detailed-exitcode', `-out=${planFile}`, ...color]);
  // -detailed-exitcode: 0 no changes, 2 changes, anything else an error.
  if (plan.status === 0) {
    log(`stage ${stage} is up to date: nothing to apply`);
    return { changes: false, applied: false };
  }
  if (plan.status !== 2) throw new DeployError(`terraform plan failed on stage ${stage} (exit ${plan.status}, its errors are above): nothing was applied`);
  const saved = SavedPlan.record(planFile);
  if (!options.apply) {
    log(`plan only, nothing was changed: \`npm run deploy -- --stage ${stage} --apply\` plans again and applies the plan it shows`);
    return { changes: true, applied: false };
  }
  log(`applying the plan shown above (sha256 ${saved.sha256.slice(0, 12)}) to stage ${stage}`);
  saved.assertUnchanged();
  const apply = await terraform(['apply', '-input=false', ...color, planFile]);
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
  // Private to this run: the saved plan, and a rehearsal's state.
  const workDir = mkdtempSync(join(tmpdir(), `sdp-deploy-${stage}-`));
  const terraform = stageTerraform({ stage, endpoint, workDir });
  if (endpoint) writeLocalProviderOverride({ endpoint });
  try {
    const region = await stackRegion(terraform, workDir);
    const identity = await callerIdentity({ credentials, region, endpoint });
    const target = endpoint ? `the AWS-compatible endpoint ${endpoint} (DEPLOY_ENDPOINT_URL, a rehearsal with its own throwaway state), not AWS` : 'AWS';
    log(`stage ${stage}: account ${identity.account} (${identity.arn}), region ${region}, on ${target}`);
    build(log);
    const result = await planAndApply({ ...options, terraform, planFile: join(workDir, `${stage}.tfplan`) });
    return { identity, region, ...result };
  } finally {
    rmSync(workDir, { recursive: true, force: true });
    if (endpoint) removeLocalProviderOverride();
  }
}
