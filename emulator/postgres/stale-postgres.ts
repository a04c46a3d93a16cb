import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isOurProcess, stopPid } from '../process/managed-process.js';

/**
 * Stops a Postgres server still running on this data directory, and returns its pid.
 *
 * An emulator that is killed (SIGKILL, a crash of the machine's session) leaves its Postgres child
 * behind, holding postmaster.pid: the next start would fail with "lock file already exists", and
 * dev:down would leave a process running. Only a process whose command line names this data directory
 * is stopped, so a pid reused by something else is left alone.
 */
export async function stopStalePostgres(dataDir: string, timeoutMs = 10_000): Promise<number | undefined> {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isOurProcess(pid, [dataDir])) return undefined;
  // SIGINT is Postgres's fast shutdown; SIGKILL only when it does not end in time.
  await stopPid(pid, { signal: 'SIGINT', graceMs: timeoutMs });
  return pid;
}
