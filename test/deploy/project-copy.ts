import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../stage/python-env.js';
import { DeadlineExceededError } from '../deadline.js';

/**
 * A throwaway copy of the project (the files git tracks or would track), sharing node_modules and
 * .venv by symlink. Commands run in it keep their Terraform state, workspaces, provider override
 * and dist/ inside it, so the real terraform/ (its dev and prod state, the override of a running
 * `npm run dev:up`) is never touched.
 */
export interface ProjectCopy {
  root: string;
  remove(): void;
}

export function copyProject(): ProjectCopy {
  const root = mkdtempSync(join(tmpdir(), 'sdp-project-'));
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: projectRoot, encoding: 'utf8' })
    .split('\0')
    .filter((file) => file && existsSync(join(projectRoot, file)));
  for (const file of files) cpSync(join(projectRoot, file), join(root, file), { dereference: false });
  for (const shared of ['node_modules', '.venv']) {
    if (existsSync(join(projectRoot, shared))) symlinkSync(realpathSync(join(projectRoot, shared)), join(root, shared));
  }
  return { root, remove: () => rmSync(root, { recursive: true, force: true }) };
}

export interface CommandResult {
  status: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
}

/**
 * Runs `npm run deploy -- ARGS` as the user would, but with tsx directly and exactly the environment given.
 * With `deadlineMs`, a command still running then is killed and the call fails.
 */
export function runDeploy(options: { cwd: string; args: string[]; env: NodeJS.ProcessEnv; deadlineMs?: number }): Promise<CommandResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/deploy.ts', ...options.args], { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = options.deadlineMs === undefined ? undefined : setTimeout(() => {
      child.kill('SIGKILL');
      reject(new DeadlineExceededError(`npm run deploy -- ${options.args.join(' ')} was still running after ${options.deadlineMs! / 1000} s; its output: ${stderr}`));
    }, options.deadlineMs);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr, seconds: (Date.now() - started) / 1000 });
    });
  });
}
