import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMoto, type MotoServer } from '../../emulator/moto/moto-server.js';
import { localProviderOverride, resolveProviderSource, terraformDir, terraformEnv, terraformVersion } from '../../stage/terraform.js';
import { freePort } from './emulator-harness.js';
import { failOrSkip } from '../prerequisites.js';

// Applies the root module of stage local to a launcher-started moto, then plans again: every answer moto
// gives that differs from AWS's shows up as a planned change. The module is copied to a private folder with
// its own state and placeholder artifacts, so a developer's running local stage is left alone.

const version = terraformVersion();
if (!version) failOrSkip({ what: 'the stage-local apply test', missing: 'terraform was not found on PATH: install Terraform 1.10 or newer' });

interface Run {
  status: number;
  output: string;
  seconds: number;
}

let moto: MotoServer | undefined;
let workDir: string;

function terraform(args: string[]): Promise<Run> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn('terraform', [`-chdir=${join(workDir, 'module')}`, ...args], { env: terraformEnv(resolveProviderSource()) });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status: status ?? 1, output, seconds: (Date.now() - started) / 1000 }));
  });
}

/** What Terraform only hashes and uploads: its content does not matter to the control plane. */
function writePlaceholderArtifacts(dir: string): { lambda: string; glue: string } {
  const lambda = join(dir, 'artifacts', 'lambda');
  const glue = join(dir, 'artifacts', 'glue');
  mkdirSync(lambda, { recursive: true });
  mkdirSync(glue, { recursive: true });
  for (const file of [join(lambda, 'trigger.zip'), join(lambda, 'loader.zip'), join(glue, 'sales_cleaning.zip')]) writeFileSync(file, 'placeholder');
  writeFileSync(join(glue, 'clean_sales.py'), 'print("placeholder")\n');
  return { lambda, glue };
}

describe.skipIf(!version)('terraform apply of stage local against the launcher-started moto', () => {
  let stageArgs: string[];

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'sdp-stage-local-'));
    const module = join(workDir, 'module');
    mkdirSync(module);
    for (const file of readdirSync(terraformDir).filter((name) => name.endsWith('.tf') && name !== 'local_override.tf')) {
      cpSync(join(terraformDir, file), join(module, file));
    }
    cpSync(join(terraformDir, 'stages'), join(module, 'stages'), { recursive: true });
    moto = await startMoto({ port: await freePort(), logFile: join(workDir, 'moto.log') });
    writeFileSync(join(module, 'local_override.tf'), localProviderOverride({ endpoint: moto.endpoint }));
    const artifacts = writePlaceholderArtifacts(workDir);
    stageArgs = ['-var-file=stages/local.tfvars', `-var=lambda_artifacts_dir=${artifacts.lambda}`, `-var=glue_artifacts_dir=${artifacts.glue}`, '-input=false', '-no-color'];
    const init = await terraform(['init', '-input=false', '-no-color']);
    if (init.status !== 0) throw new Error(`terraform init of the copied module failed:\n${init.output}`);
  });

  afterAll(async () => {
    await moto?.stop();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('applies, and a second plan with nothing changed finds no difference', async () => {
    const apply = await terraform(['apply', '-auto-approve', ...stageArgs]);
    expect(apply.status, apply.output).toBe(0);
    const plan = await terraform(['plan', '-detailed-exitcode', ...stageArgs]);
    // -detailed-exitcode: 0 no changes, 1 error, 2 changes planned (the plan output names them).
    expect(plan.status, plan.output).toBe(0);
    console.log(`stage local on moto: first apply ${apply.seconds.toFixed(1)} s, no-change plan ${plan.seconds.toFixed(1)} s`);
  }, 600_000);
});
