import pg from 'pg';
import type { PostgresEngine } from './postgres-engine.js';

const DUPLICATE_DATABASE = '42P04';

/** A role to sign in as instead of the engine's own. */
export interface PoolLogin {
  user: string;
  password: string;
}

/**
 * One connection pool per database of an engine and role signed in as; a database is created the first time
 * it is asked for.
 */
export class DatabasePools {
  private readonly pools = new Map<string, Promise<pg.Pool>>();

  constructor(private readonly engine: PostgresEngine, private readonly maxConnections = 10) {}

  pool(database: string, login?: PoolLogin): Promise<pg.Pool> {
    // A new password is a new pool: the old one's connections keep the credentials they were opened with.
    const key = JSON.stringify([database, login?.user, login?.password]);
    let pool = this.pools.get(key);
    if (!pool) {
      pool = this.open(database, login);
      this.pools.set(key, pool);
      pool.catch(() => this.pools.delete(key));
    }
    return pool;
  }

  async end(): Promise<void> {
    const pools = await Promise.allSettled(this.pools.values());
    this.pools.clear();
    await Promise.all(pools.map((result) => (result.status === 'fulfilled' ? result.value.end() : undefined)));
  }

  private async open(database: string, login: PoolLogin | undefined): Promise<pg.Pool> {
    await this.ensureDatabase(database);
    const url = new URL(this.engine.url(database));
    if (login) {
      url.username = encodeURIComponent(login.user);
      url.password = encodeURIComponent(login.password);
    }
    const pool = new pg.Pool({ connectionString: url.toString(), max: this.maxConnections });
    // A connection ended by the server (e.g. the engine stopping) must not crash the emulator.
    pool.on('error', () => undefined);
    return pool;
  }

  private async ensureDatabase(database: string): Promise<void> {
    if (database === this.engine.adminDatabase) return;
    const admin = new pg.Client({ connectionString: this.engine.url(this.engine.adminDatabase) });
    await admin.connect();
    try {
      const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
      if (rowCount === 0) {
        await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(database)}`).catch((error: { code?: string }) => {
          if (error.code !== DUPLICATE_DATABASE) throw error;
        });
      }
    } finally {
      await admin.end();
    }
  }
}
