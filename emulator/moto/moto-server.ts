import { venvPython } from '../../scripts/lib/python-env.js';
import { assertPortFree, spawnLogged, waitUntilReady } from './managed-process.js';

export interface MotoOptions {
  port: number;
  logFile: string;
  /** The Python that has moto[server] (emulator/requirements.txt); the project venv by default. */
  python?: string;
  /** A script that patches moto and then runs its server, used instead of `-m moto.server`. */
  launcher?: string;
  startTimeoutMs?: number;
}

export interface MotoServer {
  endpoint: string;
  pid: number;
  /** Stops the server and waits until its process is gone. */
  stop(): Promise<void>;
}

/** Starts moto's server on 127.0.0.1:port and resolves once it answers HTTP. */
export async function startMoto(options: MotoOptions): Promise<MotoServer> {
  await assertPortFree(options.port, 'the moto server');
  const entry = options.launcher ? [options.launcher] : ['-m', 'moto.server'];
  const process = spawnLogged({
    command: options.python ?? venvPython,
    args: [...entry, '-H', '127.0.0.1', '-p', String(options.port)],
    logFile: options.logFile,
  });
  const endpoint = `http://127.0.0.1:${options.port}`;
  await waitUntilReady({
    service: `the moto server on port ${options.port}`, process, logFile: options.logFile,
    timeoutMs: options.startTimeoutMs ?? 30_000,
    // moto's own dashboard route: it answers once the server is serving requests.
    probe: async () => (await fetch(`${endpoint}/moto-api/`)).status < 500,
  });
  return { endpoint, pid: process.pid, stop: () => process.stop() };
}
