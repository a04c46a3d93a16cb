import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../stage/python-env.js';
import type { StackOutputs } from '../../stage/stack-outputs.js';
import { runTerraform, terraformDir, terraformOutputs, writeLocalProviderOverride } from '../../stage/terraform.js';
import { readTerraformJsonUi } from '../../stage/terraform-json-ui.js';

export class LocalTerraformApplyError extends Error {
  override readonly name = 'LocalTerraformApplyError';
}

/**
 * Builds the Lambda zips and the Glue artifacts with the project's own build (a few seconds), so the
 * stage always runs the code of the working tree. Asynchronous, so that dev:up starts moto and the
 * emulator while it runs.
 */
export function buildArtifacts(): Promise<void> {
  return new Promise((resolve, reject) => {
    const build = spawn('npm', ['run', '--silent', 'build'], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    build.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    build.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    build.on('error', (error) => reject(new LocalTerraformApplyError(`\`npm run build\` could not start: ${error.message}`)));
    build.on('close', (status) => {
      if (status === 0) resolve();
      else reject(new LocalTerraformApplyError(`\`npm run build\` failed, so the local stage has no Lambda or Glue artifacts to deploy:\n${output}`));
    });
  });
}

/** Everything an apply of stage local depends on: the module, the stage's variables, the source profiles it uploads and the built artifacts. */
export function localTerraformFingerprint(endpoint: string): string {
  const hash = createHash('sha256').update(endpoint);
  const sourcesDir = join(projectRoot, 'sources');
  const files = [
    ...readdirSync(terraformDir).filter((name) => name.endsWith('.tf') && name !== 'local_override.tf').map((name) => join(terraformDir, name)),
    join(terraformDir, 'stages', 'local.tfvars'),
    // Adding or changing sources/<name>.json and running dev:up must upload it (storage.tf's for_each).
    ...(existsSync(sourcesDir) ? readdirSync(sourcesDir).filter((name) => name.endsWith('.json')).map((name) => join(sourcesDir, name)) : []),
    ...['lambda/trigger.zip', 'lambda/loader.zip', 'glue/clean_sales.py', 'glue/sales_cleaning.zip'].map((file) => join(projectRoot, 'dist', file)),
  ].sort();
  for (const file of files) hash.update(file).update(existsSync(file) ? readFileSync(file) : 'missing');
  return hash.digest('hex');
}

/**
 * Terraform's default of 10 operations at a time is for a cloud's API limits. Against the emulator a
 * first apply spends its time in the provider's fixed propagation waits (SQS queues, the bucket
 * lifecycle, the KMS key, the VPC, Lambda functions), each holding one of the 10 slots while it sleeps,
 * so quick resources on the critical path queued behind sleeping ones. The module has about 80
 * resources: with this many slots none waits for another's sleep.
 */
export const localApplyParallelism = 64;

interface AppliedRecord {
  fingerprint: string;
  outputs: StackOutputs;
}

/**
 * Applies the Terraform root module of stage local against the emulator and returns its outputs.
 * The state lives in the stage's state folder (so `dev:up --fresh` and test environments each have
 * their own). moto keeps everything in memory: after it started empty the old state describes nothing
 * that exists any more and is dropped first; while it keeps running and nothing changed since the last
 * apply, the apply is skipped, which makes a restart take seconds.
 */
export async function applyLocalTerraform(options: {
  endpoint: string; freshControlPlane: boolean; stateDir: string; logFile: string; log?: (line: string) => void;
  /** A build started earlier (see buildArtifacts); without it the apply builds first. */
  built?: Promise<void>;
}): Promise<StackOutputs> {
  await (options.built ?? buildArtifacts());
  const stateFile = join(options.stateDir, 'local.tfstate');
  const recordFile = join(options.stateDir, 'applied.json');
  mkdirSync(options.stateDir, { recursive: true });
  if (options.freshControlPlane) {
    for (const file of [stateFile, `${stateFile}.backup`, recordFile]) rmSync(file, { force: true });
  }
  const fingerprint = localTerraformFingerprint(options.endpoint);
  if (existsSync(recordFile)) {
    const record = JSON.parse(readFileSync(recordFile, 'utf8')) as AppliedRecord;
    if (record.fingerprint === fingerprint) {
      options.log?.('terraform: stage local is up to date (no change to the module, variables or artifacts)');
      return record.outputs;
    }
  }
  options.log?.(`terraform: applying stage local${options.freshControlPlane ? ' on an empty control plane (a minute or two the first time, most of it the AWS provider waiting)' : ''}`);
  writeLocalProviderOverride({ endpoint: options.endpoint });
  const started = Date.now();
  // -json: the apply ends with its outputs, which saves running `terraform output` (three more Terraform
  // processes, a few seconds) after it.
  const apply = await runTerraform({
    args: ['apply', '-auto-approve', '-input=false', '-json', `-parallelism=${localApplyParallelism}`, `-state=${stateFile}`],
    stage: 'local', stdio: 'pipe', announce: false,
  });
  const ui = readTerraformJsonUi(apply.stdout);
  writeFileSync(options.logFile, ui.text + apply.stderr);
  if (apply.status !== 0) {
    const errors = ui.errors.length > 0
      ? ui.errors.slice(0, 4).join('\n')
      : (apply.stderr || ui.text).split('\n').filter((line) => /Error:|with |on .* line/.test(line)).slice(0, 12).join('\n');
    throw new LocalTerraformApplyError(`terraform apply of stage local failed (full log: ${options.logFile}):\n${errors}\n`
      + 'If the emulator lacks what a changed resource needs, `npm run dev:up -- --fresh` creates the stage from zero.');
  }
  options.log?.(`terraform: applied in ${((Date.now() - started) / 1000).toFixed(1)} s (each resource's time: ${options.logFile})`);
  const outputs = ui.outputs ?? await terraformOutputs('local', { stateFile });
  writeFileSync(recordFile, `${JSON.stringify({ fingerprint, outputs } satisfies AppliedRecord, null, 2)}\n`);
  return outputs;
}
