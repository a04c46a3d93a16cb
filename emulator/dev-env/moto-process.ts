import { spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { createConnection } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const launcher = join(dirname(fileURLToPath(import.meta.url)), 'moto_server.py');

export class PortInUseError extends Error {}

export function isPortOpen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host });
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

export async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(url);
      if (response.status < 500) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

/** Starts moto's server on 127.0.0.1 (detached when it must outlive the caller) and waits until it answers. */
export async function startMoto(options: { python: string; port: number; logFile: string; detached?: boolean }): Promise<{ pid: number; url: string }> {
  if (await isPortOpen(options.port)) {
    throw new PortInUseError(`port ${options.port} on 127.0.0.1 is already in use, so moto cannot start there: stop what uses it (\`npm run dev:down\`) or choose another port`);
  }
  const log = openSync(options.logFile, 'a');
  const child = spawn(options.python, [launcher, '-H', '127.0.0.1', '-p', String(options.port)], {
    detached: options.detached ?? false, stdio: ['ignore', log, log],
  });
  if (options.detached) child.unref();
  const url = `http://127.0.0.1:${options.port}`;
  await waitForHttp(`${url}/moto-api/`, 20_000);
  return { pid: child.pid!, url };
}
