import { createHash } from 'node:crypto';
import pg from 'pg';

/**
 * The role Data API statements run as (the cluster admin's stand-in). Not a superuser, and a member of no predefined role: it
 * cannot run programs (`COPY ... TO PROGRAM`), read or write the server's files, load code or change
 * the server's settings, none of which a Redshift user can do either. It owns the databases the Data
 * API creates, which is all the warehouse needs: migrations create and alter tables there (on Redshift
 * they run as the cluster's admin user, who owns them), the loader copies, merges and locks them, and
 * the report reads them.
 */
export const SESSION_ROLE = 'data_api';

const DUPLICATE_OBJECT = '42710';
const UNIQUE_VIOLATION = '23505';

/**
 * The role's password, derived from the engine's admin connection string, so that every emulator
 * process on one engine (tests in parallel on one Postgres) sets the same and none locks out another.
 */
export function sessionPassword(adminUrl: string): string {
  return createHash('sha256').update(`${adminUrl}\n${SESSION_ROLE}`).digest('base64url');
}

/** The connection string of `url` for the session role. */
export function asSessionRole(url: string, password: string): string {
  const session = new URL(url);
  session.username = SESSION_ROLE;
  session.password = password;
  return session.toString();
}

/**
 * Creates the session role, or resets its attributes and password, on the admin connection, and gives
 * it the session settings (its defaults, which `DISCARD ALL` between statements returns to).
 */
export async function ensureSessionRole(admin: pg.ClientBase, options: { password: string; settings: Record<string, string> }): Promise<void> {
  const { password } = options;
  // CREATEROLE, as a Redshift admin may CREATE USER (the loader's user is a migration); since Postgres 16 it
  // manages only the roles it created and can make none of them a superuser.
  const attributes = `LOGIN NOSUPERUSER NOCREATEDB CREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT PASSWORD ${admin.escapeLiteral(password)}`;
  await admin.query(`CREATE ROLE ${SESSION_ROLE} ${attributes}`).catch(async (error: { code?: string }) => {
    // Two emulators starting together both try to create it; the catalog answers the second with a unique violation.
    if (error.code !== DUPLICATE_OBJECT && error.code !== UNIQUE_VIOLATION) throw error;
    await admin.query(`ALTER ROLE ${SESSION_ROLE} ${attributes}`);
  });
  await applyRoleSettings(admin, { role: SESSION_ROLE, settings: options.settings });
}

/** Gives a role the session settings as its defaults, which `DISCARD ALL` between statements returns to. */
export async function applyRoleSettings(admin: pg.ClientBase, options: { role: string; settings: Record<string, string> }): Promise<void> {
  // The values are the emulator's own constants, written as SET takes them (a list, or one literal).
  for (const [name, value] of Object.entries(options.settings)) {
    await admin.query(`ALTER ROLE ${admin.escapeIdentifier(options.role)} SET ${name} = ${value.includes(',') ? value : admin.escapeLiteral(value)}`);
  }
}

/**
 * Hands a database the emulator created as the admin user (before sessions ran as their own role) to
 * the session role: the database, its schemas, tables, views and free-standing sequences.
 */
export async function adoptDatabase(admin: pg.ClientBase, inDatabase: pg.ClientBase, database: string): Promise<void> {
  await admin.query(`ALTER DATABASE ${admin.escapeIdentifier(database)} OWNER TO ${SESSION_ROLE}`);
  await inDatabase.query(`DO $$
    DECLARE item record;
    BEGIN
      FOR item IN
        SELECT format('ALTER SCHEMA %I OWNER TO ${SESSION_ROLE}', nspname) AS command FROM pg_namespace
        WHERE nspname NOT IN ('pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg\\_%' AND pg_get_userbyid(nspowner) = current_user
        UNION ALL
        SELECT format('ALTER %s %I.%I OWNER TO ${SESSION_ROLE}',
          CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END, n.nspname, c.relname)
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S') AND pg_get_userbyid(c.relowner) = current_user
          AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i'))
      LOOP
        EXECUTE item.command;
      END LOOP;
    END $$`);
}
