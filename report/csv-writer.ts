import type { QueryResult, Value } from './run-analytics.js';

function csvField(value: Value): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * One query result as RFC 4180 CSV: a header row of column names, LF line ends, NULL as an empty field,
 * quotes only where a value needs them (comma, quote, line break, or edge spaces a reader would trim).
 */
export function resultToCsv(result: Pick<QueryResult, 'columns' | 'rows'>): string {
  return [result.columns, ...result.rows].map((row) => `${row.map(csvField).join(',')}\n`).join('');
}
