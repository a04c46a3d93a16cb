import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { venvPython } from '../../stage/python-env.js';
import { assertPortFree, spawnLogged, waitUntilReady } from '../process/managed-process.js';

/** moto's server with the patches of moto_patches/: what dev:up and every test run. */
const launcher = join(dirname(fileURLToPath(import.meta.url)), 'moto_server.py');

/** What the command line of the moto server on `port` contains: how a pid file's process is told from a reused pid. */
export function motoCommandFragments(port: number): string[] {
  return [launcher, `-p ${port}`];
}

export class MotoUnavailableError extends Error {
  override readonly name = 'MotoUnavailableError';
}

/** Whether moto serves requests: its own dashboard route answers once it does. */
export async function motoAnswers(endpoint: string): Promise<boolean> {
  try {
    return (await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(2000) })).status < 500;
  } catch {
    return false;
  }
}

/** Waits until the moto server at `endpoint` answers; dev:up starts the emulator while moto is still starting. */
export async function waitForMoto(endpoint: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await motoAnswers(endpoint))) {
    if (Date.now() > deadline) {
      throw new MotoUnavailableError(`the moto server at ${endpoint} did not answer within ${timeoutMs / 1000} s; the emulator needs it as its control plane (see moto's log)`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export interface MotoOptions {
  port: number;
  logFile: string;
  /** The Python that has moto[server] (emulator/requirements.txt); the project venv by default. */
  python?: string;
  /** Keep running after this process ends, in a process group of its own (dev:up). */
  detached?: boolean;
  startTimeoutMs?: number;
}

export interface MotoServer {
  endpoint: string;
  pid: number;
  /** Stops the server and waits until its process is gone. */
  stop(): Promise<void>;
}

/** Starts the patched moto server on 127.0.0.1:port and resolves once it answers HTTP. */
export async function startMoto(options: MotoOptions): Promise<MotoServer> {
  await assertPortFree(options.port, 'the moto server');
  const server = spawnLogged({
    command: options.python ?? venvPython,
    args: [launcher, '-H', '127.0.0.1', '-p', String(options.port)],
    logFile: options.logFile,
    // moto's default answers every CORS preflight with "any origin allowed".
    env: { ...process.env, MOTO_DISABLE_GLOBAL_CORS: 'true' },
    detached: options.detached,
  });
  const endpoint = `http://127.0.0.1:${options.port}`;
  await waitUntilReady({
    service: `the moto server on port ${options.port}`, process: server, logFile: options.logFile,
    timeoutMs: options.startTimeoutMs ?? 30_000,
    probe: () => motoAnswers(endpoint),
  });
  return { endpoint, pid: server.pid, stop: () => server.stop() };
}
