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
    // moto's own dashboard route: it answers once the server is serving requests.
    probe: async () => (await fetch(`${endpoint}/moto-api/`)).status < 500,
  });
  return { endpoint, pid: server.pid, stop: () => server.stop() };
}
