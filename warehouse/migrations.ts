import { createHash } from 'node:crypto';
import type { RedshiftData } from './redshift-data.js';
import { sqlString } from './sql-literal.js';
import { splitSqlScript } from './sql-script.js';

/** One DDL file of sql/ddl/, applied once per database, in file-name order. */
export interface Migration {
  version: string;
  checksum: string;
  statements: string[];
}

export class ChangedMigrationError extends Error {
  override readonly name = 'ChangedMigrationError';
}

export const MIGRATIONS_TABLE_DDL = 'CREATE TABLE IF NOT EXISTS schema_migrations ('
  + 'version VARCHAR(256) NOT NULL, checksum VARCHAR(64) NOT NULL, applied_at TIMESTAMP NOT NULL DEFAULT GETDATE(), PRIMARY KEY (version))';
export const APPLIED_MIGRATIONS_QUERY = 'SELECT version, checksum FROM schema_migrations';

export function migrationFromFile(fileName: string, script: string): Migration {
  return {
    version: fileName.replace(/\.sql$/, ''),
    checksum: createHash('sha256').update(script).digest('hex'),
    statements: splitSqlScript(script),
  };
}

/** The migrations not yet applied, oldest first; an applied file that has changed since stops everything. */
export function pendingMigrations(migrations: Migration[], applied: Map<string, string>): Migration[] {
  const sorted = [...migrations].sort((a, b) => a.version.localeCompare(b.version));
  for (const migration of sorted) {
    const checksum = applied.get(migration.version);
    if (checksum !== undefined && checksum !== migration.checksum) {
      throw new ChangedMigrationError(
        `sql/ddl/${migration.version}.sql changed after it was applied to this database: ` +
        'restore it and put the change in a new, later-numbered file',
      );
    }
  }
  return sorted.filter((migration) => !applied.has(migration.version));
}

/** A migration's statements and its schema_migrations row, as one transaction that a concurrent run cannot repeat. */
export function migrationTransaction(migration: Migration): string[] {
  const version = sqlString(migration.version);
  return [
    'LOCK TABLE schema_migrations',
    ...migration.statements,
    `INSERT INTO schema_migrations (version, checksum) SELECT ${version}, ${sqlString(migration.checksum)}`
      + ` WHERE NOT EXISTS (SELECT 1 FROM schema_migrations WHERE version = ${version})`,
  ];
}

/** Applies the pending migrations through the Data API and returns the versions it applied. */
export async function migrate(warehouse: Pick<RedshiftData, 'transaction' | 'query'>, migrations: Migration[]): Promise<string[]> {
  await warehouse.transaction('migrations-table', [MIGRATIONS_TABLE_DDL]);
  const rows = await warehouse.query('applied-migrations', APPLIED_MIGRATIONS_QUERY);
  const applied = new Map(rows.map(([version, checksum]) => [String(version), String(checksum)]));
  const pending = pendingMigrations(migrations, applied);
  for (const migration of pending) await warehouse.transaction(`migrate-${migration.version}`, migrationTransaction(migration));
  return pending.map((migration) => migration.version);
}
