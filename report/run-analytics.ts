import type { RedshiftData, Row } from '../warehouse/redshift-data.js';
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

/** At most this many statements run at once by default: far below the Data API's quotas, and about 3× faster than one by one. */
export const defaultConcurrency = 4;

/**
 * Runs every query through the Data API, `concurrency` at a time, and checks each row against the declared
 * columns. Progress comes as queries start and finish; the results keep the queries' order.
 */
export async function runAnalytics(options: {
  warehouse: Pick<RedshiftData, 'query'>;
  queries: AnalyticsQuery[];
  concurrency?: number;
  onProgress?: (progress: AnalyticsProgress) => void;
  now?: () => number;
}): Promise<AnalyticsResults> {
  const { warehouse, queries, concurrency = defaultConcurrency, onProgress = () => undefined, now = Date.now } = options;
  const results: Partial<AnalyticsResults> = {};
  let next = 0;
  let finished = 0;
  const runOne = async (query: AnalyticsQuery, index: number) => {
    onProgress({ kind: 'started', name: query.name, index, total: queries.length });
    const started = now();
    const rows = await warehouse.query(`analytics-${query.name}`, query.sql);
    const misfit = rows.find((row) => row.length !== query.columns.length);
    if (misfit) {
      throw new UnexpectedColumnsError(`${query.name}.sql returned rows of ${misfit.length} columns, expected ${query.columns.length} (${query.columns.join(', ')}): update report/analytics-queries.ts or the query`);
    }
    const result: QueryResult = { name: query.name, columns: query.columns, rows, elapsedMs: now() - started };
    results[query.name] = result;
    onProgress({ kind: 'finished', result, index: finished++, total: queries.length });
  };
  let failed = false;
  const worker = async () => {
    while (next < queries.length && !failed) {
      const index = next++;
      await runOne(queries[index]!, index).catch((error: unknown) => {
        failed = true; // the other workers start nothing new
        throw error;
      });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, queries.length)) }, worker));
  return Object.fromEntries(queries.map((query) => [query.name, results[query.name]])) as AnalyticsResults;
}

/** The rows of a result as objects keyed by column name. */
export function recordsOf(result: QueryResult): Record<string, Value>[] {
  return result.rows.map((row) => Object.fromEntries(result.columns.map((column, index) => [column, row[index] ?? null])));
}
