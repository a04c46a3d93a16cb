import { describe, expect, it } from 'vitest';
import { dataQualitySummary } from '../../report/data-quality-section.js';
import { compactMoney, renderHtmlReport } from '../../report/html-report.js';
import { niceTicks } from '../../report/svg-charts.js';
import { emptyRows, resultsOf, sampleRows } from './sample-results.js';

const page = (rows = sampleRows) => renderHtmlReport({ results: resultsOf(rows), source: 'stage local, sales-warehouse/sales', generatedAt: new Date('2026-11-25T11:20:05Z') });

/** Marks drawn per chart id, read from the page text. */
function marksByChart(html: string): Record<string, number> {
  return Object.fromEntries(html.split('<figure ').slice(1).map((figure) => [/data-chart="([^"]+)"/.exec(figure)![1], figure.split('class="mark"').length - 1]));
}

describe('renderHtmlReport', () => {
  it('draws one mark per data point in each chart', () => {
    expect(marksByChart(page())).toEqual({
      'monthly-revenue': 3, 'monthly-orders': 3, 'revenue-growth': 2, 'top-products-revenue': 3, 'top-products-units': 3,
      'purchase-value-distribution': 11, 'revenue-by-category': 2, 'revenue-by-country': 2, 'sales-channel-mix': 2,
      'rejected-share-no-profile': 1, 'rejected-share-shop-orders': 2,
    });
  });

  it('is self-contained: no script, no stylesheet or image fetched, nothing but data: links', () => {
    const html = page();
    expect(html).not.toMatch(/<script|<img|<iframe|@import|url\(/i);
    expect([...html.matchAll(/(?:src|href)="([^"]*)"/g)].map((match) => match[1])).toEqual(['data:,']);
    expect(html.replaceAll('xmlns="http://www.w3.org/2000/svg"', '')).not.toMatch(/https?:/);
  });

  it('escapes values from the data', () => {
    const html = page();
    expect(html).toContain('Desk &lt;Lamp&gt; &amp; &quot;Co&quot; (P-1)');
    expect(html).not.toContain('<Lamp>');
  });

  it('shows the key figures, the summary, the source and the time', () => {
    const html = page();
    expect(html).toContain('<div class="figure" title="$1,000.00"><span>Revenue</span><strong>$1k</strong>');
    expect(html).toContain('<span>Repeat customers</span><strong>50.00%</strong>');
    expect(html).toContain('<li>Best month: 2024-03 with $500.00 (50.00% of all revenue, 3 orders).</li>');
    expect(html).toContain('stage local, sales-warehouse/sales · generated 2026-11-25 11:20 UTC');
  });

  it('says the warehouse is empty instead of drawing empty charts', () => {
    const html = page(emptyRows);
    expect(html).toContain('id="empty-warehouse"');
    expect(html).toContain('npm run upload -- FILE');
    expect(html).not.toContain('<figure');
    expect(html).not.toContain('id="summary"');
    expect(html).toContain('<p class="no-data" id="no-runs">No run is recorded in load_audit yet');
  });
});

describe('the data-quality section', () => {
  it('sums up what was read, kept, rejected and dropped, the files rejected whole, failed runs and the most frequent reason', () => {
    expect(dataQualitySummary(resultsOf(sampleRows))).toEqual([
      'Of 150 rows read from 3 loaded files (2 sources), 140 (93.33%) are in the warehouse, 9 (6.00%) were rejected and 1 (0.67%) dropped as exact duplicates.',
      '1 file was rejected whole: nothing of it is in the warehouse (see the reasons below).',
      '1 run failed before its file could be cleaned; the runs table below gives the error.',
      'Most frequent reason: the required product id is empty (missing_required:product_id), 5 rows from shop-orders.',
    ]);
  });

  it('explains each reason in words, with its code, its count, its share and the latest example as the file held it', () => {
    const html = page();
    const reasons = html.slice(html.indexOf('id="reasons-no-profile"'), html.indexOf('id="reasons-shop-orders"'));
    expect(reasons).toContain('<td>whole file</td><td>the file lacks required columns: order_id, quantity<code class="reason">missing_required_columns:order_id,quantity</code></td>');
    expect(reasons).toContain('<td>rows</td><td>the order date is not a date the source&#39;s date formats read<code class="reason">invalid_date</code></td><td class="number">3 rows</td><td class="number">3.00%</td>');
    expect(reasons).toContain('<code class="raw">O-7,2024-02-30,C-1,&lt;P-1&gt;,1,2.00</code><span class="where">line 7 of s3://data/raw/sales.csv</span>');
    expect(html).toContain('<code class="raw">#1004,,,1,Tip,5.00\n&quot;second line&quot;</code>');
  });

  it('lists every source and the latest runs, with the reason a file was rejected or the error a run failed with', () => {
    const html = page();
    expect(html).toMatch(/<table id="data-quality-sources">.*<td>shop-orders<\/td><td class="number">3<\/td><td class="number">0<\/td><td class="number">1<\/td><td class="number">50<\/td>/);
    const runs = html.slice(html.indexOf('id="data-quality-runs"'));
    expect(runs).toContain('<td>rejected_file</td><td class="number"></td>');
    expect(runs).toContain('the file lacks required columns: order_id, quantity<code class="reason">missing_required_columns:order_id,quantity</code>');
    expect(runs).toContain('<td>2026-11-24 09:00</td><td>(no profile)</td>');
    expect(runs).toContain('<td>failed</td><td class="number"></td><td class="number"></td><td class="number"></td><td class="number"></td><td class="number"></td><td>Java heap space</td>');
    expect(runs.indexOf('run-5') < 0 && runs.indexOf('orders-3.csv') < runs.indexOf('orders-2.csv')).toBe(true);
  });

  it('shows on a warehouse without sales, where every file was rejected: the stakeholder still sees why', () => {
    const onlyRejected = { ...emptyRows, data_quality_sources: [sampleRows.data_quality_sources[0]!], data_quality_reasons: [sampleRows.data_quality_reasons[0]!],
      data_quality_runs: [sampleRows.data_quality_runs[3]!], data_quality_over_time: [['(no profile)', '2026-11-24', 1, 1, 0, 0, null]] };
    const html = page(onlyRejected);
    expect(html).toContain('id="empty-warehouse"');
    expect(html).toContain('the file lacks required columns: order_id, quantity');
    expect(html).not.toContain('<figure');
  });
});

describe('chart scales', () => {
  it('picks round ticks that cover the data and zero', () => {
    expect(niceTicks(0, 3_299_467)).toEqual([0, 1_000_000, 2_000_000, 3_000_000, 4_000_000]);
    expect(niceTicks(-74.04, 199.99)).toEqual([-100, 0, 100, 200]);
    expect(niceTicks(3, 17)).toEqual([0, 5, 10, 15, 20]);
    expect(niceTicks(0, 0)).toEqual([0, 1]);
  });

  it('writes compact money ticks', () => {
    expect([0, 500, 12.5, 2_500, 1_000_000, 1_500_000, 33_943_969.45, -2_000_000_000].map(compactMoney)).toEqual(['$0', '$500', '$12.5', '$2.5k', '$1M', '$1.5M', '$33.9M', '-$2B']);
  });
});
