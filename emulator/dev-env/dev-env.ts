import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { removeLocalProviderOverrideFor } from '../../stage/terraform.js';
import { healthPath } from '../gateway/gateway-server.js';
import { iamEnforced } from '../iam/iam-mode.js';
import { sparkSubmitPath } from '../../stage/spark-submit-path.js';
import { motoCommandFragments, startMoto } from '../moto/moto-server.js';
import { stopOrphanedProcesses } from '../glue-runner/orphaned-processes.js';
import { poolStatusFile, type PoolProcessStatus } from '../glue-runner/warm-pool.js';
import { assertPortFree, isOurProcess, isPortFree, listProcesses, spawnLogged, stopPid, waitUntilReady } from '../process/managed-process.js';
import { stopStalePostgres } from '../postgres/stale-postgres.js';
import { defaultPorts, devPaths } from '../../stage/dev-paths.js';
import type { EmulatorServicesConfig } from './emulator-services.js';

const emulatorMain = join(dirname(fileURLToPath(import.meta.url)), 'emulator-main.ts');

export interface DevEnvConfig {
  stateDir: string;
  region: string;
  python: string;
  venvDir: string;
  ports: { gateway: number; moto: number };
  /** The warehouse's Postgres; without it the emulator runs an embedded one under stateDir. */
  postgresUrl?: string;
  /** Whether the gateway enforces IAM; by default EMULATOR_IAM decides (on unless "off"). */
  iam?: boolean;
  /** Pre-warmed Spark processes per Glue job; GLUE_RUNNER_POOL (default 1) when absent. */
  gluePool?: number;
}

export class InvalidPoolSizeError extends Error {
  override readonly name = 'InvalidPoolSizeError';
}

/** GLUE_RUNNER_POOL: pre-warmed Spark processes per Glue job, 1 by default, 0 for none. */
export function gluePoolSize(env: NodeJS.ProcessEnv): number {
  const value = env.GLUE_RUNNER_POOL?.trim() ?? '';
  if (value === '') return 1;
  if (!/^\d+$/.test(value)) throw new InvalidPoolSizeError(`GLUE_RUNNER_POOL is "${value}": give the number of pre-warmed Spark processes per Glue job (0 turns the pool off)`);
  return Number(value);
}

export interface ComponentStatus {
  name: string;
  pid?: number;
  url: string;
  healthy: boolean;
}

function readPid(file: string): number | undefined {
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8'));
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(2000) })).ok;
  } catch {
    return false;
  }
}

interface Component {
  name: string;
  url: string;
  health: string;
  pidFile: string;
  /** What the component's command line contains: a pid file's pid may have been reused by another process since. */
  command: string[];
}

function components(config: DevEnvConfig): Component[] {
  const paths = devPaths(config.stateDir);
  return [
    {
      name: 'moto', url: `http://127.0.0.1:${config.ports.moto}`, health: '/moto-api/', pidFile: paths.pidFile('moto'),
      command: motoCommandFragments(config.ports.moto),
    },
    {
      name: 'emulator', url: `http://127.0.0.1:${config.ports.gateway}`, health: healthPath, pidFile: paths.pidFile('emulator'),
      command: [emulatorMain, `"gatewayPort":${config.ports.gateway}`],
    },
  ];
}

async function iamModeOf(url: string): Promise<string | undefined> {
  try {
    return ((await (await fetch(url + healthPath, { signal: AbortSignal.timeout(2000) })).json()) as { iam?: string }).iam;
  } catch {
    return undefined;
  }
}

/** The component's pid when its pid file names a live process that is that component. */
function runningPid(component: Component): number | undefined {
  const pid = readPid(component.pidFile);
  return isOurProcess(pid, component.command) ? pid : undefined;
}

export interface PooledProcessStatus extends PoolProcessStatus {
  /** Resident memory of the process and its children (the JVM, the Python driver and its workers). */
  memoryBytes: number;
}

/** The Glue runner's pre-warmed Spark processes that are alive, with the memory each holds while it waits. */
export function gluePoolStatus(stateDir: string): PooledProcessStatus[] {
  const poolDir = join(devPaths(stateDir).glueRuns, 'pool');
  const file = poolStatusFile(poolDir);
  if (!existsSync(file)) return [];
  const listed = JSON.parse(readFileSync(file, 'utf8')) as PoolProcessStatus[];
  const processes = listProcesses();
  return listed
    .filter((pooled) => isOurProcess(pooled.pid, [poolDir]))
    .map((pooled) => ({
      ...pooled,
      memoryBytes: processes.filter((candidate) => candidate.pgid === pooled.pid).reduce((sum, member) => sum + member.rssBytes, 0),
    }));
}

export async function status(config: DevEnvConfig): Promise<ComponentStatus[]> {
  return Promise.all(components(config).map(async (component) => {
    const pid = runningPid(component);
    return { name: component.name, pid, url: component.url, healthy: pid !== undefined && await answers(component.url + component.health) };
  }));
}

/**
 * Starts what is not running yet: moto (the control plane), then the emulator process (gateway, Lambda
 * runtime, Glue runner). Returns whether moto started empty, in which case resources must be created again.
 */
export async function up(config: DevEnvConfig): Promise<{ freshControlPlane: boolean; gatewayUrl: string }> {
  const paths = devPaths(config.stateDir);
  mkdirSync(paths.logs, { recursive: true });
  mkdirSync(paths.pids, { recursive: true });
  const [motoComponent, emulatorComponent] = components(config);
  const [moto, emulator] = await status(config);
  // A running emulator started with the other EMULATOR_IAM setting is restarted, so the setting always takes effect.
  const iam = config.iam ?? iamEnforced();
  if (emulator!.healthy && (await iamModeOf(emulator!.url)) !== (iam ? 'on' : 'off')) emulator!.healthy = false;
  // A new moto is an empty control plane: the emulator's role sessions, pollers and runs belong to the one that is gone.
  const freshControlPlane = !moto!.healthy;
  const startEmulator = freshControlPlane || !emulator!.healthy;
  if (startEmulator) {
    await stopComponent(emulatorComponent!);
    await portFreed(config.ports.gateway, 3000);
    await assertPortFree(config.ports.gateway, 'the emulator gateway');
  }
  // moto and the emulator start side by side (a few seconds each); the emulator waits for moto before it needs it.
  let motoStarted: Promise<void> | undefined;
  if (freshControlPlane) {
    await stopComponent(motoComponent!);
    motoStarted = startMoto({ python: config.python, port: config.ports.moto, logFile: paths.logFile('moto'), detached: true })
      .then((started) => writeFileSync(paths.pidFile('moto'), String(started.pid)));
  }
  if (startEmulator) {
    const servicesConfig: EmulatorServicesConfig = {
      stateDir: config.stateDir, motoUrl: moto!.url, gatewayPort: config.ports.gateway, region: config.region,
      python: config.python, sparkSubmit: sparkSubmitPath(config.venvDir), postgresUrl: config.postgresUrl, iam,
      gluePool: config.gluePool ?? gluePoolSize(process.env),
    };
    const child = spawnLogged({
      command: process.execPath, args: ['--import', 'tsx', emulatorMain, JSON.stringify(servicesConfig)],
      logFile: paths.logFile('emulator'), detached: true,
    });
    writeFileSync(paths.pidFile('emulator'), String(child.pid));
    const emulatorReady = waitUntilReady({
      service: 'the emulator', process: child, logFile: paths.logFile('emulator'), timeoutMs: 60_000,
      probe: () => answers(emulator!.url + healthPath),
    });
    // Settled below, after moto: a failed start of the emulator is reported once moto's start has ended, so that
    // its pid file is written and dev:down finds it.
    emulatorReady.catch(() => undefined);
    try {
      await motoStarted;
    } catch (error) {
      await stopComponent(emulatorComponent!);
      throw error;
    }
    await emulatorReady;
  }
  return { freshControlPlane, gatewayUrl: emulator!.url };
}

/**
 * Stops the emulator process alone (moto keeps the control plane) and starts it again with `config`, for
 * a setting the emulator reads at start (the Glue pool size, say) without applying the stage again.
 */
export async function restartEmulator(config: DevEnvConfig): Promise<void> {
  await stopComponent(components(config)[1]!);
  await up(config);
}

/** Stops every component and waits until none of their processes is left. */
export async function down(config: DevEnvConfig): Promise<void> {
  const paths = devPaths(config.stateDir);
  // The emulator first: it stops running jobs, whose uploads still need moto.
  for (const component of [...components(config)].reverse()) await stopComponent(component);
  // An emulator that was killed rather than stopped leaves its embedded Postgres running, and its Glue
  // runs' and pre-warmed Spark processes.
  await stopStalePostgres(join(config.stateDir, 'postgres', 'data'));
  await stopOrphanedProcesses(paths.glueRuns);
  rmSync(paths.endpoints, { force: true });
  // Terraform's provider override points at this stage's gateway; with the stage down it would only
  // make the cloud stages refuse to run.
  removeLocalProviderOverrideFor(`http://127.0.0.1:${config.ports.gateway}`);
}

/** A process that just died may hold its port for a moment. */
async function portFreed(port: number, withinMs: number): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!(await isPortFree(port)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
}

/** Stops the component its pid file names, only after its command line shows it is that component. */
async function stopComponent(component: Component): Promise<void> {
  const pid = runningPid(component);
  if (pid !== undefined) await stopPid(pid, { signal: 'SIGTERM', send: (signal) => signalGroup(pid, signal) });
  rmSync(component.pidFile, { force: true });
}

/** Detached components lead their own process group, so children (werkzeug reloaders, node) go too. */
function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

export function wipe(config: DevEnvConfig): void {
  rmSync(config.stateDir, { recursive: true, force: true });
}

export { defaultPorts };
