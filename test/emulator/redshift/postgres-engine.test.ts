import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
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

  it('addresses any database of a Postgres given by URL', () => {
    const engine = externalPostgres('postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable');
    expect(engine.adminDatabase).toBe('postgres');
    expect(engine.url('dev')).toBe('postgres://postgres@127.0.0.1:5432/dev?sslmode=disable');
  });
});
