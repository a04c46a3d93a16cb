import type { QueryResult, Value } from './run-analytics.js';

/** A spreadsheet runs a cell starting with one of these as a formula (OWASP, CSV injection). */
const formulaStart = /^[=+\-@\t\r]/;
/** A plain decimal number: a spreadsheet reads it as that number, so a leading sign is safe and kept. */
const plainNumber = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

function csvField(value: Value): string {
  if (value === null) return '';
  const text = String(value);
  if (formulaStart.test(text) && !plainNumber.test(text)) return `"'${text.replaceAll('"', '""')}"`;
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * One query result as RFC 4180 CSV: a header row of column names, LF line ends, NULL as an empty field,
 * quotes only where a value needs them (comma, quote, line break, or edge spaces a reader would trim).
 * A text that a spreadsheet would run as a formula (it starts with `=`, `+`, `-`, `@`, tab or CR and is
 * not a number) gets a leading `'` and quotes, as OWASP recommends: a product named `=HYPERLINK(…)`
 * shows as text. Numbers, negative ones included, are written unchanged.
 */
export function resultToCsv(result: Pick<QueryResult, 'columns' | 'rows'>): string {
  return [result.columns, ...result.rows].map((row) => `${row.map(csvField).join(',')}\n`).join('');
}
