import pg from 'pg';
import type { PostgresEngine } from './postgres-engine.js';

const DUPLICATE_DATABASE = '42P04';

/** One connection pool per database of an engine; a database is created the first time it is asked for. */
export class DatabasePools {
  private readonly pools = new Map<string, Promise<pg.Pool>>();

  constructor(private readonly engine: PostgresEngine, private readonly maxConnections = 10) {}

  pool(database: string): Promise<pg.Pool> {
    let pool = this.pools.get(database);
    if (!pool) {
      pool = this.open(database);
      this.pools.set(database, pool);
      pool.catch(() => this.pools.delete(database));
    }
    return pool;
  }

  async end(): Promise<void> {
    const pools = await Promise.allSettled(this.pools.values());
    this.pools.clear();
    await Promise.all(pools.map((result) => (result.status === 'fulfilled' ? result.value.end() : undefined)));
  }

  private async open(database: string): Promise<pg.Pool> {
    await this.ensureDatabase(database);
    const pool = new pg.Pool({ connectionString: this.engine.url(database), max: this.maxConnections });
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
