import { execFileSync, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
}

export class ProcessStartError extends Error {
  override readonly name = 'ProcessStartError';
}

/** Fails with a message naming the port and the service when something already listens on 127.0.0.1:port. */
export function assertPortFree(port: number, service: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE'
        ? new PortInUseError(`port ${port} on 127.0.0.1 is already in use, so ${service} cannot start there: stop what listens on it (\`npm run dev:down\`, or \`ss -ltnp 'sport = :${port}'\` shows who) or choose another port`)
        : error);
    });
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
  });
}

/** Whether nothing listens on 127.0.0.1:port. */
export function isPortFree(port: number): Promise<boolean> {
  return assertPortFree(port, 'a probe').then(() => true, (error: unknown) => {
    if (error instanceof PortInUseError) return false;
    throw error;
  });
}

/** Any free TCP port on 127.0.0.1, for servers that cannot report the port they bound. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface ManagedProcess {
  pid: number;
  /** Resolves with the exit code (or null after a signal) when the process ends. */
  exited: Promise<number | null>;
  /** Asks the process to stop, kills it after `graceMs`, and resolves once it is gone. */
  stop(): Promise<void>;
}

export interface SpawnLoggedOptions {
  command: string;
  args: string[];
  /** stdout and stderr are appended here. */
  logFile: string;
  env?: NodeJS.ProcessEnv;
  /** Run as this user (only possible as root). */
  uid?: number;
  gid?: number;
  stopSignal?: NodeJS.Signals;
  graceMs?: number;
  /** Outlive this process, leading a process group of its own (the components dev:up leaves running). */
  detached?: boolean;
}

/** A child process with its output in a log file, stopped cleanly on request. */
export function spawnLogged(options: SpawnLoggedOptions): ManagedProcess {
  const log = openSync(options.logFile, 'a');
  const child = spawn(options.command, options.args, {
    stdio: ['ignore', log, log], env: options.env ?? process.env, uid: options.uid, gid: options.gid, detached: options.detached,
  });
  closeSync(log);
  // If this process ends without stopping the child (a crash, Ctrl-C), the child must not outlive it,
  // unless it was started to outlive it.
  const stopOnExit = () => child.kill(options.stopSignal ?? 'SIGTERM');
  if (options.detached) child.unref();
  else process.once('exit', stopOnExit);
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', reject);
  }).finally(() => process.off('exit', stopOnExit));
  return {
    pid: child.pid ?? -1,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(options.stopSignal ?? 'SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), options.graceMs ?? 10_000);
      await exited.catch(() => undefined);
      clearTimeout(timer);
    },
  };
}

function logTail(logFile: string): string {
  try {
    return readFileSync(logFile, 'utf8').trim().split('\n').slice(-15).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * Polls `probe` until it answers true; fails early, with the end of the log, when the process exits,
 * and stops the process when it does not become ready in time.
 */
export async function waitUntilReady(options: { service: string; process: ManagedProcess; logFile: string; probe: () => Promise<boolean>; timeoutMs: number }): Promise<void> {
  let exitCode: number | null | undefined;
  options.process.exited.then((code) => { exitCode = code; }, () => { exitCode = null; });
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    if (exitCode !== undefined) {
      throw new ProcessStartError(`${options.service} exited (code ${exitCode}) before it was ready; end of ${options.logFile}:\n${logTail(options.logFile)}`);
    }
    if (await options.probe().catch(() => false)) return;
    if (Date.now() > deadline) {
      await options.process.stop();
      throw new ProcessStartError(`${options.service} was not ready within ${options.timeoutMs / 1000} s; end of ${options.logFile}:\n${logTail(options.logFile)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Whether a process exists; one that exited but was not reaped yet (e.g. started by a test process) counts as stopped. */
export function isAlive(pid: number | undefined): pid is number {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = `/proc/${pid}/stat`;
  return !(existsSync(stat) && readFileSync(stat, 'utf8').split(') ')[1]?.startsWith('Z'));
}

/**
 * Stops a process we did not spawn (known by pid): `signal`, then SIGKILL when it has not ended within
 * `graceMs`; resolves once it is gone. `send` delivers each signal (e.g. to the process's group).
 */
export async function stopPid(pid: number, options: { signal: NodeJS.Signals; graceMs?: number; send?: (signal: NodeJS.Signals) => void }): Promise<void> {
  const send = options.send ?? ((signal: NodeJS.Signals) => {
    try {
      process.kill(pid, signal);
    } catch {
      // ended in the meantime
    }
  });
  const pause = () => new Promise((resolve) => setTimeout(resolve, 100));
  send(options.signal);
  const deadline = Date.now() + (options.graceMs ?? 10_000);
  while (isAlive(pid) && Date.now() < deadline) await pause();
  if (isAlive(pid)) send('SIGKILL');
  while (isAlive(pid)) await pause();
}

export interface ProcessInfo {
  pid: number;
  /** The process group: a process spawned `detached` leads its own, shared by its children. */
  pgid: number;
  /** Resident memory, in bytes. */
  rssBytes: number;
  command: string;
}

/** Every process of the machine with its group, memory and full command line (`ps`, the same on Linux and macOS). */
export function listProcesses(): ProcessInfo[] {
  const output = execFileSync('ps', ['-axo', 'pid=,pgid=,rss=,command='], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return output.split('\n').flatMap((line) => {
    const match = /^\s*(\d+)\s+(\d+)\s+(\d+)\s(.*)$/.exec(line);
    return match ? [{ pid: Number(match[1]), pgid: Number(match[2]), rssBytes: Number(match[3]) * 1024, command: match[4]!.trim() }] : [];
  });
}

/** The command line of a process, or undefined when it is gone. */
export function commandLine(pid: number): string | undefined {
  try {
    return execFileSync('ps', ['-p', String(pid), '-o', 'command='], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether `pid` is alive and still the process we started, told by every fragment of its command line:
 * a pid alone may have been reused by an unrelated process since it was written down.
 */
export function isOurProcess(pid: number | undefined, fragments: string[]): pid is number {
  if (!isAlive(pid)) return false;
  const command = commandLine(pid);
  return command !== undefined && fragments.every((fragment) => command.includes(fragment));
}
