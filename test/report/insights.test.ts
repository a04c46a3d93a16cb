import { describe, expect, it } from 'vitest';
import { insights, isEmptyWarehouse } from '../../report/insights.js';
import type { Row } from '../../warehouse/redshift-data.js';
import { emptyRows, resultsOf, sampleRows } from './sample-results.js';

describe('insights', () => {
  it('summarises totals, best and latest month, top products, basket, repeat customers and the largest groups', () => {
    expect(insights(resultsOf(sampleRows))).toEqual([
      '$1,000.00 of revenue from 6 orders (10 lines, 25 units) by 4 customers, 2024-01-03 to 2024-03-28.',
      'Best month: 2024-03 with $500.00 (50.00% of all revenue, 3 orders).',
      'Latest month 2024-03: revenue up 150.00% on 2024-02 ($500.00).',
      'The top 3 products by revenue bring 100.00% of revenue; the leader, Desk <Lamp> & "Co" (P-1), alone 60.00%.',
      "Average basket: $166.67 per order; a customer's average purchase is $150.00 at the median and $175.00 on average (a quarter of customers above $250.00).",
      '50.00% of customers (2 of 4) ordered more than once; they bring 70.00% of revenue.',
      'Largest category: Home (90.00% of revenue); largest country: US (70.00%); channel mix by revenue: online 65.00%, store 35.00%.',
    ]);
  });

  it('says a falling latest month went down', () => {
    const monthly_sales: Row[] = [['2024-01', 2, 8, '300.00', null], ['2024-02', 1, 5, '200.00', '-33.33']];
    expect(insights(resultsOf({ ...sampleRows, monthly_sales }))).toContain('Latest month 2024-02: revenue down 33.33% on 2024-01 ($200.00).');
  });

  it('leaves out month-on-month growth when the month before had no sales', () => {
    const monthly_sales: Row[] = [['2024-01', 2, 8, '300.00', null], ['2024-03', 1, 5, '200.00', null]];
    expect(insights(resultsOf({ ...sampleRows, monthly_sales })).join(' ')).not.toMatch(/Latest month/);
  });

  it('compares the last 12 months with the 12 before when 24 consecutive months are there', () => {
    const monthly_sales: Row[] = Array.from({ length: 24 }, (_, index) => {
      const month = `${2024 + Math.floor(index / 12)}-${String(index % 12 + 1).padStart(2, '0')}`;
      return [month, 1, 1, index < 12 ? '100.00' : '110.00', index === 0 ? null : index === 12 ? '10.00' : '0.00'];
    });
    const sentences = insights(resultsOf({ ...sampleRows, monthly_sales }));
    expect(sentences).toContain('The last 12 months (2025-01 to 2025-12) brought $1,320.00, up 10.00% on the 12 months before ($1,200.00).');
    expect(sentences).toContain('Latest month 2025-12: revenue flat on 2025-11 ($110.00).');
    monthly_sales.splice(5, 1);
    expect(insights(resultsOf({ ...sampleRows, monthly_sales })).join(' ')).not.toMatch(/last 12 months/);
  });

  it('has nothing to say about an empty warehouse', () => {
    expect(isEmptyWarehouse(resultsOf(emptyRows))).toBe(true);
    expect(isEmptyWarehouse(resultsOf(sampleRows))).toBe(false);
    expect(insights(resultsOf(emptyRows))).toEqual([]);
  });
});
