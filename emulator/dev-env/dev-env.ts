import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { removeLocalProviderOverrideFor } from '../../stage/terraform.js';
import { healthPath } from '../gateway/gateway-server.js';
import { iamEnforced } from '../iam/iam-mode.js';
import { sparkSubmitPath } from '../../stage/spark-submit-path.js';
import { startMoto } from '../moto/moto-server.js';
import { assertPortFree, isAlive, isPortFree, spawnLogged, stopPid, waitUntilReady } from '../process/managed-process.js';
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

function components(config: DevEnvConfig) {
  const paths = devPaths(config.stateDir);
  return [
    { name: 'moto', url: `http://127.0.0.1:${config.ports.moto}`, health: '/moto-api/', pidFile: paths.pidFile('moto') },
    { name: 'emulator', url: `http://127.0.0.1:${config.ports.gateway}`, health: healthPath, pidFile: paths.pidFile('emulator') },
  ];
}

async function iamModeOf(url: string): Promise<string | undefined> {
  try {
    return ((await (await fetch(url + healthPath, { signal: AbortSignal.timeout(2000) })).json()) as { iam?: string }).iam;
  } catch {
    return undefined;
  }
}

export async function status(config: DevEnvConfig): Promise<ComponentStatus[]> {
  return Promise.all(components(config).map(async (component) => {
    const pid = readPid(component.pidFile);
    return { name: component.name, pid: isAlive(pid) ? pid : undefined, url: component.url, healthy: isAlive(pid) && await answers(component.url + component.health) };
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
  const [moto, emulator] = await status(config);
  // A running emulator started with the other EMULATOR_IAM setting is restarted, so the setting always takes effect.
  const iam = config.iam ?? iamEnforced();
  if (emulator!.healthy && (await iamModeOf(emulator!.url)) !== (iam ? 'on' : 'off')) emulator!.healthy = false;
  let freshControlPlane = false;
  if (!moto!.healthy) {
    await stopComponent(paths.pidFile('moto'));
    const started = await startMoto({ python: config.python, port: config.ports.moto, logFile: paths.logFile('moto'), detached: true });
    writeFileSync(paths.pidFile('moto'), String(started.pid));
    freshControlPlane = true;
    // The emulator's role sessions, pollers and runs belong to the control plane that is gone.
    emulator!.healthy = false;
  }
  if (!emulator!.healthy) {
    await stopComponent(paths.pidFile('emulator'));
    await portFreed(config.ports.gateway, 3000);
    await assertPortFree(config.ports.gateway, 'the emulator gateway');
    const servicesConfig: EmulatorServicesConfig = {
      stateDir: config.stateDir, motoUrl: moto!.url, gatewayPort: config.ports.gateway, region: config.region,
      python: config.python, sparkSubmit: sparkSubmitPath(config.venvDir), postgresUrl: config.postgresUrl, iam,
    };
    const child = spawnLogged({
      command: process.execPath, args: ['--import', 'tsx', emulatorMain, JSON.stringify(servicesConfig)],
      logFile: paths.logFile('emulator'), detached: true,
    });
    writeFileSync(paths.pidFile('emulator'), String(child.pid));
    await waitUntilReady({
      service: 'the emulator', process: child, logFile: paths.logFile('emulator'), timeoutMs: 60_000,
      probe: () => answers(emulator!.url + healthPath),
    });
  }
  return { freshControlPlane, gatewayUrl: emulator!.url };
}

/** Stops every component and waits until none of their processes is left. */
export async function down(config: DevEnvConfig): Promise<void> {
  const paths = devPaths(config.stateDir);
  // The emulator first: it stops running jobs, whose uploads still need moto.
  for (const component of [...components(config)].reverse()) await stopComponent(component.pidFile);
  // An emulator that was killed rather than stopped leaves its embedded Postgres running.
  await stopStalePostgres(join(config.stateDir, 'postgres', 'data'));
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

async function stopComponent(pidFile: string): Promise<void> {
  const pid = readPid(pidFile);
  if (isAlive(pid)) await stopPid(pid, { signal: 'SIGTERM', send: (signal) => signalGroup(pid, signal) });
  rmSync(pidFile, { force: true });
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
