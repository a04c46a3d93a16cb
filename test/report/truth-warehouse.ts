import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { defaultPolling, RedshiftData } from '../../warehouse/redshift-data.js';
import { ddlMigrations } from '../../warehouse/migrate-warehouse.js';
import { generateSales } from '../../generator/generate-sales.js';
import { readGroundTruth, type TruthCleanRow, type TruthFile } from '../../generator/truth-file.js';
import { startRedshiftHarness, type RedshiftHarness } from '../emulator/redshift/redshift-harness.js';

export type CleanRow = TruthCleanRow;
export type Truth = TruthFile;

/** A generated sales file's truth: its aggregates and every expected clean row. */
export function generateTruth(options: { rows: number; seed: number }): { truth: Truth; clean: CleanRow[] } {
  const folder = mkdtempSync(join(tmpdir(), 'report-truth-'));
  try {
    const { truthPath } = generateSales({ rows: options.rows, seed: options.seed, out: join(folder, 'sales_data.csv') });
    const truth = readGroundTruth(truthPath);
    return { truth, clean: truth.clean ?? [] };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** Every migration of sql/ddl/, in order, as db:migrate applies them. */
const ddl = ddlMigrations().flatMap((migration) => migration.statements);

export interface TruthWarehouse {
  harness: RedshiftHarness;
  /** The Data API client code the Lambdas use, against the emulator. */
  redshift: RedshiftData;
  load(rows: CleanRow[]): Promise<void>;
  /** Inserts rows as the loader leaves them in load_audit or sales_rejected; absent columns take their defaults. */
  insert(table: 'load_audit' | 'sales_rejected', rows: Record<string, string | number | null>[]): Promise<void>;
  /** Empties every warehouse table. */
  empty(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The emulator's Redshift Data API on Postgres with the warehouse tables, into which the generator's
 * expected clean rows are inserted directly (lineage filled in), as the loader would leave them.
 */
export async function startTruthWarehouse(options: { withMoto?: boolean } = {}): Promise<TruthWarehouse> {
  const harness = await startRedshiftHarness({ withMoto: options.withMoto });
  const created = await harness.batch(ddl);
  if (created.Status !== 'FINISHED') throw new Error(`the warehouse DDL failed on the emulator: ${created.Error}`);
  const redshift = new RedshiftData(harness.client, { clusterId: harness.target.ClusterIdentifier, database: harness.target.Database, secretArn: harness.target.SecretArn }, {
    ...defaultPolling, initialDelayMs: 10, maxDelayMs: 100, timeoutMs: 60_000,
  });
  const direct = new pg.Client({ connectionString: harness.engine.url(harness.database) });
  await direct.connect();
  return {
    harness,
    redshift,
    async load(rows) {
      // One statement: the rows travel as one JSON parameter and Postgres spreads them into columns.
      await direct.query(
        `INSERT INTO sales (order_id, line_id, line_key, order_date, customer_id, customer_name, customer_email, product_id, product_name,
           category, quantity, unit_price, discount, total_amount, country, city, payment_method, sales_channel,
           source_uri, source_version, source_modified_at, source_line, run_id)
         SELECT r.order_id, r.line_id, r.line_key, r.order_date, r.customer_id, r.customer_name, r.customer_email, r.product_id, r.product_name,
           r.category, r.quantity, r.unit_price, r.discount, r.total_amount, r.country, r.city, r.payment_method, r.sales_channel,
           's3://data/raw/sales_data.csv', 'v1', TIMESTAMP '2026-01-01 00:00:00', r.source_line, 'truth-run'
         FROM json_populate_recordset(NULL::sales, $1::json) AS r`,
        [JSON.stringify(rows)],
      );
    },
    async insert(table, rows) {
      const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
      await direct.query(
        `INSERT INTO ${table} (${columns.join(', ')}) SELECT ${columns.map((column) => `r.${column}`).join(', ')} FROM json_populate_recordset(NULL::${table}, $1::json) AS r`,
        [JSON.stringify(rows)],
      );
    },
    async empty() {
      await direct.query('TRUNCATE sales, sales_rejected, load_audit');
    },
    async close() {
      await direct.end();
      await harness.close();
    },
  };
}
