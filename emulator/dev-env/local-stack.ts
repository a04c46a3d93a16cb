import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../scripts/lib/python-env.js';
import { runTerraform, terraformDir, terraformOutputs, writeLocalProviderOverride } from '../../scripts/lib/terraform.js';

export class LocalStackApplyError extends Error {}

const lambdaArtifacts = ['dist/lambda/trigger.zip', 'dist/lambda/loader.zip'];

/** Builds the Lambda packages when they are missing, with the project's own build script. */
function ensureLambdaArtifacts(): void {
  if (lambdaArtifacts.every((file) => existsSync(join(projectRoot, file)))) return;
  const build = spawnSync('npm', ['run', '--silent', 'build:lambdas'], { cwd: projectRoot, stdio: 'inherit' });
  if (build.status !== 0) throw new LocalStackApplyError('`npm run build:lambdas` failed: the local stage needs dist/lambda/trigger.zip and loader.zip');
}

/**
 * Applies the Terraform root module of stage local against the emulator and returns its outputs.
 * moto keeps everything in memory, so after it started empty the old local state describes nothing
 * that exists any more and is dropped first.
 */
export async function applyLocalStack(options: { endpoint: string; freshControlPlane: boolean; logFile: string }): Promise<Record<string, string>> {
  ensureLambdaArtifacts();
  if (options.freshControlPlane) rmSync(join(terraformDir, 'terraform.tfstate.d', 'local'), { recursive: true, force: true });
  writeLocalProviderOverride({ endpoint: options.endpoint });
  const apply = await runTerraform({ args: ['apply', '-auto-approve', '-input=false', '-no-color'], stage: 'local', stdio: 'pipe', announce: false });
  writeFileSync(options.logFile, apply.stdout + apply.stderr);
  if (apply.status !== 0) {
    const errors = (apply.stderr || apply.stdout).split('\n').filter((line) => /Error:|with |on .* line/.test(line)).slice(0, 12).join('\n');
    throw new LocalStackApplyError(`terraform apply of stage local failed (full log: ${options.logFile}):\n${errors}`);
  }
  return Object.fromEntries(Object.entries(await terraformOutputs('local')).map(([name, value]) => [name, typeof value === 'string' ? value : JSON.stringify(value)]));
}
