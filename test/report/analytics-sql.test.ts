import { GetStatementResultCommand } from '@aws-sdk/client-redshift-data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAnalyticsQueries } from '../../report/analytics-queries.js';
import { recordsOf, runAnalytics, type AnalyticsResults } from '../../report/run-analytics.js';
import { generateTruth, startTruthWarehouse, type CleanRow, type Truth, type TruthWarehouse } from './truth-warehouse.js';

// Expected figures are computed here from the generator's truth, in integer cents, independently of report/.
const cents = (decimal: string): bigint => BigInt(decimal.replace('.', ''));
const decimal = (hundredths: bigint): string => {
  const absolute = hundredths < 0n ? -hundredths : hundredths;
  return `${hundredths < 0n ? '-' : ''}${absolute / 100n}.${String(absolute % 100n).padStart(2, '0')}`;
};
/** numerator / denominator in hundredths, rounded half away from zero (SQL ROUND). */
const divideRounded = (numerator: bigint, denominator: bigint): bigint => {
  const negative = (numerator < 0n) !== (denominator < 0n);
  const [n, d] = [numerator < 0n ? -numerator : numerator, denominator < 0n ? -denominator : denominator];
  const rounded = (2n * n + d) / (2n * d);
  return negative ? -rounded : rounded;
};
const percent = (part: bigint, whole: bigint): string => decimal(divideRounded(part * 10_000n, whole));
const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function distinctOrders(clean: CleanRow[], key: (row: CleanRow) => string): Map<string, number> {
  const orders = new Map<string, Set<unknown>>();
  for (const row of clean) {
    const group = orders.get(key(row)) ?? new Set();
    group.add(row.order_id);
    orders.set(key(row), group);
  }
  return new Map([...orders].map(([group, ids]) => [group, ids.size]));
}

/** Average purchase value per customer in cents: revenue / orders, rounded to the cent. */
function purchaseValues(truth: Truth): bigint[] {
  return Object.values(truth.aggregates.by_customer).map((customer) => divideRounded(cents(customer.revenue), BigInt(customer.orders)));
}

/** PERCENTILE_CONT over cents, rounded to the cent: linear interpolation at p × (n − 1), p = numerator / denominator. */
function percentileCont(sorted: bigint[], numerator: bigint, denominator: bigint): string {
  const position = numerator * BigInt(sorted.length - 1);
  const low = position / denominator;
  const fraction = position % denominator;
  const lower = sorted[Number(low)]!;
  const upper = sorted[Number(low) + (fraction === 0n ? 0 : 1)]!;
  return decimal(divideRounded(lower * denominator + (upper - lower) * fraction, denominator));
}

describe('analytics SQL on the emulated Redshift Data API', () => {
  let warehouse: TruthWarehouse;
  let truth: Truth;
  let clean: CleanRow[];
  let results: AnalyticsResults;
  const queries = loadAnalyticsQueries();

  beforeAll(async () => {
    ({ truth, clean } = generateTruth({ rows: 20_000, seed: 61 }));
    warehouse = await startTruthWarehouse();
    await warehouse.load(clean);
    results = await runAnalytics({ warehouse: warehouse.redshift, queries });
  });
  afterAll(async () => {
    await warehouse?.close();
  });

  it('returns the declared columns, by name, for every query', async () => {
    for (const query of queries) {
      const statement = await warehouse.harness.execute(query.sql);
      expect(statement.Status, `${query.name}: ${statement.Error}`).toBe('FINISHED');
      const page = await warehouse.harness.client.send(new GetStatementResultCommand({ Id: statement.Id }));
      expect(page.ColumnMetadata?.map((column) => column.name), query.name).toEqual([...query.columns]);
    }
  });

  it('totals every line, order, customer, product, unit and cent of the truth', () => {
    const { total } = truth.aggregates;
    const dates = clean.map((row) => String(row.order_date)).sort();
    expect(recordsOf(results.sales_totals)).toEqual([{
      lines: total.lines, orders: total.orders, customers: Object.keys(truth.aggregates.by_customer).length,
      products: Object.keys(truth.aggregates.by_product).length, units: total.units, revenue: total.revenue,
      average_order_value: decimal(divideRounded(cents(total.revenue), BigInt(total.orders))),
      first_order_date: dates[0], last_order_date: dates[dates.length - 1],
    }]);
  });

  it('sums sales per month with the revenue growth on the month before', () => {
    const months = Object.entries(truth.aggregates.by_month).sort(([a], [b]) => byKey(a, b));
    expect(months.length).toBe(24);
    expect(recordsOf(results.monthly_sales)).toEqual(months.map(([month, figures], index) => {
      const previous = months[index - 1]?.[1];
      return {
        month, orders: figures.orders, units: figures.units, revenue: figures.revenue,
        revenue_growth_pct: previous ? percent(cents(figures.revenue) - cents(previous.revenue), cents(previous.revenue)) : null,
      };
    }));
  });

  for (const [name, measure, tieBreak] of [['top_products_by_revenue', 'revenue', 'units'], ['top_products_by_units', 'units', 'revenue']] as const) {
    it(`ranks the 10 products with the most ${measure} (${name})`, () => {
      const amount = (figures: { units: number; revenue: string }, field: 'units' | 'revenue') => (field === 'units' ? BigInt(figures.units) : cents(figures.revenue));
      const ranked = Object.entries(truth.aggregates.by_product)
        .sort(([idA, a], [idB, b]) => Number(amount(b, measure) - amount(a, measure)) || Number(amount(b, tieBreak) - amount(a, tieBreak)) || byKey(idA, idB))
        .slice(0, 10);
      const orders = distinctOrders(clean, (row) => String(row.product_id));
      const records = recordsOf(results[name]);
      expect(records.map(({ product_rank, product_id, orders: count, units, revenue, revenue_share_pct }) => ({ product_rank, product_id, orders: count, units, revenue, revenue_share_pct })))
        .toEqual(ranked.map(([productId, figures], index) => ({
          product_rank: index + 1, product_id: productId, orders: orders.get(productId), units: figures.units, revenue: figures.revenue,
          revenue_share_pct: percent(cents(figures.revenue), cents(truth.aggregates.total.revenue)),
        })));
      for (const record of records) {
        // The label is a (name, category) pair seen on the most rows of the product.
        const pairs = new Map<string, number>();
        for (const row of clean.filter((line) => line.product_id === record.product_id)) {
          const pair = JSON.stringify([row.product_name, row.category]);
          pairs.set(pair, (pairs.get(pair) ?? 0) + 1);
        }
        const most = Math.max(...pairs.values());
        expect(pairs.get(JSON.stringify([record.product_name, record.category])), String(record.product_id)).toBe(most);
      }
    });
  }

  for (const [name, column, group] of [
    ['revenue_by_category', 'category', 'by_category'], ['revenue_by_country', 'country', 'by_country'], ['sales_channel_mix', 'sales_channel', 'by_channel'],
  ] as const) {
    it(`splits revenue by ${column}, largest first, with each share (${name})`, () => {
      const orders = distinctOrders(clean, (row) => String(row[column] ?? '(none)'));
      const expected = Object.entries(truth.aggregates[group])
        .sort(([keyA, a], [keyB, b]) => Number(cents(b.revenue) - cents(a.revenue)) || byKey(keyA, keyB))
        .map(([key, figures]) => ({
          [column]: key, orders: orders.get(key), units: figures.units, revenue: figures.revenue,
          revenue_share_pct: percent(cents(figures.revenue), cents(truth.aggregates.total.revenue)),
        }));
      expect(expected.length).toBeGreaterThan(3);
      expect(recordsOf(results[name])).toEqual(expected);
    });
  }

  it("averages each customer's purchase value and gives its mean, quartiles, 90th percentile and maximum", () => {
    const values = purchaseValues(truth).sort((a, b) => Number(a - b));
    const sum = values.reduce((total, value) => total + value, 0n);
    expect(recordsOf(results.customer_purchase_value)).toEqual([{
      customers: values.length,
      mean_purchase_value: decimal(divideRounded(sum, BigInt(values.length))),
      p25_purchase_value: percentileCont(values, 1n, 4n),
      median_purchase_value: percentileCont(values, 1n, 2n),
      p75_purchase_value: percentileCont(values, 3n, 4n),
      p90_purchase_value: percentileCont(values, 9n, 10n),
      max_purchase_value: decimal(values[values.length - 1]!),
    }]);
  });

  it('counts customers per band of average purchase value', () => {
    const values = purchaseValues(truth);
    const bounds = [0, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 25_000, 50_000, null];
    expect(recordsOf(results.customer_purchase_value_distribution)).toEqual(bounds.slice(0, -1).map((lower, index) => {
      const upper = bounds[index + 1]!;
      const count = values.filter((value) => value >= BigInt(lower!) * 100n && (upper === null || value < BigInt(upper) * 100n)).length;
      return { band: index + 1, lower_bound: lower, upper_bound: upper, customers: count, customer_share_pct: percent(BigInt(count), BigInt(values.length)) };
    }));
  });

  it('gives the repeat-customer rate and the repeat customers’ share of revenue', () => {
    const customers = Object.values(truth.aggregates.by_customer);
    const repeat = customers.filter((customer) => customer.orders >= 2);
    const repeatRevenue = repeat.reduce((total, customer) => total + cents(customer.revenue), 0n);
    expect(repeat.length).toBeGreaterThan(0);
    expect(recordsOf(results.repeat_customers)).toEqual([{
      customers: customers.length, repeat_customers: repeat.length,
      repeat_customer_rate_pct: percent(BigInt(repeat.length), BigInt(customers.length)),
      repeat_customer_revenue: decimal(repeatRevenue),
      repeat_revenue_share_pct: percent(repeatRevenue, cents(truth.aggregates.total.revenue)),
    }]);
  });

  describe('on a warehouse with a gap or no sales', () => {
    afterAll(async () => {
      await warehouse.empty();
      await warehouse.load(clean);
    });

    it('leaves growth empty after a month without sales', async () => {
      await warehouse.empty();
      await warehouse.load(clean.filter((row) => /^2024-0[1-3]|^2024-05/.test(String(row.order_date)) && !String(row.order_date).startsWith('2024-02')));
      const monthly = await runAnalytics({ warehouse: warehouse.redshift, queries: queries.filter((query) => query.name === 'monthly_sales') });
      const rows = recordsOf(monthly.monthly_sales);
      expect(rows.map((row) => row.month)).toEqual(['2024-01', '2024-03', '2024-05']);
      expect(rows.map((row) => row.revenue_growth_pct)).toEqual([null, null, null]);
    });

    it('answers every query on an empty warehouse: zero totals, no groups, empty bands', async () => {
      await warehouse.empty();
      const empty = await runAnalytics({ warehouse: warehouse.redshift, queries });
      expect(empty.sales_totals.rows).toEqual([[0, 0, 0, 0, 0, '0.00', null, null, null]]);
      for (const name of ['monthly_sales', 'top_products_by_revenue', 'top_products_by_units', 'revenue_by_category', 'revenue_by_country', 'sales_channel_mix'] as const) {
        expect(empty[name].rows, name).toEqual([]);
      }
      expect(empty.customer_purchase_value.rows).toEqual([[0, null, null, null, null, null, null]]);
      expect(empty.customer_purchase_value_distribution.rows.map((row) => [row[3], row[4]])).toEqual(Array.from({ length: 11 }, () => [0, null]));
      expect(empty.repeat_customers.rows).toEqual([[0, 0, null, '0.00', null]]);
    });
  });
});
