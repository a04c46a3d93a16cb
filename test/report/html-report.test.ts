import { describe, expect, it } from 'vitest';
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
