import pg from 'pg';
import type { PostgresEngine } from './postgres-engine.js';
import { adoptDatabase, asSessionRole, ensureSessionRole, SESSION_ROLE, sessionPassword } from './session-role.js';

const DUPLICATE_DATABASE = '42P04';

export interface DatabasePoolsOptions {
  /** Defaults of every session (search path, time zone). */
  sessionSettings?: Record<string, string>;
  /** Run as the admin in each database before its first session (functions the sessions rely on). */
  prepareDatabase?: (admin: pg.Client) => Promise<void>;
  maxConnections?: number;
}

/**
 * One connection pool per database of an engine, connected as the session role (never as the
 * engine's superuser); a database is created, owned by that role, the first time it is asked for.
 */
export class DatabasePools {
  private readonly pools = new Map<string, Promise<pg.Pool>>();
  private readonly password: string;
  private role: Promise<void> | undefined;

  constructor(private readonly engine: PostgresEngine, private readonly options: DatabasePoolsOptions = {}) {
    this.password = sessionPassword(engine.url(engine.adminDatabase));
  }

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
    await this.asAdmin(this.engine.adminDatabase, async (admin) => {
      this.role ??= ensureSessionRole(admin, { password: this.password, settings: this.options.sessionSettings ?? {} }).catch((error) => {
        this.role = undefined;
        throw error;
      });
      await this.role;
      await this.ensureDatabase(admin, database);
    });
    if (this.options.prepareDatabase) await this.asAdmin(database, this.options.prepareDatabase);
    const pool = new pg.Pool({ connectionString: asSessionRole(this.engine.url(database), this.password), max: this.options.maxConnections ?? 10 });
    // A connection ended by the server (e.g. the engine stopping) must not crash the emulator.
    pool.on('error', () => undefined);
    return pool;
  }

  private async asAdmin<T>(database: string, work: (admin: pg.Client) => Promise<T>): Promise<T> {
    const admin = new pg.Client({ connectionString: this.engine.url(database) });
    await admin.connect();
    try {
      return await work(admin);
    } finally {
      await admin.end();
    }
  }

  private async ensureDatabase(admin: pg.Client, database: string): Promise<void> {
    if (database === this.engine.adminDatabase) return;
    const { rows } = await admin.query<{ owner: string }>('SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1', [database]);
    if (rows.length === 0) {
      await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(database)} OWNER ${SESSION_ROLE}`).catch((error: { code?: string }) => {
        if (error.code !== DUPLICATE_DATABASE) throw error;
      });
      return;
    }
    const owner = rows[0]!.owner;
    // A database the emulator made as the admin user, before statements ran as their own role.
    if (owner !== SESSION_ROLE && owner === new URL(this.engine.url(database)).username) {
      await this.asAdmin(database, (inDatabase) => adoptDatabase(admin, inDatabase, database));
    }
  }
}
