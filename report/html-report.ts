import { chartFigure, type Chart } from './chart-figure.js';
import { renderDataQualitySection } from './data-quality-section.js';
import { formatCount, formatMoney, formatPercent, formatShare } from './decimal-format.js';
import { insights, isEmptyWarehouse } from './insights.js';
import { recordsOf, type AnalyticsResults, type Value } from './run-analytics.js';
import { barChart, columnChart, escapeXml, lineChart, type ChartPoint } from './svg-charts.js';

export interface ReportPage {
  results: AnalyticsResults;
  generatedAt: Date;
  /** Where the numbers come from, shown in the header (`stage local, sales-warehouse/sales`). */
  source: string;
}

const text = (value: Value | undefined): string => String(value ?? '');

/** `1234567` → `$1.2M`: axis ticks only; every exact figure is shown as formatMoney. */
export function compactMoney(value: number): string {
  const absolute = Math.abs(value);
  const [divisor, suffix] = absolute >= 1e9 ? [1e9, 'B'] : absolute >= 1e6 ? [1e6, 'M'] : absolute >= 1e3 ? [1e3, 'k'] : [1, ''];
  const scaled = value / divisor;
  return `${value < 0 ? '-' : ''}$${Number(Math.abs(scaled).toFixed(Number.isInteger(scaled) ? 0 : divisor === 1 ? 2 : 1))}${suffix}`;
}

/** `$100–250`, `$50k+`: short enough for eleven labels side by side. */
function bandLabel(row: Record<string, Value>): string {
  const lower = compactMoney(Number(row.lower_bound));
  return row.upper_bound === null ? `${lower}+` : `${lower}–${compactMoney(Number(row.upper_bound)).replace('$', '')}`;
}

/** Every chart of the report, from the query results; each point becomes one mark. */
function reportCharts(results: AnalyticsResults): Chart[] {
  const months = recordsOf(results.monthly_sales);
  const revenuePoints = (rows: Record<string, Value>[], label: (row: Record<string, Value>) => string): ChartPoint[] =>
    rows.map((row) => ({ label: label(row), value: Number(row.revenue), display: `${formatMoney(text(row.revenue))} (${formatShare(row.revenue_share_pct)})` }));
  const count = (value: number) => formatCount(Math.round(value));
  return [
    {
      id: 'monthly-revenue', title: 'Revenue per month', note: 'Net line amounts, by order date.', draw: columnChart, formatTick: compactMoney,
      points: months.map((row) => ({ label: text(row.month), value: Number(row.revenue), display: formatMoney(text(row.revenue)) })),
    },
    {
      id: 'monthly-orders', title: 'Orders per month', note: 'Distinct orders placed in the month.', draw: lineChart, formatTick: count,
      points: months.map((row) => ({ label: text(row.month), value: Number(row.orders), display: `${formatCount(text(row.orders))} orders, ${formatCount(text(row.units))} units` })),
    },
    {
      id: 'revenue-growth', title: 'Revenue growth on the month before', note: 'Months without a previous month of sales are left out.',
      draw: columnChart, formatTick: (value) => `${value}%`,
      points: months.filter((row) => row.revenue_growth_pct !== null)
        .map((row) => ({ label: text(row.month), value: Number(row.revenue_growth_pct), display: formatPercent(text(row.revenue_growth_pct)) })),
    },
    {
      id: 'top-products-revenue', title: 'Top products by revenue', note: 'Share of all revenue in brackets.', draw: barChart, formatTick: compactMoney,
      points: revenuePoints(recordsOf(results.top_products_by_revenue), (row) => `${text(row.product_name) || text(row.product_id)} (${text(row.product_id)})`),
    },
    {
      id: 'top-products-units', title: 'Top products by units', note: 'Units sold.', draw: barChart, formatTick: count,
      points: recordsOf(results.top_products_by_units).map((row) => ({
        label: `${text(row.product_name) || text(row.product_id)} (${text(row.product_id)})`, value: Number(row.units), display: `${formatCount(text(row.units))} units`,
      })),
    },
    {
      id: 'purchase-value-distribution', title: 'Customers by average purchase value', note: "A customer's revenue divided by their orders.",
      draw: columnChart, formatTick: count,
      points: recordsOf(results.customer_purchase_value_distribution).map((row) => ({
        label: bandLabel(row), value: Number(row.customers), display: `${formatCount(text(row.customers))} customers (${formatShare(row.customer_share_pct)})`,
      })),
    },
    {
      id: 'revenue-by-category', title: 'Revenue by category', note: 'Share of all revenue in brackets.', draw: barChart, formatTick: compactMoney,
      points: revenuePoints(recordsOf(results.revenue_by_category), (row) => text(row.category)),
    },
    {
      id: 'revenue-by-country', title: 'Revenue by country', note: 'ISO country codes; share of all revenue in brackets.', draw: barChart, formatTick: compactMoney,
      points: revenuePoints(recordsOf(results.revenue_by_country), (row) => text(row.country)),
    },
    {
      id: 'sales-channel-mix', title: 'Sales channel mix', note: 'Revenue per channel; share in brackets.', draw: barChart, formatTick: compactMoney,
      points: revenuePoints(recordsOf(results.sales_channel_mix), (row) => text(row.sales_channel)),
    },
  ];
}

function keyFigures(results: AnalyticsResults): string {
  const totals = recordsOf(results.sales_totals)[0]!;
  const repeat = recordsOf(results.repeat_customers)[0]!;
  // Revenue is shown rounded so that the tiles stay in one row; the exact figure is the tile's tooltip and in the summary.
  const tiles: [string, string, string?][] = [
    ['Revenue', compactMoney(Number(totals.revenue)), formatMoney(text(totals.revenue))],
    ['Orders', formatCount(text(totals.orders))],
    ['Customers', formatCount(text(totals.customers))],
    ['Average basket', totals.average_order_value === null ? 'n/a' : formatMoney(text(totals.average_order_value))],
    ['Repeat customers', formatShare(repeat.repeat_customer_rate_pct)],
  ];
  return `<section class="figures">${tiles.map(([label, value, exact]) => `<div class="figure"${exact ? ` title="${escapeXml(exact)}"` : ''}><span>${escapeXml(label)}</span><strong>${escapeXml(value)}</strong></div>`).join('')}</section>`;
}

const STYLE = `
body { margin: 0; background: #f5f6f8; color: #27303a; font: 15px/1.5 system-ui, sans-serif; }
main { max-width: 820px; margin: 0 auto; padding: 24px 16px 48px; }
h1 { margin: 0 0 4px; font-size: 26px; } h2 { font-size: 18px; margin: 28px 0 8px; }
.meta { color: #5b6470; margin: 0 0 20px; }
.figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(140px, 1fr)); gap: 10px; }
.figure { background: #fff; border-radius: 8px; padding: 10px 14px; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
.figure span { display: block; color: #5b6470; font-size: 13px; } .figure strong { font-size: 19px; }
.summary li { margin: 4px 0; }
.chart { background: #fff; margin: 16px 0; padding: 12px 14px; border-radius: 8px; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
.chart figcaption { margin-bottom: 8px; } .chart figcaption span { color: #5b6470; font-size: 13px; }
.chart svg { display: block; }
.empty { background: #fff8e6; border: 1px solid #f0d79a; border-radius: 8px; padding: 12px 16px; }
footer { color: #5b6470; font-size: 13px; margin-top: 32px; }
h3 { font-size: 15px; margin: 20px 0 6px; }
.note { color: #5b6470; font-size: 13px; }
.table-scroll { overflow-x: auto; background: #fff; border-radius: 8px; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
table { border-collapse: collapse; width: 100%; font-size: 12.5px; }
th, td { text-align: left; vertical-align: top; padding: 5px 6px; border-bottom: 1px solid #e3e6ea; }
th { background: #eef0f3; font-weight: 600; } .number { text-align: right; white-space: nowrap; }
code.raw { display: block; white-space: pre-wrap; overflow-wrap: anywhere; background: #f5f6f8; padding: 2px 4px; border-radius: 4px; }
code.reason { display: block; color: #5b6470; font-size: 12px; overflow-wrap: anywhere; }
table.reasons td:last-child { width: 45%; } table.reasons td:nth-child(2) { width: 30%; }
.where { display: block; color: #5b6470; font-size: 12px; overflow-wrap: anywhere; }
`;

/** The whole report as one self-contained HTML page: inline CSS and SVG, no script, nothing fetched. */
export function renderHtmlReport(page: ReportPage): string {
  const { results } = page;
  const generated = `${page.generatedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  const content = isEmptyWarehouse(results)
    ? '<section class="empty" id="empty-warehouse"><h2>The warehouse has no sales yet</h2>'
      + '<p>The table <code>sales</code> is empty, so there is nothing to chart. Upload a sales file (on stage local: '
      + '<code>npm run upload -- FILE</code>), wait for the pipeline to load it, then run <code>npm run report</code> again. '
      + 'If files were uploaded, the data-quality section below says why nothing of them was loaded.</p></section>'
    : `${keyFigures(results)}<section class="summary" id="summary"><h2>Summary</h2><ul>${insights(results).map((sentence) => `<li>${escapeXml(sentence)}</li>`).join('')}</ul></section>`
      + `<section id="charts"><h2>Charts</h2>${reportCharts(results).map(chartFigure).join('')}</section>`;
  return '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
    + '<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">'
    + `<title>Sales report ${escapeXml(generated)}</title><style>${STYLE}</style></head>`
    + `<body><main><h1>Sales report</h1><p class="meta">${escapeXml(page.source)} · generated ${escapeXml(generated)}</p>${content}`
    + renderDataQualitySection(results)
    + '<footer>Figures from the queries in <code>sql/analytics/</code>; each result is also a CSV file beside this page. '
    + 'Revenue is the net line amount (quantity × unit price × (1 − discount)); an order\'s value sums its lines.</footer>'
    + '</main></body></html>\n';
}
