// Issue 13 item 13: the loader signs in as its own database user, created by sql/ddl/003_loader_user.sql with
// only the grants its statements need. Here every statement the loader sends runs as that user on Postgres,
// and what it must not do is refused.
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLEAN_COLUMNS, REJECTED_COLUMNS } from '../../contract/sales-contract.js';
import { AUDIT_STATUS_QUERY, auditOnlyStatements, loadRunStatements } from '../../lambda/loader/load-statements.js';
import type { RunManifest } from '../../lambda/loader/run-manifest.js';
import { LOADER_USER } from '../../warehouse/database-logins.js';
import { MIGRATIONS_TABLE_DDL } from '../../warehouse/migrations.js';
import { splitSqlScript } from '../../warehouse/sql-script.js';
import { succeededManifest } from './run-manifests.js';
import { postgresUrl, WarehouseOnPostgres, type FixtureRow } from './warehouse-postgres.js';

const migration = readFileSync(new URL('../../sql/ddl/003_loader_user.sql', import.meta.url), 'utf8');
const runId = 'run-a';
const copyManifests = { clean: `s3://sales-data/manifests/${runId}.clean.copy.json`, rejected: `s3://sales-data/manifests/${runId}.rejected.copy.json` };

const manifest: RunManifest = succeededManifest({
  runId,
  overrides: {
    counts: { rows_read: 2, rows_clean: 1, rows_rejected: 1, duplicates_dropped: 0, blank_lines: 0 },
    outputs: { clean: [{ uri: 's3://sales-data/cleaned/part-0.parquet', size: 1 }], rejected: [{ uri: 's3://sales-data/rejected/part-0.parquet', size: 1 }] },
    copy_manifests: copyManifests,
  },
});

function row(columns: readonly string[], values: FixtureRow): FixtureRow {
  return Object.fromEntries(columns.map((column) => [column, values[column] ?? null]));
}

let warehouse: WarehouseOnPostgres;
// Roles belong to the whole Postgres server, which other test runs may share: a name of this test's own.
let role: string;

beforeEach(async () => {
  try {
    warehouse = await WarehouseOnPostgres.create();
  } catch (error) {
    throw new Error(`the loader user tests need Postgres 15+ at ${postgresUrl} (set SALES_TEST_POSTGRES_URL): ${(error as Error).message}`);
  }
  role = `${LOADER_USER}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  await warehouse.transaction([MIGRATIONS_TABLE_DDL]);
  await warehouse.transaction(splitSqlScript(migration.replaceAll(LOADER_USER, role)));
  // On Redshift every user may use the public schema; the test's tables live in a schema of their own.
  await warehouse.transaction([`GRANT USAGE ON SCHEMA ${warehouse.schema} TO ${role}`]);
  warehouse.copySources.set(copyManifests.clean, [row(CLEAN_COLUMNS, {
    order_id: 'O-1', line_key: '1', order_date: '2024-03-05', customer_id: 'C-1', product_id: 'P-1', quantity: 1, unit_price: '1.0000',
    discount: '0.0000', total_amount: '1.00', source_uri: manifest.source.uri, source_modified_at: '2024-03-05 10:00:00', source_line: 2, run_id: runId,
  })]);
  warehouse.copySources.set(copyManifests.rejected, [row(REJECTED_COLUMNS, { run_id: runId, source_uri: manifest.source.uri, source_line: 3, raw_record: 'x', reasons: 'invalid_date' })]);
});

afterEach(async () => {
  if (!warehouse) return;
  await warehouse.actAs();
  await warehouse.transaction([`DROP OWNED BY ${role}`]);
  await warehouse.close();
  const admin = await WarehouseOnPostgres.create({ applyDdl: false });
  await admin.transaction([`DROP ROLE IF EXISTS ${role}`]);
  await admin.close();
});

describe('the loader database user', () => {
  it('is the user the loader code and the migration name', () => {
    expect(migration).toMatch(new RegExp(`^CREATE USER ${LOADER_USER} PASSWORD DISABLE;$`, 'm'));
  });

  it('runs every statement of a load, a second load and a failure record with its grants alone', async () => {
    await warehouse.actAs(role);
    await warehouse.transaction(loadRunStatements({ manifest, jobRunId: 'jr_1', copyRoleArn: 'arn:aws:iam::123456789012:role/copy' }));
    await warehouse.transaction(loadRunStatements({ manifest, jobRunId: 'jr_1', copyRoleArn: 'arn:aws:iam::123456789012:role/copy' }));
    await warehouse.transaction(auditOnlyStatements({ runId: 'run-b', jobRunId: 'jr_2', sourceUri: 's3://sales-data/raw/b.csv', status: 'stopped', error: 'stopped' }));
    expect(await warehouse.asRedshiftData().query('audit', AUDIT_STATUS_QUERY, { run_id: runId })).toEqual([['loaded']]);
    expect(await warehouse.rows('SELECT current_user AS who, (SELECT count(*)::int FROM sales) AS sales, (SELECT count(*)::int FROM sales_rejected) AS rejected'))
      .toEqual([{ who: role, sales: 1, rejected: 1 }]);
  });

  it('may not change the schema, empty a table, rewrite rejected rows or the audit, or read the migrations', async () => {
    await warehouse.actAs(role);
    for (const sql of [
      'DROP TABLE sales', 'ALTER TABLE sales ADD COLUMN x INTEGER', 'CREATE TABLE loader_owned (a INTEGER)', 'TRUNCATE load_audit',
      'TRUNCATE sales', 'UPDATE sales_rejected SET reasons = NULL', 'UPDATE load_audit SET status = NULL',
      'SELECT * FROM schema_migrations',
    ]) {
      await expect(warehouse.transaction([sql]), sql).rejects.toThrow(/permission denied|must be owner/);
    }
  });
});
