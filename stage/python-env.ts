import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const venvDir = join(projectRoot, '.venv');
export const venvPython = join(venvDir, 'bin', 'python');

/** Installed with `pip -r`; requirements-dev.txt includes the job's own requirements.txt. */
const installedRequirementFiles = ['glue/requirements-dev.txt', 'emulator/requirements.txt'];
const requirementFiles = ['glue/requirements.txt', ...installedRequirementFiles];

export class PrerequisiteError extends Error {
  override readonly name = 'PrerequisiteError';
}

function versionOf(command: string, args: string[]): string | undefined {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.error || result.status !== 0) return undefined;
  return `${result.stdout}${result.stderr}`;
}

/** Finds a Python 3.11 interpreter (the version AWS Glue 5.0 runs) or explains what to install. */
export function findSystemPython(): string {
  for (const candidate of ['python3.11', 'python3']) {
    const output = versionOf(candidate, ['--version']);
    if (output && /Python 3\.11\./.test(output)) return candidate;
  }
  throw new PrerequisiteError('Python 3.11 is required (AWS Glue 5.0 runs Python 3.11): install python3.11 and run `npm run setup:python`');
}

/** Checks that a Java 17 runtime is on PATH, as Spark 3.5 on Glue 5.0 needs. */
export function requireJava(): void {
  const output = versionOf('java', ['-version']);
  if (!output) throw new PrerequisiteError('Java 17 is required to run Spark: install a JDK 17 (e.g. openjdk-17-jre-headless) and make `java` available on PATH');
  const major = /version "(\d+)/.exec(output)?.[1];
  if (major !== '17') throw new PrerequisiteError(`Java 17 is required to run Spark (AWS Glue 5.0), found Java ${major ?? 'unknown'}: install a JDK 17`);
}

function requirementsDigest(files: string[]): string {
  const hash = createHash('sha256');
  for (const file of files) {
    const path = join(projectRoot, file);
    if (existsSync(path)) hash.update(file).update(readFileSync(path));
  }
  return hash.digest('hex');
}

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: projectRoot });
  if (result.status !== 0) throw new PrerequisiteError(`\`${command} ${args.join(' ')}\` failed (exit ${result.status})`);
}

/** Creates or updates the project-local virtualenv when the requirement files changed. */
export function ensurePythonEnv(options: { quiet?: boolean } = {}): string {
  const stamp = join(venvDir, '.requirements-digest');
  const digest = requirementsDigest(requirementFiles);
  if (existsSync(venvPython) && existsSync(stamp) && readFileSync(stamp, 'utf8') === digest) return venvPython;
  const python = findSystemPython();
  if (!existsSync(venvPython)) {
    if (!options.quiet) console.log('Creating the project Python environment in .venv (Glue 5.0: PySpark 3.5.4, Python 3.11)');
    run(python, ['-m', 'venv', venvDir]);
  }
  const args = ['-m', 'pip', 'install', '--quiet'];
  for (const file of installedRequirementFiles) {
    if (existsSync(join(projectRoot, file))) args.push('-r', file);
  }
  if (!options.quiet) console.log('Installing Python requirements into .venv (first run downloads PySpark, about 320 MB)');
  run(venvPython, args);
  writeFileSync(stamp, digest);
  return venvPython;
}

export const checkovVenvDir = join(projectRoot, '.venv-checkov');
const checkovRequirements = 'terraform/requirements-checkov.txt';

/** checkov in a virtualenv of its own, so its pins never meet the job's or moto's; returns its executable. */
export function ensureCheckovEnv(options: { quiet?: boolean } = {}): string {
  const checkov = join(checkovVenvDir, 'bin', 'checkov');
  const python = join(checkovVenvDir, 'bin', 'python');
  const stamp = join(checkovVenvDir, '.requirements-digest');
  const digest = requirementsDigest([checkovRequirements]);
  if (existsSync(checkov) && existsSync(stamp) && readFileSync(stamp, 'utf8') === digest) return checkov;
  if (!existsSync(python)) run(findSystemPython(), ['-m', 'venv', checkovVenvDir]);
  if (!options.quiet) console.log(`Installing checkov into .venv-checkov from ${checkovRequirements}`);
  run(python, ['-m', 'pip', 'install', '--quiet', '-r', checkovRequirements]);
  writeFileSync(stamp, digest);
  return checkov;
}
