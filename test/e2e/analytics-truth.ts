import { readFileSync } from 'node:fs';
import type { TruthFile, TruthTotals } from '../../generator/truth-file.js';
import type { AnalyticsResults, QueryResult } from '../../report/run-analytics.js';


function records(result: QueryResult): Record<string, string>[] {
  return result.rows.map((row) => Object.fromEntries(result.columns.map((column, index) => [column, row[index] === null ? '(none)' : String(row[index])])));
}

const cents = (value: string) => BigInt(value.replace('.', ''));

/**
 * The report's figures that the generator's truth states exactly, for a warehouse holding just that one
 * file: totals, every month, the products ranked by revenue, and revenue and units per category,
 * country and channel. Returns the differences (empty when every figure matches to the cent).
 */
export function analyticsDifferences(results: AnalyticsResults, truthFile: string): string[] {
  const { aggregates } = JSON.parse(readFileSync(truthFile, 'utf8')) as TruthFile;
  const problems: string[] = [];
  const expect = (what: string, actual: unknown, expected: unknown) => {
    if (String(actual) !== String(expected)) problems.push(`${what}: report says ${String(actual)}, truth says ${String(expected)}`);
  };
  const [totals] = records(results.sales_totals);
  for (const field of ['lines', 'orders', 'units', 'revenue'] as const) expect(`total ${field}`, totals?.[field], aggregates.total[field]);

  const months = records(results.monthly_sales);
  expect('number of months', months.length, Object.keys(aggregates.by_month).length);
  for (const month of months) {
    const truth = aggregates.by_month[month.month!.slice(0, 7)];
    for (const field of ['orders', 'units', 'revenue'] as const) expect(`${month.month} ${field}`, month[field], truth?.[field]);
  }

  const ranked = Object.entries(aggregates.by_product).sort(([a, x], [b, y]) => Number(cents(y.revenue) - cents(x.revenue)) || a.localeCompare(b));
  for (const [index, product] of records(results.top_products_by_revenue).entries()) {
    expect(`top product #${index + 1} revenue`, product.revenue, ranked[index]?.[1].revenue);
    expect(`${product.product_id} units`, product.units, aggregates.by_product[product.product_id!]?.units);
  }

  const groups: [QueryResult, string, Record<string, TruthTotals>][] = [
    [results.revenue_by_category, 'category', aggregates.by_category],
    [results.revenue_by_country, 'country', aggregates.by_country],
    [results.sales_channel_mix, 'sales_channel', aggregates.by_channel],
  ];
  for (const [result, column, truth] of groups) {
    const rows = records(result);
    expect(`number of ${column} groups`, rows.length, Object.keys(truth).length);
    for (const row of rows) {
      for (const field of ['units', 'revenue'] as const) expect(`${column} ${row[column]} ${field}`, row[field], truth[row[column]!]?.[field]);
    }
  }
  return problems;
}
