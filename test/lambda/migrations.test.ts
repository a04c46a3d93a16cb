import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChangedMigrationError, migrate, migrationFromFile, migrationTransaction, pendingMigrations } from '../../warehouse/migrations.js';
import { postgresUrl, WarehouseOnPostgres } from './warehouse-postgres.js';

const ddlFile = '001_warehouse_tables.sql';
const ddl = migrationFromFile(ddlFile, readFileSync(new URL(`../../sql/ddl/${ddlFile}`, import.meta.url), 'utf8'));
const later = migrationFromFile('002_views.sql', 'CREATE VIEW order_totals AS SELECT order_id, SUM(total_amount) AS total FROM sales GROUP BY order_id;');

describe('pendingMigrations', () => {
  it('returns the files not applied yet, in version order', () => {
    expect(pendingMigrations([later, ddl], new Map()).map((m) => m.version)).toEqual(['001_warehouse_tables', '002_views']);
    expect(pendingMigrations([later, ddl], new Map([[ddl.version, ddl.checksum]]))).toEqual([later]);
  });

  it('stops when an applied file has changed since', () => {
    expect(() => pendingMigrations([ddl], new Map([[ddl.version, 'an older checksum']]))).toThrow(ChangedMigrationError);
  });
});

describe('migrationTransaction', () => {
  it('runs the file\'s statements and records the version in the same transaction', () => {
    const sqls = migrationTransaction(later);
    expect(sqls[0]).toBe('LOCK TABLE schema_migrations');
    expect(sqls[1]).toMatch(/^CREATE VIEW order_totals/);
    expect(sqls[2]).toMatch(/^INSERT INTO schema_migrations \(version, checksum\) SELECT '002_views', '[0-9a-f]{64}' WHERE NOT EXISTS/);
  });
});

describe('migrate on Postgres', () => {
  let warehouse: WarehouseOnPostgres;

  beforeEach(async () => {
    try {
      warehouse = await WarehouseOnPostgres.create({ applyDdl: false });
    } catch (error) {
      throw new Error(`the migration tests need Postgres 15+ at ${postgresUrl} (set SALES_TEST_POSTGRES_URL): ${(error as Error).message}`);
    }
  });

  afterEach(async () => warehouse?.close());

  it('creates the tables once and does nothing on a second run', async () => {
    expect(await migrate(warehouse.asRedshiftData(), [ddl])).toEqual(['001_warehouse_tables']);
    expect(await migrate(warehouse.asRedshiftData(), [ddl, later])).toEqual(['002_views']);
    expect(await migrate(warehouse.asRedshiftData(), [ddl, later])).toEqual([]);

    const tables = await warehouse.rows(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = '${warehouse.schema}' ORDER BY table_name`,
    );
    expect(tables.map((row) => row.table_name)).toEqual(['load_audit', 'order_totals', 'sales', 'sales_rejected', 'schema_migrations']);
    expect(await warehouse.rows('SELECT count(*)::int AS n FROM schema_migrations')).toEqual([{ n: 2 }]);
  });
});
