/** A running Postgres that the emulator can open connections to, whoever started it. */
export interface PostgresEngine {
  /** Connection string for one database of the engine (which may not exist yet). */
  url(database: string): string;
  /** A database that always exists, from which others are created. */
  readonly adminDatabase: string;
  /** Stops the engine if the emulator started it; an engine given by URL is left running. */
  stop(): Promise<void>;
}

/** Any Postgres reached by URL (e.g. the machine's server in CI); its database part is the admin database. */
export function externalPostgres(connectionString: string): PostgresEngine {
  const base = new URL(connectionString);
  return {
    adminDatabase: decodeURIComponent(base.pathname.slice(1)) || 'postgres',
    url(database) {
      const url = new URL(base);
      url.pathname = `/${encodeURIComponent(database)}`;
      return url.toString();
    },
    async stop() {},
  };
}

/**
 * The engine the emulator runs SQL on: the Postgres at `url` when one is given, else a private
 * embedded Postgres kept under `stateDir`.
 */
export async function startPostgresEngine(options: { url?: string; stateDir: string; port?: number; log?: (message: string) => void }): Promise<PostgresEngine> {
  if (options.url) return externalPostgres(options.url);
  const { startEmbeddedPostgres } = await import('./embedded-postgres.js');
  return startEmbeddedPostgres({ stateDir: options.stateDir, port: options.port, log: options.log });
}
