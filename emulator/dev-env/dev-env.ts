import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { removeLocalProviderOverrideFor } from '../../scripts/lib/terraform.js';
import { healthPath } from '../gateway/gateway-server.js';
import { sparkSubmitPath } from '../glue-runner/spark-submit-path.js';
import { isAlive, stopPid } from '../moto/managed-process.js';
import { stopStalePostgres } from '../postgres/stale-postgres.js';
import { defaultPorts, devPaths } from './dev-paths.js';
import type { EmulatorServicesConfig } from './emulator-services.js';
import { isPortOpen, PortInUseError, startMoto, waitForHttp } from './moto-process.js';

const emulatorMain = join(dirname(fileURLToPath(import.meta.url)), 'emulator-main.ts');

export interface DevEnvConfig {
  stateDir: string;
  region: string;
  python: string;
  venvDir: string;
  ports: { gateway: number; moto: number };
  /** The warehouse's Postgres; without it the emulator runs an embedded one under stateDir. */
  postgresUrl?: string;
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
  let freshControlPlane = false;
  if (!moto!.healthy) {
    await stopComponent(paths.pidFile('moto'));
    const started = await startMoto({ python: config.python, port: config.ports.moto, logFile: paths.logFile('moto'), detached: true });
    writeFileSync(paths.pidFile('moto'), String(started.pid));
    freshControlPlane = true;
  }
  if (!emulator!.healthy) {
    await stopComponent(paths.pidFile('emulator'));
    if (!(await portFreed(config.ports.gateway, 3000))) {
      throw new PortInUseError(`port ${config.ports.gateway} on 127.0.0.1 is already in use, so the emulator gateway cannot start there: stop what uses it or set another port`);
    }
    const servicesConfig: EmulatorServicesConfig = {
      stateDir: config.stateDir, motoUrl: moto!.url, gatewayPort: config.ports.gateway, region: config.region,
      python: config.python, sparkSubmit: sparkSubmitPath(config.venvDir), postgresUrl: config.postgresUrl,
    };
    const log = openSync(paths.logFile('emulator'), 'a');
    const child = spawn(process.execPath, ['--import', 'tsx', emulatorMain, JSON.stringify(servicesConfig)], {
      detached: true, stdio: ['ignore', log, log],
    });
    child.unref();
    writeFileSync(paths.pidFile('emulator'), String(child.pid));
    const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(
      `the emulator exited during start (code ${code}): ${lastError(paths.logFile('emulator'))}; see ${paths.logFile('emulator')}`,
    ))));
    try {
      await Promise.race([waitForHttp(emulator!.url + healthPath, 60_000), exited]);
    } catch (error) {
      throw new Error((error as Error).message.startsWith('the emulator') ? (error as Error).message : `the emulator did not start: ${(error as Error).message}; see ${paths.logFile('emulator')}`);
    } finally {
      child.removeAllListeners('exit');
    }
  }
  return { freshControlPlane, gatewayUrl: emulator!.url };
}

/** The last error line a crashed component wrote to its log. */
function lastError(logFile: string): string {
  const lines = existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n') : [];
  return [...lines].reverse().find((line) => /^\w*Error\b|Error:/.test(line.trim()))?.trim() ?? 'no error in its log';
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
async function portFreed(port: number, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (await isPortOpen(port)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return true;
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
