import { formatCount, formatMoney, formatPercent, formatShare, percentage, toHundredths } from './decimal-format.js';
import { recordsOf, type AnalyticsResults, type Value } from './run-analytics.js';

/** True when the warehouse holds no sales: the report then says so instead of drawing empty charts. */
export function isEmptyWarehouse(results: AnalyticsResults): boolean {
  const totals = recordsOf(results.sales_totals)[0];
  return !totals || Number(totals.lines) === 0;
}

const text = (value: Value | undefined): string => String(value ?? '');
const money = (value: Value | undefined): bigint => toHundredths(text(value) || '0');

function growthPhrase(growthPct: Value | undefined): string {
  const growth = toHundredths(text(growthPct));
  if (growth === 0n) return 'flat';
  return `${growth > 0n ? 'up' : 'down'} ${formatPercent(text(growthPct).replace('-', ''))}`;
}

/** Revenue of the last 12 months against the 12 before, when the warehouse holds 24 consecutive months. */
function yearOnYear(months: Record<string, Value>[]): string | undefined {
  if (months.length < 24) return undefined;
  const recent = months.slice(-12);
  const before = months.slice(-24, -12);
  const index = (month: Value | undefined) => { const [year, m] = text(month).split('-').map(Number); return year! * 12 + m!; };
  if (index(recent[11]!.month) - index(before[0]!.month) !== 23) return undefined;
  const sum = (rows: Record<string, Value>[]) => rows.reduce((total, row) => total + money(row.revenue), 0n);
  const [recentRevenue, beforeRevenue] = [sum(recent), sum(before)];
  const change = percentage(recentRevenue - beforeRevenue, beforeRevenue);
  if (change === null) return undefined;
  return `The last 12 months (${text(recent[0]!.month)} to ${text(recent[11]!.month)}) brought ${formatMoney(recentRevenue)}, `
    + `${growthPhrase(change)} on the 12 months before (${formatMoney(beforeRevenue)}).`;
}

/** The short written summary of the report: one sentence per insight, computed from the query results only. */
export function insights(results: AnalyticsResults): string[] {
  if (isEmptyWarehouse(results)) return [];
  const totals = recordsOf(results.sales_totals)[0]!;
  const totalRevenue = money(totals.revenue);
  const sentences: string[] = [
    `${formatMoney(totalRevenue)} of revenue from ${formatCount(text(totals.orders))} orders (${formatCount(text(totals.lines))} lines, `
      + `${formatCount(text(totals.units))} units) by ${formatCount(text(totals.customers))} customers, ${text(totals.first_order_date)} to ${text(totals.last_order_date)}.`,
  ];

  const months = recordsOf(results.monthly_sales);
  const best = months.reduce((top, row) => (money(row.revenue) > money(top.revenue) ? row : top), months[0]!);
  sentences.push(`Best month: ${text(best.month)} with ${formatMoney(text(best.revenue))} (${formatShare(percentage(money(best.revenue), totalRevenue))} of all revenue, `
    + `${formatCount(text(best.orders))} orders).`);
  const latest = months[months.length - 1]!;
  const previous = months[months.length - 2];
  if (previous && latest.revenue_growth_pct !== null) {
    sentences.push(`Latest month ${text(latest.month)}: revenue ${growthPhrase(latest.revenue_growth_pct)} on ${text(previous.month)} (${formatMoney(text(latest.revenue))}).`);
  }
  const yearly = yearOnYear(months);
  if (yearly) sentences.push(yearly);

  const products = recordsOf(results.top_products_by_revenue);
  const topRevenue = products.reduce((total, row) => total + money(row.revenue), 0n);
  const leader = products[0]!;
  sentences.push(`The top ${products.length} products by revenue bring ${formatShare(percentage(topRevenue, totalRevenue))} of revenue; `
    + `the leader, ${text(leader.product_name) || text(leader.product_id)} (${text(leader.product_id)}), alone ${formatShare(leader.revenue_share_pct)}.`);

  const purchase = recordsOf(results.customer_purchase_value)[0]!;
  sentences.push(`Average basket: ${formatMoney(text(totals.average_order_value))} per order; a customer's average purchase is `
    + `${formatMoney(text(purchase.median_purchase_value))} at the median and ${formatMoney(text(purchase.mean_purchase_value))} on average `
    + `(a quarter of customers above ${formatMoney(text(purchase.p75_purchase_value))}).`);

  const repeat = recordsOf(results.repeat_customers)[0]!;
  sentences.push(`${formatShare(repeat.repeat_customer_rate_pct)} of customers (${formatCount(text(repeat.repeat_customers))} of ${formatCount(text(repeat.customers))}) `
    + `ordered more than once; they bring ${formatShare(repeat.repeat_revenue_share_pct)} of revenue.`);

  const category = recordsOf(results.revenue_by_category)[0]!;
  const country = recordsOf(results.revenue_by_country)[0]!;
  const channels = recordsOf(results.sales_channel_mix).map((row) => `${text(row.sales_channel)} ${formatShare(row.revenue_share_pct)}`);
  sentences.push(`Largest category: ${text(category.category)} (${formatShare(category.revenue_share_pct)} of revenue); `
    + `largest country: ${text(country.country)} (${formatShare(country.revenue_share_pct)}); channel mix by revenue: ${channels.join(', ')}.`);
  return sentences;
}
