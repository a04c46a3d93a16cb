import { analyticsColumns, queryNames, type QueryName } from '../../report/analytics-queries.js';
import type { AnalyticsResults } from '../../report/run-analytics.js';
import type { Row } from '../../warehouse/redshift-data.js';

/** Results shaped as the Data API returns them (decimals as strings, counts as numbers), small enough to check by hand. */
export const sampleRows: Record<QueryName, Row[]> = {
  sales_totals: [[10, 6, 4, 3, 25, '1000.00', '166.67', '2024-01-03', '2024-03-28']],
  monthly_sales: [['2024-01', 2, 8, '300.00', null], ['2024-02', 1, 5, '200.00', '-33.33'], ['2024-03', 3, 12, '500.00', '150.00']],
  top_products_by_revenue: [
    [1, 'P-1', 'Desk <Lamp> & "Co"', 'Home', 3, 10, '600.00', '60.00'],
    [2, 'P-2', 'Chair', 'Home', 2, 10, '300.00', '30.00'],
    [3, 'P-3', null, null, 1, 5, '100.00', '10.00'],
  ],
  top_products_by_units: [
    [1, 'P-1', 'Desk <Lamp> & "Co"', 'Home', 3, 10, '600.00', '60.00'],
    [2, 'P-2', 'Chair', 'Home', 2, 10, '300.00', '30.00'],
    [3, 'P-3', null, null, 1, 5, '100.00', '10.00'],
  ],
  customer_purchase_value: [[4, '175.00', '100.00', '150.00', '250.00', '280.00', '300.00']],
  customer_purchase_value_distribution: [0, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 25_000, 50_000].map((lower, index, bounds): Row => {
    const customers = [0, 0, 1, 2, 1, 0, 0, 0, 0, 0, 0][index]!;
    return [index + 1, lower, bounds[index + 1] ?? null, customers, (customers * 25).toFixed(2)];
  }),
  revenue_by_category: [['Home', 5, 20, '900.00', '90.00'], ['(none)', 1, 5, '100.00', '10.00']],
  revenue_by_country: [['US', 4, 15, '700.00', '70.00'], ['DE', 2, 10, '300.00', '30.00']],
  repeat_customers: [[4, 2, '50.00', '700.00', '70.00']],
  sales_channel_mix: [['online', 4, 15, '650.00', '65.00'], ['store', 2, 10, '350.00', '35.00']],
  data_quality_sources: [
    ['(no profile)', 2, 1, 1, 0, 100, 95, 4, 1, '4.00', '2026-11-24 09:00:00'],
    ['shop-orders', 3, 2, 0, 1, 50, 45, 5, 0, '10.00', '2026-11-25 10:00:00'],
  ],
  data_quality_reasons: [
    ['(no profile)', 'file', 'missing_required_columns:order_id,quantity', 1, null, 'run-2', 's3://data/raw/bad.csv', null, null],
    ['(no profile)', 'row', 'invalid_date', 3, '3.00', 'run-1', 's3://data/raw/sales.csv', 7, 'O-7,2024-02-30,C-1,<P-1>,1,2.00'],
    ['(no profile)', 'row', 'missing_required:customer_id', 1, '1.00', 'run-1', 's3://data/raw/sales.csv', 9, 'O-9,2024-02-01,,P-1,1,2.00'],
    ['shop-orders', 'row', 'missing_required:product_id', 5, '10.00', 'run-4', 's3://data/raw/shop-orders/orders.csv', 11, '#1004,,,1,Tip,5.00\n"second line"'],
  ],
  data_quality_runs: [
    ['run-5', 'shop-orders', 's3://data/raw/shop-orders/orders-3.csv', 'failed', '2026-11-25 10:00:00', null, null, null, null, null, 'Java heap space'],
    ['run-4', 'shop-orders', 's3://data/raw/shop-orders/orders.csv', 'loaded', '2026-11-25 09:00:00', 30, 26, 4, 0, '13.33', null],
    ['run-3', 'shop-orders', 's3://data/raw/shop-orders/orders-2.csv', 'loaded', '2026-11-24 12:00:00', 20, 19, 1, 0, '5.00', null],
    ['run-2', '(no profile)', 's3://data/raw/bad.csv', 'rejected_file', '2026-11-24 09:00:00', null, null, null, null, null, 'missing_required_columns:order_id,quantity'],
    ['run-1', '(no profile)', 's3://data/raw/sales.csv', 'loaded', '2026-11-24 08:00:00', 100, 95, 4, 1, '4.00', null],
  ],
  data_quality_over_time: [
    ['(no profile)', '2026-11-24', 2, 1, 100, 4, '4.00'],
    ['shop-orders', '2026-11-24', 1, 0, 20, 1, '5.00'],
    ['shop-orders', '2026-11-25', 2, 0, 30, 4, '13.33'],
  ],
};

export function resultsOf(rows: Record<QueryName, Row[]>): AnalyticsResults {
  const results: Partial<AnalyticsResults> = {};
  for (const name of queryNames) results[name] = { name, columns: analyticsColumns[name], rows: rows[name], elapsedMs: 1 };
  return results as AnalyticsResults;
}

/** What the queries return on a warehouse without sales. */
export const emptyRows: Record<QueryName, Row[]> = {
  monthly_sales: [],
  top_products_by_revenue: [],
  top_products_by_units: [],
  revenue_by_category: [],
  revenue_by_country: [],
  sales_channel_mix: [],
  sales_totals: [[0, 0, 0, 0, 0, '0.00', null, null, null]],
  customer_purchase_value: [[0, null, null, null, null, null, null]],
  customer_purchase_value_distribution: sampleRows.customer_purchase_value_distribution.map((row) => [...row.slice(0, 3), 0, null]),
  repeat_customers: [[0, 0, null, '0.00', null]],
  data_quality_sources: [],
  data_quality_reasons: [],
  data_quality_runs: [],
  data_quality_over_time: [],
};
