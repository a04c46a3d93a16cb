import pg from 'pg';
import type { PostgresEngine } from './postgres-engine.js';
import { adoptDatabase, applyRoleSettings, asSessionRole, ensureSessionRole, SESSION_ROLE, sessionPassword } from './session-role.js';

const DUPLICATE_DATABASE = '42P04';

export interface DatabasePoolsOptions {
  /** Defaults of every session (search path, time zone). */
  sessionSettings?: Record<string, string>;
  /** Run as the admin in each database before its first session (functions the sessions rely on). */
  prepareDatabase?: (admin: pg.Client) => Promise<void>;
  maxConnections?: number;
}

/** A warehouse user (CREATE USER) to sign in as instead of the session role. */
export interface PoolLogin {
  user: string;
  password: string;
}

/**
 * One connection pool per database of an engine and role signed in as: the session role (never the engine's
 * superuser), or a warehouse user the migrations created. A database is created, owned by the session role,
 * the first time it is asked for.
 */
export class DatabasePools {
  private readonly pools = new Map<string, Promise<pg.Pool>>();
  private readonly password: string;
  private role: Promise<void> | undefined;

  constructor(private readonly engine: PostgresEngine, private readonly options: DatabasePoolsOptions = {}) {
    this.password = sessionPassword(engine.url(engine.adminDatabase));
  }

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
    const settings = this.options.sessionSettings ?? {};
    await this.asAdmin(this.engine.adminDatabase, async (admin) => {
      this.role ??= ensureSessionRole(admin, { password: this.password, settings }).catch((error) => {
        this.role = undefined;
        throw error;
      });
      await this.role;
      await this.ensureDatabase(admin, database);
      // A warehouse user's sessions get the same defaults as the session role's.
      if (login) await applyRoleSettings(admin, { role: login.user, settings });
    });
    if (this.options.prepareDatabase) await this.asAdmin(database, this.options.prepareDatabase);
    const url = new URL(asSessionRole(this.engine.url(database), this.password));
    if (login) {
      url.username = encodeURIComponent(login.user);
      url.password = encodeURIComponent(login.password);
    }
    const pool = new pg.Pool({ connectionString: url.toString(), max: this.options.maxConnections ?? 10 });
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
