// Issue 13 item 15: dev and prod keep their Terraform state in S3 with native locking. The bootstrap runs as
// a user would (npm run tf:bootstrap) against moto, in a copy of the project; the stack's S3 backend is then
// initialised from the file it wrote, on the same moto, and must honour a lock file another run holds.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetBucketVersioningCommand, ListBucketsCommand, PutObjectCommand, DeleteObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMoto, type MotoServer } from '../../emulator/moto/moto-server.js';
import { freePort } from '../../emulator/process/managed-process.js';
import { venvPython } from '../../stage/python-env.js';
import { resolveProviderSource, terraformEnv, terraformVersion } from '../../stage/terraform.js';
import { copyProject, type CommandResult, type ProjectCopy } from './project-copy.js';

const terraform = terraformVersion();
const missing = [!terraform && 'terraform on PATH', !existsSync(venvPython) && 'the project venv with moto (npm run setup:python)'].filter(Boolean).join(' and ');
if (missing) {
  const message = `the state backend test needs ${missing}`;
  if (process.env.CI === 'true') throw new Error(message);
  console.warn(`\n!!! SKIPPING the state backend test: ${message}\n`);
}

function run(options: { cwd: string; command: string; args: string[]; env: NodeJS.ProcessEnv }): Promise<CommandResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(options.command, options.args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr, seconds: (Date.now() - started) / 1000 }));
  });
}

describe.skipIf(missing !== '')('Terraform state of a cloud stage in S3', () => {
  let project: ProjectCopy;
  let moto: MotoServer;
  let stateDir: string;
  let env: NodeJS.ProcessEnv;
  let s3: S3Client;

  const bootstrap = (...args: string[]) => run({ cwd: project.root, command: process.execPath, args: ['--import', 'tsx', 'scripts/tf-bootstrap.ts', ...args], env });
  const stackTerraform = (...args: string[]) => run({ cwd: project.root, command: 'terraform', args: [`-chdir=${join(project.root, 'terraform')}`, ...args, '-no-color'], env });

  beforeAll(async () => {
    project = copyProject();
    stateDir = mkdtempSync(join(tmpdir(), 'sdp-state-moto-'));
    moto = await startMoto({ port: await freePort(), logFile: join(stateDir, 'moto.log') });
    const base = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_')));
    env = { ...terraformEnv(resolveProviderSource(), base), AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', DEPLOY_ENDPOINT_URL: moto.endpoint };
    s3 = new S3Client({ endpoint: moto.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  }, 120_000);

  afterAll(async () => {
    s3?.destroy();
    await moto?.stop();
    project?.remove();
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  });

  it('plans the state bucket without creating it, then creates it with --apply and records the backend', async () => {
    const backendFile = join(project.root, 'terraform', 'backends', 'dev.s3.tfbackend');
    const plan = await bootstrap('--stage', 'dev');
    expect(plan.status, `${plan.stdout}\n${plan.stderr}`).toBe(0);
    expect(plan.stdout).toContain('tf:bootstrap: plan only, nothing was changed');
    expect((await s3.send(new ListBucketsCommand({}))).Buckets ?? []).toEqual([]);
    expect(existsSync(backendFile)).toBe(false);

    const apply = await bootstrap('--stage', 'dev', '--apply');
    console.log(`tf:bootstrap --apply against moto: ${apply.seconds.toFixed(1)} s`);
    expect(apply.status, `${apply.stdout}\n${apply.stderr}`).toBe(0);
    const bucket = 'sdp-dev-tfstate-123456789012';
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status).toBe('Enabled');
    expect(readFileSync(backendFile, 'utf8')).toMatch(new RegExp(`^bucket {7}= "${bucket}"\\nkey {10}= "sdp/terraform.tfstate"\\nregion {7}= "us-east-1"\\nencrypt {6}= true\\n(#.*\\n)?use_lockfile = true\\n$`, 'm'));
    expect(existsSync(join(project.root, 'terraform', 'bootstrap', 'local_override.tf'))).toBe(false);
  }, 300_000);

  it("keeps stage dev's state in the bucket and refuses to run while another run holds the lock file", async () => {
    // The file the bootstrap wrote, plus what only the test needs: moto as the S3 endpoint.
    const motoBackend = join(stateDir, 'moto.s3.tfbackend');
    writeFileSync(motoBackend, [
      `endpoints = { s3 = "${moto.endpoint}" }`, 'use_path_style = true', 'skip_credentials_validation = true',
      'skip_requesting_account_id = true', 'skip_metadata_api_check = true', 'skip_region_validation = true', '',
    ].join('\n'));
    const init = await stackTerraform('init', '-input=false', '-backend-config=backends/dev.s3.tfbackend', `-backend-config=${motoBackend}`);
    expect(init.status, `${init.stdout}\n${init.stderr}`).toBe(0);
    expect(init.stdout).toContain('Successfully configured the backend "s3"');
    const workspace = await stackTerraform('workspace', 'new', 'dev');
    expect(workspace.status, workspace.stderr).toBe(0);
    const bucket = 'sdp-dev-tfstate-123456789012';
    const lock = { Bucket: bucket, Key: 'env:/dev/sdp/terraform.tfstate.tflock' };

    // A state command takes the lock first: with no lock held, it gets as far as the missing resource.
    const free = await stackTerraform('state', 'rm', 'aws_s3_bucket.data');
    expect(free.stderr).not.toContain('Error acquiring the state lock');
    expect(`${free.stdout}${free.stderr}`).toMatch(/No matching objects found/);

    await s3.send(new PutObjectCommand({ ...lock, Body: JSON.stringify({ ID: 'another-run', Operation: 'OperationTypeApply', Who: 'someone@elsewhere', Version: '1.11.4', Created: new Date().toISOString(), Path: `${bucket}/env:/dev/sdp/terraform.tfstate` }) }));
    const held = await stackTerraform('state', 'rm', '-lock-timeout=0s', 'aws_s3_bucket.data');
    expect(held.status).not.toBe(0);
    expect(held.stderr).toContain('Error acquiring the state lock');
    expect(held.stderr).toContain('someone@elsewhere');
    await s3.send(new DeleteObjectCommand(lock));
  }, 300_000);
});
