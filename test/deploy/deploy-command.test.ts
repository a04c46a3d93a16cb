import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListFunctionsCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../emulator/process/managed-process.js';
import { type MotoServer, startMoto } from '../../emulator/moto/moto-server.js';
import { venvPython } from '../../stage/python-env.js';
import { localProviderOverride, terraformVersion } from '../../stage/terraform.js';
import { copyProject, type ProjectCopy, runDeploy } from './project-copy.js';
import { failOrSkip } from '../prerequisites.js';

/** The machine's environment without any AWS setting, so only what a test adds counts. */
function environmentWithoutAws(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AWS_')));
  return { ...env, ...extra };
}

function stderrLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => line.trim() !== '');
}

const terraform = terraformVersion();
const motoInstalled = existsSync(venvPython);
const missing = [!terraform && 'terraform on PATH', !motoInstalled && 'the project venv with moto (npm run setup:python)'].filter(Boolean).join(' and ');
if (missing) failOrSkip({ what: 'the deploy plan against the emulator', missing: `it needs ${missing}` });

describe('npm run deploy', () => {
  let project: ProjectCopy;
  let emptyHome: string;

  beforeAll(() => {
    project = copyProject();
    emptyHome = mkdtempSync(join(tmpdir(), 'sdp-home-'));
  });
  afterAll(() => {
    project?.remove();
    rmSync(emptyHome, { recursive: true, force: true });
  });

  /** A user with no AWS configuration at all: no AWS variables, a HOME without ~/.aws, not on EC2. */
  function noAwsEnvironment(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    return { PATH: process.env.PATH, HOME: emptyHome, AWS_EC2_METADATA_DISABLED: 'true', ...extra };
  }

  describe('refusals, each on one line', () => {
    it('refuses an unknown stage with exit code 2', async () => {
      const result = await runDeploy({ cwd: project.root, args: ['--stage', 'qa'], env: noAwsEnvironment() });
      expect(result.status).toBe(2);
      expect(stderrLines(result.stderr)).toEqual(['deploy: unknown stage "qa": --stage must be dev or prod']);
    });

    it('refuses stage local and points to npm run dev:up', async () => {
      const result = await runDeploy({ cwd: project.root, args: ['--stage', 'local'], env: noAwsEnvironment() });
      expect(result.status).toBe(2);
      expect(stderrLines(result.stderr)).toHaveLength(1);
      expect(result.stderr).toMatch(/^deploy: stage local is the emulator, not a deploy target: `npm run dev:up`/);
    });

    it('refuses a missing --stage and an unknown option with the usage', async () => {
      for (const args of [[], ['--stage', 'dev', '--force']]) {
        const result = await runDeploy({ cwd: project.root, args, env: noAwsEnvironment() });
        expect(result.status, args.join(' ')).toBe(2);
        expect(stderrLines(result.stderr)).toHaveLength(1);
        expect(result.stderr).toContain('usage: npm run deploy -- --stage dev|prod [--apply]');
      }
    });

    it('stops when no AWS credentials are found, before building or planning anything', async () => {
      // The copy is shared: a plan test may have built into it already.
      rmSync(join(project.root, 'dist'), { recursive: true, force: true });
      const result = await runDeploy({ cwd: project.root, args: ['--stage', 'dev'], env: noAwsEnvironment() });
      expect(result.status).toBe(1);
      expect(stderrLines(result.stderr)).toHaveLength(1);
      expect(result.stderr).toMatch(/^deploy: no AWS credentials found .*: set AWS_PROFILE .* or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, then retry\n$/);
      expect(result.stdout).toBe('');
      expect(existsSync(join(project.root, 'dist'))).toBe(false);
    });

    it('does not hang on an instance metadata service that never answers', async () => {
      const sockets: Socket[] = [];
      const blackHole: Server = createServer((socket) => sockets.push(socket));
      const port = await new Promise<number>((resolve) => blackHole.listen(0, '127.0.0.1', () => resolve((blackHole.address() as { port: number }).port)));
      try {
        // The metadata service stays enabled here, pointed at a listener that accepts and never answers.
        const env = { PATH: process.env.PATH, HOME: emptyHome, AWS_EC2_METADATA_SERVICE_ENDPOINT: `http://127.0.0.1:${port}` };
        // The deploy gives up on credentials after 5 s; a deploy that waited on the silent service would hang.
        const result = await runDeploy({ cwd: project.root, args: ['--stage', 'prod'], env, deadlineMs: 45_000 });
        expect(result.status).toBe(1);
        expect(stderrLines(result.stderr)).toHaveLength(1);
        expect(result.stderr).toMatch(/^deploy: (no AWS credentials found|looking up AWS credentials took longer)/);
        expect(sockets.length, 'the metadata service was asked').toBeGreaterThan(0);
        console.log(`deploy without credentials, metadata service silent: gave up after ${result.seconds.toFixed(1)} s`);
      } finally {
        for (const socket of sockets) socket.destroy();
        blackHole.close();
      }
    });

    it('refuses a cloud stage while the emulator override of npm run dev:up is present, and leaves it alone', async () => {
      const overrideFile = join(project.root, 'terraform', 'local_override.tf');
      const override = localProviderOverride({ endpoint: 'http://127.0.0.1:4566' });
      writeFileSync(overrideFile, override);
      try {
        const result = await runDeploy({ cwd: project.root, args: ['--stage', 'prod'], env: noAwsEnvironment({ AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test' }) });
        expect(result.status).toBe(2);
        expect(stderrLines(result.stderr)).toEqual([
          'deploy: terraform/local_override.tf points the provider at the emulator, so stage prod would not reach AWS: delete it (or run `npm run dev:down`) and retry',
        ]);
        expect(readFileSync(overrideFile, 'utf8')).toBe(override);
      } finally {
        rmSync(overrideFile, { force: true });
      }
    });
  });

  describe.skipIf(missing !== '')('against the emulator (DEPLOY_ENDPOINT_URL)', () => {
    let moto: MotoServer;
    let stateDir: string;

    beforeAll(async () => {
      stateDir = mkdtempSync(join(tmpdir(), 'sdp-deploy-moto-'));
      moto = await startMoto({ port: await freePort(), logFile: join(stateDir, 'moto.log') });
    });
    afterAll(async () => {
      await moto?.stop();
      rmSync(stateDir, { recursive: true, force: true });
    });

    it('plans every part of the pipeline on stage dev in the region of its tfvars, and creates nothing without --apply', async () => {
      // The region comes from the stage's variables: the copy's dev stage moves to another one.
      appendFileSync(join(project.root, 'terraform', 'stages', 'dev.tfvars'), 'region = "eu-west-1"\n');
      const env = environmentWithoutAws({ AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', DEPLOY_ENDPOINT_URL: moto.endpoint });
      const result = await runDeploy({ cwd: project.root, args: ['--stage', 'dev'], env });
      console.log(`deploy --stage dev (plan) against moto: ${result.seconds.toFixed(1)} s`);
      expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);

      // Who and where, before the plan.
      const identityLine = result.stdout.indexOf('deploy: stage dev: account 123456789012');
      expect(identityLine).toBeGreaterThanOrEqual(0);
      expect(result.stdout).toContain(`region eu-west-1, on the AWS-compatible endpoint ${moto.endpoint} (DEPLOY_ENDPOINT_URL, a rehearsal with its own throwaway state), not AWS`);
      expect(identityLine).toBeLessThan(result.stdout.indexOf('Terraform will perform the following actions'));

      // The build ran and the plan names the stage's resources, one of each concern.
      for (const artifact of ['lambda/trigger.zip', 'lambda/loader.zip', 'glue/clean_sales.py', 'glue/sales_cleaning.zip']) {
        expect(existsSync(join(project.root, 'dist', artifact)), artifact).toBe(true);
      }
      const planned = new Set([...result.stdout.matchAll(/^\s*# (\S+) will be created$/gm)].map((match) => match[1]));
      const pipeline = [
        'aws_s3_bucket.data', 'aws_s3_bucket_notification.data', 'aws_sqs_queue.ingest', 'aws_sqs_queue.ingest_dlq',
        'aws_lambda_function.trigger', 'aws_lambda_event_source_mapping.ingest', 'aws_s3_object.glue_script', 'aws_s3_object.glue_package',
        'aws_glue_job.clean_sales', 'aws_cloudwatch_event_rule.glue_job_finished', 'aws_lambda_function.loader', 'aws_redshift_cluster.this',
        'aws_kms_key.data', 'aws_vpc.this',
      ];
      expect(pipeline.filter((address) => !planned.has(address))).toEqual([]);
      expect(result.stdout).toContain('"sdp-dev-clean-sales"');
      expect(result.stdout).toMatch(/^\s*\+ region\s+= "eu-west-1"$/m);
      expect(result.stdout).toMatch(new RegExp(`Plan: ${planned.size} to add, 0 to change, 0 to destroy\\.`));
      expect(result.stdout).toContain('deploy: plan only, nothing was changed');
      expect(result.stdout).not.toContain('Apply complete');

      // Nothing exists in moto, and the generated override is gone again.
      const client = { endpoint: moto.endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
      expect((await new S3Client({ ...client, forcePathStyle: true }).send(new ListBucketsCommand({}))).Buckets ?? []).toEqual([]);
      expect((await new SQSClient(client).send(new ListQueuesCommand({}))).QueueUrls ?? []).toEqual([]);
      expect((await new LambdaClient(client).send(new ListFunctionsCommand({}))).Functions ?? []).toEqual([]);
      expect(existsSync(join(project.root, 'terraform', 'local_override.tf'))).toBe(false);
      // The rehearsal kept no state in the stage's own workspace.
      expect(existsSync(join(project.root, 'terraform', 'terraform.tfstate.d', 'dev', 'terraform.tfstate'))).toBe(false);
    }, 180_000);
  });
});
