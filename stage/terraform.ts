import { spawn, spawnSync, type StdioOptions } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from './python-env.js';
import { stackOutputsFromTerraformJson, type StackOutputs } from './stack-outputs.js';

export const terraformDir = join(projectRoot, 'terraform');
/** Git-ignored: the CLI configuration generated for this machine's provider mirror. */
export const generatedDir = join(terraformDir, '.generated');
/** Git-ignored: the tflocal-style provider override of the local stage. */
export const localOverrideFile = join(terraformDir, 'local_override.tf');
/** Where stages dev and prod keep their state: one `<stage>.s3.tfbackend` each, written by `npm run tf:bootstrap`. */
export const backendsDir = join(terraformDir, 'backends');
/** Which backend terraform/.terraform is initialised for, so the wrapper re-initialises only on a change. */
const backendMarkerFile = join(terraformDir, '.terraform', 'sdp-backend');

export const stages = ['local', 'dev', 'prod'] as const;
export type Stage = (typeof stages)[number];

export class TerraformNotFoundError extends Error {
  override readonly name = 'TerraformNotFoundError';
}
export class LocalOverrideError extends Error {
  override readonly name = 'LocalOverrideError';
}
export class TerraformCommandError extends Error {
  override readonly name = 'TerraformCommandError';
}
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
export class StateBackendError extends Error {
  override readonly name = 'StateBackendError';
}

/** Where `terraform init` gets providers from, and why. */
export type ProviderSource =
  | { kind: 'configured'; cliConfigFile: string }
  | { kind: 'mirror'; mirrorDir: string; foundBy: string }
  | { kind: 'registry' };

const mirrorMarker = join('registry.terraform.io', 'hashicorp', 'aws');

/** The roots a generic install lands in; only their direct children are looked at. */
export const defaultScanRoots = ['/opt', '/usr/local/share', '/usr/share'];

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function declaresProviderInstallation(file: string | undefined): file is string {
  return file !== undefined && existsSync(file) && /^\s*provider_installation\s*\{/m.test(readFileSync(file, 'utf8'));
}

function holdsAwsProvider(dir: string): boolean {
  return isDirectory(join(dir, mirrorMarker));
}

/** Terraform's implied local mirror directories on Unix (see the CLI configuration docs). */
export function impliedMirrorDirs(env: NodeJS.ProcessEnv, home: string): string[] {
  const dataDirs = (env.XDG_DATA_DIRS ?? '/usr/local/share:/usr/share').split(':').filter(Boolean);
  return [
    join(home, '.terraform.d', 'plugins'),
    join(env.XDG_DATA_HOME ?? join(home, '.local', 'share'), 'terraform', 'plugins'),
    ...dataDirs.map((dir) => join(dir, 'terraform', 'plugins')),
  ];
}

function scanForMirror(roots: string[]): string | undefined {
  for (const root of roots) {
    if (!isDirectory(root)) continue;
    for (const child of readdirSync(root).sort()) {
      const candidate = join(root, child);
      if (holdsAwsProvider(candidate)) return candidate;
    }
  }
  return undefined;
}

/**
 * Decides where providers come from: an explicit CLI configuration, an explicit or discovered
 * filesystem mirror, or else the public registry. Discovery happens on every run, so no
 * machine's path is ever written into the repository.
 */
export function resolveProviderSource(options: { env?: NodeJS.ProcessEnv; home?: string; scanRoots?: string[] } = {}): ProviderSource {
  const env = options.env ?? process.env;
  const home = options.home ?? homedir();
  const configured = [env.TF_CLI_CONFIG_FILE, join(home, '.terraformrc')].find(declaresProviderInstallation);
  if (configured) return { kind: 'configured', cliConfigFile: configured };

  if (env.TF_PROVIDER_MIRROR) {
    if (!holdsAwsProvider(env.TF_PROVIDER_MIRROR)) {
      throw new TerraformCommandError(`TF_PROVIDER_MIRROR=${env.TF_PROVIDER_MIRROR} holds no ${mirrorMarker}: point it at a provider mirror folder or unset it`);
    }
    return { kind: 'mirror', mirrorDir: env.TF_PROVIDER_MIRROR, foundBy: 'TF_PROVIDER_MIRROR' };
  }
  const implied = impliedMirrorDirs(env, home).find(holdsAwsProvider);
  if (implied) return { kind: 'mirror', mirrorDir: implied, foundBy: "Terraform's implied local mirror directories" };
  const scanRoots = options.scanRoots ?? defaultScanRoots;
  const scanned = scanForMirror(scanRoots);
  if (scanned) return { kind: 'mirror', mirrorDir: scanned, foundBy: `scanning ${scanRoots.join(', ')}` };
  return { kind: 'registry' };
}

/** The `<host>/<namespace>/<type>` addresses a filesystem mirror holds. */
export function mirroredProviders(mirrorDir: string): string[] {
  const addresses: string[] = [];
  for (const host of readdirSync(mirrorDir).filter((name) => isDirectory(join(mirrorDir, name)))) {
    for (const namespace of readdirSync(join(mirrorDir, host)).filter((name) => isDirectory(join(mirrorDir, host, name)))) {
      for (const type of readdirSync(join(mirrorDir, host, namespace)).filter((name) => isDirectory(join(mirrorDir, host, namespace, name)))) {
        addresses.push(`${host}/${namespace}/${type}`);
      }
    }
  }
  return addresses.sort();
}

/** A CLI configuration that installs the mirrored providers from the mirror and nothing else directly. */
export function mirrorCliConfig(mirrorDir: string): string {
  const include = mirroredProviders(mirrorDir).map((address) => JSON.stringify(address)).join(', ');
  return [
    '# Generated by stage/terraform.ts for this machine; not committed.',
    'provider_installation {',
    '  filesystem_mirror {',
    `    path    = ${JSON.stringify(mirrorDir)}`,
    `    include = [${include}]`,
    '  }',
    '  direct {',
    `    exclude = [${include}]`,
    '  }',
    '}',
    '',
  ].join('\n');
}

export function describeProviderSource(source: ProviderSource): string {
  switch (source.kind) {
    case 'configured':
      return `providers as configured in ${source.cliConfigFile}`;
    case 'mirror':
      return `providers from the filesystem mirror ${source.mirrorDir} (found by ${source.foundBy})`;
    case 'registry':
      return 'providers from the public Terraform registry (no provider mirror configured or found)';
  }
}

/** The environment for a Terraform child process: the provider source, no prompts. */
export function terraformEnv(source: ProviderSource, baseEnv: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...baseEnv, TF_IN_AUTOMATION: '1', TF_INPUT: '0' };
  if (source.kind === 'configured') env.TF_CLI_CONFIG_FILE = source.cliConfigFile;
  if (source.kind === 'mirror') {
    mkdirSync(generatedDir, { recursive: true });
    const file = join(generatedDir, 'terraformrc');
    writeFileSync(file, mirrorCliConfig(source.mirrorDir));
    env.TF_CLI_CONFIG_FILE = file;
  }
  // A TF_CLI_CONFIG_FILE naming a missing file only produces a warning on every command.
  if (source.kind === 'registry' && env.TF_CLI_CONFIG_FILE && !existsSync(env.TF_CLI_CONFIG_FILE)) delete env.TF_CLI_CONFIG_FILE;
  return env;
}

/** The terraform binary's version line, or undefined when there is none on PATH. */
export function terraformVersion(): string | undefined {
  const result = spawnSync('terraform', ['version'], { encoding: 'utf8' });
  if (result.error || result.status !== 0) return undefined;
  return result.stdout.split('\n')[0];
}

export function requireTerraform(): string {
  const version = terraformVersion();
  if (!version) throw new TerraformNotFoundError('terraform was not found on PATH: install Terraform 1.10 or newer and make `terraform` available on PATH');
  return version;
}

/** The AWS services the pipeline uses, each pointed at the emulator on stage local. */
const emulatedServices = [
  'cloudwatch', 'cloudwatchlogs', 'dynamodb', 'ec2', 'eventbridge', 'glue', 'iam', 'kms', 'lambda',
  'redshift', 'redshiftdata', 's3', 'secretsmanager', 'sns', 'sqs', 'sts',
];

/** The provider override of stage local, tflocal style: endpoints and dummy credentials, nothing else. */
export function localProviderOverride(options: { endpoint: string }): string {
  const endpoints = emulatedServices.map((service) => `    ${service.padEnd(14)} = ${JSON.stringify(options.endpoint)}`).join('\n');
  return [
    '# Generated by stage/terraform.ts for stage local (the emulator); never committed.',
    '# Terraform merges this into providers.tf: same resources, other endpoints and credentials.',
    'provider "aws" {',
    '  access_key                  = "test"',
    '  secret_key                  = "test"',
    '  s3_use_path_style           = true',
    '  skip_credentials_validation = true',
    '  skip_requesting_account_id  = true',
    '  skip_metadata_api_check     = true',
    '  skip_region_validation      = true',
    '  # The emulator answers at once: a 5xx there is a missing feature, which retries would only hide for minutes.',
    '  max_retries = 2',
    '',
    '  endpoints {',
    endpoints,
    '  }',
    '}',
    '',
    '# The emulator\'s state stays on this machine (the S3 backend of versions.tf is for dev and prod).',
    'terraform {',
    '  backend "local" {}',
    '}',
    '',
  ].join('\n');
}

export function writeLocalProviderOverride(options: { endpoint: string }): string {
  writeFileSync(localOverrideFile, localProviderOverride(options));
  return localOverrideFile;
}

export function removeLocalProviderOverride(): void {
  rmSync(localOverrideFile, { force: true });
}

/** Removes the override only when it is the one generated for this endpoint (another local stage may own it). */
export function removeLocalProviderOverrideFor(endpoint: string): void {
  if (existsSync(localOverrideFile) && readFileSync(localOverrideFile, 'utf8') === localProviderOverride({ endpoint })) removeLocalProviderOverride();
}

/** Commands that read the stage's variables and state. */
const stagedCommands = new Set(['plan', 'apply', 'destroy', 'refresh', 'import', 'console']);
/** Commands that work on the stage's state (its workspace) without variables. */
const workspaceCommands = new Set([...stagedCommands, 'output', 'state', 'show', 'taint', 'untaint']);

/** Refuses a stage whose provider configuration would reach the wrong AWS. */
export function checkStageOverride(stage: Stage, overridePresent: boolean): void {
  if (stage === 'local' && !overridePresent) {
    throw new LocalOverrideError('stage local needs the emulator endpoint: pass --endpoint URL (e.g. http://127.0.0.1:4566) or start the emulator with `npm run dev:up`');
  }
  if (stage !== 'local' && overridePresent) {
    throw new LocalOverrideError(`terraform/local_override.tf points the provider at the emulator, so stage ${stage} would not reach AWS: delete it (or run \`npm run dev:down\`) and retry`);
  }
}

/**
 * A run that its caller points at an emulator on purpose, whatever the stage (a deploy rehearsal
 * and its test): the override must be present and exactly the one generated for that endpoint,
 * so a stale or foreign override is still refused.
 */
export function checkEmulatorOverride(endpoint: string, override: string | undefined): void {
  if (override !== localProviderOverride({ endpoint })) {
    throw new LocalOverrideError(`terraform/local_override.tf is ${override === undefined ? 'missing' : 'not the override generated'} for the emulator endpoint ${endpoint}: run the command again, and do not edit or delete the override while it runs`);
  }
}

/** The arguments for one command on a stage: its tfvars file for the commands that take variables. */
export function stageArgs(args: string[], stage: Stage | undefined): string[] {
  const [command, ...rest] = args;
  if (!stage || !command || !stagedCommands.has(command)) return args;
  return [command, `-var-file=stages/${stage}.tfvars`, ...rest];
}

/** Where a command's state lives: on this machine (stage local and rehearsals, through the override), or in the stage's S3 bucket. */
export type StateBackend = { kind: 'local' } | { kind: 's3'; configFile: string };

export function backendConfigFile(stage: Stage, dir = backendsDir): string {
  return join(dir, `${stage}.s3.tfbackend`);
}

/**
 * The state backend of a run: none for commands without a stage (validate, test, fmt), the local backend
 * whenever the emulator override is in place, else the stage's S3 bucket as `npm run tf:bootstrap` recorded
 * it. A cloud stage with state from before the S3 backend is refused until that state is moved.
 */
export function stateBackend(options: { stage?: Stage; overridePresent: boolean; dir?: string; legacyStateDir?: string }): StateBackend | undefined {
  const { stage } = options;
  if (!stage) return undefined;
  if (options.overridePresent || stage === 'local') return { kind: 'local' };
  const configFile = backendConfigFile(stage, options.dir);
  if (!existsSync(configFile)) {
    throw new StateBackendError(`stage ${stage} keeps its Terraform state in S3, and terraform/backends/${stage}.s3.tfbackend does not exist yet: create the state bucket with \`npm run tf:bootstrap -- --stage ${stage} --apply\` (terraform/README.md, "Terraform state")`);
  }
  const legacyState = join(options.legacyStateDir ?? join(terraformDir, 'terraform.tfstate.d'), stage, 'terraform.tfstate');
  if (existsSync(legacyState) && statSync(legacyState).size > 0) {
    throw new StateBackendError(`stage ${stage} still has local state in terraform/terraform.tfstate.d/${stage}: move it to S3 with \`npm run tf -- init -migrate-state -force-copy --stage ${stage}\`, check \`npm run tf -- state list --stage ${stage}\`, then delete that folder`);
  }
  return { kind: 's3', configFile };
}

function backendFingerprint(backend: StateBackend): string {
  return backend.kind === 'local' ? 'local' : `s3:${createHash('sha256').update(readFileSync(backend.configFile)).digest('hex')}`;
}

export interface TerraformRunOptions {
  args: string[];
  stage?: Stage;
  /** Where output goes; 'pipe' returns it. */
  stdio?: StdioOptions;
  /** Announce the provider source on stderr (once per process is enough). */
  announce?: boolean;
  /** This run targets the emulator at this endpoint on purpose, through the override its caller wrote (see checkEmulatorOverride). */
  emulatorEndpoint?: string;
}

export interface TerraformResult {
  status: number;
  stdout: string;
  stderr: string;
}

let announced = false;

/**
 * Asynchronous, so that callers such as the test tier keep their event loop running while a
 * plan takes its tens of seconds, and can run several commands side by side.
 */
function spawnTerraform(args: string[], env: NodeJS.ProcessEnv, stdio: StdioOptions, dir = terraformDir): Promise<TerraformResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('terraform', [`-chdir=${dir}`, ...args], { env, stdio });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', (error) => reject(new TerraformCommandError(`could not run terraform ${args[0] ?? ''}: ${error.message}`)));
    child.on('close', (status) => resolve({ status: status ?? 1, stdout, stderr }));
  });
}

/**
 * Runs one Terraform command in terraform/: initialises on first use, selects the stage's
 * workspace (one state per stage) and adds the stage's tfvars where the command takes them.
 */
/**
 * Initialises terraform/ for the run's backend: the providers alone (-backend=false) for commands without a
 * stage, else the stage's backend, re-initialised (-reconfigure, never moving state) only when it changed.
 * An explicit `init` with a stage always runs, with the user's own flags (e.g. -migrate-state).
 */
async function initialise(options: { backend: StateBackend | undefined; explicitInit?: string[]; env: NodeJS.ProcessEnv; stdio: StdioOptions }): Promise<TerraformResult | undefined> {
  const { backend, explicitInit, env, stdio } = options;
  const initialised = existsSync(join(terraformDir, '.terraform', 'providers'));
  if (!backend) return initialised ? undefined : spawnTerraform(['init', '-input=false', '-backend=false'], env, stdio);
  const wanted = backendFingerprint(backend);
  if (!explicitInit && initialised && existsSync(backendMarkerFile) && readFileSync(backendMarkerFile, 'utf8') === wanted) return undefined;
  const flags = explicitInit ?? ['-input=false', '-reconfigure'];
  const init = await spawnTerraform(['init', ...flags, ...(backend.kind === 's3' ? [`-backend-config=${backend.configFile}`] : [])], env, stdio);
  if (init.status === 0) writeFileSync(backendMarkerFile, wanted);
  return init;
}

export async function runTerraform(options: TerraformRunOptions): Promise<TerraformResult> {
  requireTerraform();
  const source = resolveProviderSource();
  if (options.announce !== false && !announced) {
    console.error(`terraform: ${describeProviderSource(source)}`);
    announced = true;
  }
  const env = terraformEnv(source);
  const stdio = options.stdio ?? 'inherit';
  const [command, ...rest] = options.args;
  const staged = Boolean(options.stage && command && (workspaceCommands.has(command) || command === 'init'));
  if (staged) {
    if (options.emulatorEndpoint) {
      checkEmulatorOverride(options.emulatorEndpoint, existsSync(localOverrideFile) ? readFileSync(localOverrideFile, 'utf8') : undefined);
    } else checkStageOverride(options.stage!, existsSync(localOverrideFile));
  }
  if (command === 'fmt' || (command === 'init' && !staged)) return spawnTerraform(options.args, env, stdio);
  const backend = staged ? stateBackend({ stage: options.stage, overridePresent: existsSync(localOverrideFile) }) : undefined;
  const init = await initialise({ backend, explicitInit: command === 'init' ? rest : undefined, env, stdio });
  if (command === 'init') return init!;
  if (init && init.status !== 0) return init;
  if (staged) {
    const workspace = await spawnTerraform(['workspace', 'select', '-or-create', options.stage!], env, 'pipe');
    if (workspace.status !== 0) throw new TerraformCommandError(`could not select the Terraform workspace ${options.stage}: ${workspace.stderr.trim()}`);
  }
  return spawnTerraform(stageArgs(options.args, options.stage), env, stdio);
}

/** One Terraform command in another root module (terraform/bootstrap), with the same provider source and no prompts. */
export function runTerraformIn(options: { dir: string; args: string[]; stdio?: StdioOptions }): Promise<TerraformResult> {
  requireTerraform();
  return spawnTerraform(options.args, terraformEnv(resolveProviderSource()), options.stdio ?? 'inherit', options.dir);
}

/**
 * Variables of a stage as Terraform reads them (the stage's tfvars over the defaults of variables.tf), without
 * initialising terraform/: `terraform console` in a scratch copy of the two files.
 */
export async function stageVariables(stage: Stage, names: string[]): Promise<Record<string, unknown>> {
  const scratch = mkdtempSync(join(tmpdir(), `sdp-vars-${stage}-`));
  try {
    cpSync(join(terraformDir, 'variables.tf'), join(scratch, 'variables.tf'));
    cpSync(join(terraformDir, 'stages', `${stage}.tfvars`), join(scratch, 'terraform.tfvars'));
    const expression = join(scratch, 'expression');
    writeFileSync(expression, `jsonencode({ ${names.map((name) => `${name} = var.${name}`).join(', ')} })\n`);
    const fd = openSync(expression, 'r');
    try {
      const result = await spawnTerraform(['console'], terraformEnv(resolveProviderSource()), [fd, 'pipe', 'pipe'], scratch);
      if (result.status !== 0) throw new TerraformCommandError(`terraform could not read the variables of stage ${stage}: ${result.stderr.trim().split('\n').slice(-3).join(' ')}`);
      return JSON.parse(JSON.parse(result.stdout.trim()) as string) as Record<string, unknown>;
    } finally {
      closeSync(fd);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The stack's outputs on a stage (what `npm run dev:up` records for stage local). */
export async function terraformOutputs(stage: Stage, options: { stateFile?: string } = {}): Promise<StackOutputs> {
  const state = options.stateFile ? [`-state=${options.stateFile}`] : [];
  const result = await runTerraform({ args: ['output', '-json', ...state], stage, stdio: 'pipe', announce: false });
  if (result.status !== 0) throw new TerraformCommandError(`terraform output failed on stage ${stage}: ${result.stderr.trim()}`);
  return stackOutputsFromTerraformJson(result.stdout);
}

/** Splits `npm run tf` arguments into Terraform's own and the wrapper's --stage and --endpoint. */
export function parseTerraformCliArgs(argv: string[]): { args: string[]; stage?: Stage; endpoint?: string } {
  const args: string[] = [];
  let stage: Stage | undefined;
  let endpoint: string | undefined;
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index]!;
    if (arg === '--stage' || arg === '--endpoint') {
      const value = argv[++index];
      if (!value) throw new UsageError(`${arg} needs a value`);
      if (arg === '--endpoint') endpoint = value;
      else if ((stages as readonly string[]).includes(value)) stage = value as Stage;
      else throw new UsageError(`--stage must be one of ${stages.join(', ')}, got "${value}"`);
    } else args.push(arg);
  }
  if (args.length === 0) throw new UsageError('usage: npm run tf -- <terraform command and args> [--stage local|dev|prod] [--endpoint URL]');
  if (endpoint && stage !== 'local') throw new UsageError('--endpoint applies to --stage local only');
  return { args, stage, endpoint };
}
