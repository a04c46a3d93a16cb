import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { splitSqlScript } from '../warehouse/sql-script.js';

export const analyticsSqlDir = fileURLToPath(new URL('../sql/analytics/', import.meta.url));

/**
 * The columns each file of sql/analytics/ returns, in order: the Data API client hands back bare rows,
 * so this is the contract the CSV headers, the charts and the insights read by name.
 */
export const analyticsColumns = {
  sales_totals: ['lines', 'orders', 'customers', 'products', 'units', 'revenue', 'average_order_value', 'first_order_date', 'last_order_date'],
  monthly_sales: ['month', 'orders', 'units', 'revenue', 'revenue_growth_pct'],
  top_products_by_revenue: ['product_rank', 'product_id', 'product_name', 'category', 'orders', 'units', 'revenue', 'revenue_share_pct'],
  top_products_by_units: ['product_rank', 'product_id', 'product_name', 'category', 'orders', 'units', 'revenue', 'revenue_share_pct'],
  customer_purchase_value: ['customers', 'mean_purchase_value', 'p25_purchase_value', 'median_purchase_value', 'p75_purchase_value', 'p90_purchase_value', 'max_purchase_value'],
  customer_purchase_value_distribution: ['band', 'lower_bound', 'upper_bound', 'customers', 'customer_share_pct'],
  revenue_by_category: ['category', 'orders', 'units', 'revenue', 'revenue_share_pct'],
  revenue_by_country: ['country', 'orders', 'units', 'revenue', 'revenue_share_pct'],
  repeat_customers: ['customers', 'repeat_customers', 'repeat_customer_rate_pct', 'repeat_customer_revenue', 'repeat_revenue_share_pct'],
  sales_channel_mix: ['sales_channel', 'orders', 'units', 'revenue', 'revenue_share_pct'],
  data_quality_sources: [
    'source', 'runs', 'runs_loaded', 'files_rejected', 'runs_failed', 'rows_read', 'rows_clean', 'rows_rejected', 'duplicates_dropped',
    'rejected_share_pct', 'last_run_at',
  ],
  data_quality_reasons: [
    'source', 'scope', 'reason', 'rejected', 'share_of_rows_read_pct', 'example_run_id', 'example_source_uri', 'example_source_line', 'example_raw_record',
  ],
  data_quality_runs: [
    'run_id', 'source', 'source_uri', 'status', 'run_at', 'rows_read', 'rows_clean', 'rows_rejected', 'duplicates_dropped', 'rejected_share_pct', 'problem',
  ],
  data_quality_over_time: ['source', 'run_date', 'runs', 'files_rejected', 'rows_read', 'rows_rejected', 'rejected_share_pct'],
} as const;

export type QueryName = keyof typeof analyticsColumns;
export const queryNames = Object.keys(analyticsColumns) as QueryName[];

export interface AnalyticsQuery {
  name: QueryName;
  /** The one statement of `sql/analytics/<name>.sql`, comments removed. */
  sql: string;
  columns: readonly string[];
}

export class AnalyticsSqlError extends Error {
  override readonly name = 'AnalyticsSqlError';
}

/** Reads every query of the folder; a file without declared columns, or declared columns without a file, is an error. */
export function loadAnalyticsQueries(dir: string = analyticsSqlDir): AnalyticsQuery[] {
  const files = readdirSync(dir).filter((file) => file.endsWith('.sql')).map((file) => file.slice(0, -'.sql'.length));
  const undeclared = files.filter((name) => !(name in analyticsColumns));
  if (undeclared.length > 0) {
    throw new AnalyticsSqlError(`${undeclared.map((name) => `${name}.sql`).join(', ')} in ${dir} has no columns in report/analytics-queries.ts: declare them there`);
  }
  return queryNames.map((name) => {
    if (!files.includes(name)) throw new AnalyticsSqlError(`${name}.sql is missing from ${dir}`);
    const statements = splitSqlScript(readFileSync(join(dir, `${name}.sql`), 'utf8'));
    if (statements.length !== 1) throw new AnalyticsSqlError(`${name}.sql holds ${statements.length} statements: an analytics file holds exactly one query`);
    return { name, sql: statements[0]!, columns: analyticsColumns[name] };
  });
}
