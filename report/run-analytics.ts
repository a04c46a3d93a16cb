import type { RedshiftData, Row } from '../lambda/shared/redshift-data.js';
import type { AnalyticsQuery, QueryName } from './analytics-queries.js';

export type Value = Row[number];

export interface QueryResult {
  name: QueryName;
  columns: readonly string[];
  rows: Row[];
  elapsedMs: number;
}

export type AnalyticsResults = Record<QueryName, QueryResult>;

export type AnalyticsProgress =
  | { kind: 'started'; name: QueryName; index: number; total: number }
  | { kind: 'finished'; result: QueryResult; index: number; total: number };

export class UnexpectedColumnsError extends Error {
  override readonly name = 'UnexpectedColumnsError';
}

/** Runs every query through the Data API, one after the other, and checks each row against the declared columns. */
export async function runAnalytics(options: {
  warehouse: Pick<RedshiftData, 'query'>;
  queries: AnalyticsQuery[];
  onProgress?: (progress: AnalyticsProgress) => void;
  now?: () => number;
}): Promise<AnalyticsResults> {
  const { warehouse, queries, onProgress = () => undefined, now = Date.now } = options;
  const results: Partial<AnalyticsResults> = {};
  for (const [index, query] of queries.entries()) {
    onProgress({ kind: 'started', name: query.name, index, total: queries.length });
    const started = now();
    const rows = await warehouse.query(`analytics-${query.name}`, query.sql);
    const misfit = rows.find((row) => row.length !== query.columns.length);
    if (misfit) {
      throw new UnexpectedColumnsError(`${query.name}.sql returned rows of ${misfit.length} columns, expected ${query.columns.length} (${query.columns.join(', ')}): update report/analytics-queries.ts or the query`);
    }
    const result: QueryResult = { name: query.name, columns: query.columns, rows, elapsedMs: now() - started };
    results[query.name] = result;
    onProgress({ kind: 'finished', result, index, total: queries.length });
  }
  return results as AnalyticsResults;
}

/** The rows of a result as objects keyed by column name. */
export function recordsOf(result: QueryResult): Record<string, Value>[] {
  return result.rows.map((row) => Object.fromEntries(result.columns.map((column, index) => [column, row[index] ?? null])));
}
