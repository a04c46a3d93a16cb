import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from '../../../emulator/postgres/embedded-postgres.js';
import { externalPostgres } from '../../../emulator/postgres/postgres-engine.js';

const stateDir = mkdtempSync(join(tmpdir(), 'sdp-pg-engine-'));
chmodSync(stateDir, 0o711);

afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

async function scalar(url: string, sql: string): Promise<unknown> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return Object.values((await client.query(sql)).rows[0] ?? {})[0];
  } finally {
    await client.end();
  }
}

describe('Postgres engine', () => {
  it('starts an embedded Postgres that supports MERGE, keeps its data across restarts, and stops cleanly', async () => {
    const first = await startEmbeddedPostgres({ stateDir: join(stateDir, 'pg') });
    const url = first.url('postgres');
    expect(Number(await scalar(url, 'SHOW server_version_num'))).toBeGreaterThanOrEqual(150000);
    await scalar(url, 'CREATE TABLE kept AS SELECT 42 AS answer');
    if (process.getuid?.() === 0) expect(statSync(first.dataDir).uid).not.toBe(0);
    await first.stop();
    await expect(scalar(url, 'SELECT 1')).rejects.toThrow();
    const second = await startEmbeddedPostgres({ stateDir: join(stateDir, 'pg'), port: first.port });
    try {
      expect(await scalar(second.url('postgres'), 'SELECT answer FROM kept')).toBe(42);
    } finally {
      await second.stop();
    }
  });

  it('asks every connection for the password kept in a 0600 file, and gives a cluster without one a password', async () => {
    const dir = join(stateDir, 'pg-auth');
    const first = await startEmbeddedPostgres({ stateDir: dir });
    const withoutPassword = first.url('postgres').replace(/:[^:@/]+@/, '@');
    try {
      expect(statSync(first.passwordFile).mode & 0o777).toBe(0o600);
      await expect(scalar(withoutPassword, 'SELECT 1')).rejects.toThrow(/password/);
      await expect(scalar(first.url('postgres').replace(/:[^:@/]+@/, ':wrong@'), 'SELECT 1')).rejects.toThrow(/password authentication failed/);
      // md5: SCRAM for roles whose password is stored as SCRAM, MD5 for users given Redshift's md5 form; never trust.
      expect(await scalar(first.url('postgres'), "SELECT string_agg(DISTINCT auth_method, ',') FROM pg_hba_file_rules")).toBe('md5');
    } finally {
      await first.stop();
    }
    // A cluster made when the emulator still trusted local connections: no password file, trust rules.
    rmSync(first.passwordFile);
    writeFileSync(join(first.dataDir, 'pg_hba.conf'), 'host all all 127.0.0.1/32 trust\n');
    const second = await startEmbeddedPostgres({ stateDir: dir, port: first.port });
    try {
      expect(readFileSync(second.passwordFile, 'utf8').trim()).not.toBe('');
      await expect(scalar(withoutPassword, 'SELECT 1')).rejects.toThrow(/password/);
      expect(await scalar(second.url('postgres'), 'SELECT 1')).toBe(1);
    } finally {
      await second.stop();
    }
  });

  it('addresses any database of a Postgres given by URL', () => {
    const engine = externalPostgres('postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable');
    expect(engine.adminDatabase).toBe('postgres');
    expect(engine.url('dev')).toBe('postgres://postgres@127.0.0.1:5432/dev?sslmode=disable');
  });
});
