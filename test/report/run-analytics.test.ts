import { describe, expect, it } from 'vitest';
import type { Row } from '../../warehouse/redshift-data.js';
import { loadAnalyticsQueries } from '../../report/analytics-queries.js';
import { runAnalytics, UnexpectedColumnsError, type AnalyticsProgress } from '../../report/run-analytics.js';

const queries = loadAnalyticsQueries();

/** A warehouse whose statements take a while and answer with rows of the declared width, counting how many run at once. */
function slowWarehouse(options: { delayMs: (name: string) => number; width?: (name: string) => number }) {
  const stats = { running: 0, mostAtOnce: 0, statementNames: [] as string[] };
  return {
    stats,
    warehouse: {
      async query(name: string): Promise<Row[]> {
        stats.statementNames.push(name);
        stats.running += 1;
        stats.mostAtOnce = Math.max(stats.mostAtOnce, stats.running);
        await new Promise((resolve) => setTimeout(resolve, options.delayMs(name)));
        stats.running -= 1;
        const query = queries.find((candidate) => `analytics-${candidate.name}` === name)!;
        return [Array.from({ length: options.width?.(query.name) ?? query.columns.length }, () => name)];
      },
    },
  };
}

describe('runAnalytics', () => {
  it('runs at most `concurrency` statements at once and keeps the queries’ order in the results', async () => {
    // Later queries finish first, so the results must not follow completion order.
    const { warehouse, stats } = slowWarehouse({ delayMs: (name) => 40 - queries.findIndex((query) => `analytics-${query.name}` === name) * 3 });
    const progress: AnalyticsProgress[] = [];
    const results = await runAnalytics({ warehouse, queries, concurrency: 3, onProgress: (event) => progress.push(event) });
    expect(stats.mostAtOnce).toBe(3);
    expect(Object.keys(results)).toEqual(queries.map((query) => query.name));
    expect(results.monthly_sales.rows).toEqual([Array(5).fill('analytics-monthly_sales')]);
    expect(progress.filter((event) => event.kind === 'finished').map((event) => event.index)).toEqual(queries.map((_, index) => index));
    expect(progress.filter((event) => event.kind === 'started')).toHaveLength(queries.length);
  });

  it('runs one at a time when asked', async () => {
    const { warehouse, stats } = slowWarehouse({ delayMs: () => 2 });
    await runAnalytics({ warehouse, queries, concurrency: 1 });
    expect(stats.mostAtOnce).toBe(1);
    expect(stats.statementNames).toEqual(queries.map((query) => `analytics-${query.name}`));
  });

  it('stops when a query returns other columns than declared, starting no further query', async () => {
    const { warehouse, stats } = slowWarehouse({ delayMs: () => 1, width: (name) => (name === 'repeat_customers' ? 4 : analyticsWidth(name)) });
    await expect(runAnalytics({ warehouse, queries, concurrency: 1 })).rejects.toThrow(new UnexpectedColumnsError(
      'repeat_customers.sql returned rows of 4 columns, expected 5 (customers, repeat_customers, repeat_customer_rate_pct, repeat_customer_revenue, repeat_revenue_share_pct): update report/analytics-queries.ts or the query',
    ));
    expect(stats.statementNames.at(-1)).toBe('analytics-repeat_customers');
    expect(stats.statementNames).toHaveLength(queries.findIndex((query) => query.name === 'repeat_customers') + 1);
  });
});

function analyticsWidth(name: string): number {
  return queries.find((query) => query.name === name)!.columns.length;
}
