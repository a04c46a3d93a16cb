import { salesContract } from '../contract/sales-contract.js';
import type { GroundTruth } from '../generator/truth-file.js';
import type { RedshiftData, Row } from '../warehouse/redshift-data.js';
import { sqlString } from '../warehouse/sql-literal.js';
import type { AuditRecord } from './follow-run.js';

/** The parts of a file's ground truth a run is reconciled with. */
export type ReconciledTruth = Pick<GroundTruth, 'counts' | 'clean' | 'rejected'> & { aggregates: Pick<GroundTruth['aggregates'], 'total' | 'by_month'> };

/** The clean columns the ground truth states: every column of the contract but lineage, and the source line. */
const CLEAN_FIELDS = [
  ...salesContract.clean_columns.filter((column) => column.from !== 'lineage').map((column) => column.name),
  'source_line',
];

const text = (value: unknown): string => (value === null || value === undefined ? 'null' : String(value));

/** Compares two lists row by row; reports the first few differences and the count of the rest. */
function compareRows(what: string, actual: string[][], expected: string[][], columns: readonly string[], problems: string[]): void {
  if (actual.length !== expected.length) problems.push(`${what}: ${actual.length} rows in the warehouse, ${expected.length} expected`);
  let differences = 0;
  for (let index = 0; index < Math.min(actual.length, expected.length); index++) {
    const column = columns.findIndex((_, position) => actual[index]![position] !== expected[index]![position]);
    if (column < 0) continue;
    differences += 1;
    if (differences <= 5) {
      const line = columns.indexOf('source_line');
      const where = line >= 0 ? `row of source line ${expected[index]![line]}` : `row ${index + 1} (${columns[0]} ${expected[index]![0]})`;
      problems.push(`${what} ${where}: ${columns[column]} is ${JSON.stringify(actual[index]![column])}, expected ${JSON.stringify(expected[index]![column])}`);
    }
  }
  if (differences > 5) problems.push(`${what}: ${differences - 5} more rows differ`);
}

/**
 * Everything the warehouse holds for one run, checked against the ground truth: the audit counts, every
 * clean row and rejected row (when the truth lists them) and the monthly totals to the cent. Returns the
 * differences; an empty list means the run reconciles exactly.
 */
export async function reconcileRun(warehouse: Pick<RedshiftData, 'query'>, runId: string, audit: AuditRecord, truth: ReconciledTruth): Promise<string[]> {
  const problems: string[] = [];
  if (audit.status !== 'loaded') problems.push(`the run's audit status is "${audit.status}"${audit.error ? ` (${audit.error})` : ''}, expected "loaded"`);
  const counts = { rows_read: audit.rowsRead, rows_clean: audit.rowsClean, rows_rejected: audit.rowsRejected, duplicates_dropped: audit.duplicatesDropped, blank_lines: audit.blankLines };
  for (const [name, value] of Object.entries(counts)) {
    const expected = truth.counts[name as keyof GroundTruth['counts']];
    if (value !== expected) problems.push(`audit ${name} is ${value}, expected ${expected}`);
  }
  const run = sqlString(runId);

  if (truth.clean) {
    const rows = await warehouse.query('reconcile-clean', `SELECT ${CLEAN_FIELDS.join(', ')} FROM sales WHERE run_id = ${run} ORDER BY source_line`);
    compareRows('clean', rows.map((row: Row) => row.map(text)), truth.clean.map((row) => CLEAN_FIELDS.map((field) => text(row[field]))), CLEAN_FIELDS, problems);
  }
  const rejected = await warehouse.query('reconcile-rejected', `SELECT source_line, reasons, raw_record FROM sales_rejected WHERE run_id = ${run} ORDER BY source_line`);
  compareRows('rejected', rejected.map((row) => row.map(text)), truth.rejected.map((row) => [text(row.source_line), row.reasons.join(';'), row.raw_record]), ['source_line', 'reasons', 'raw_record'], problems);

  const months = await warehouse.query('reconcile-months', 'SELECT TO_CHAR(order_date, \'YYYY-MM\') AS month, COUNT(*), COUNT(DISTINCT order_id), SUM(quantity), SUM(total_amount)'
    + ` FROM sales WHERE run_id = ${run} GROUP BY 1 ORDER BY 1`);
  const expectedMonths = Object.entries(truth.aggregates.by_month).sort(([a], [b]) => a.localeCompare(b));
  compareRows('monthly totals', months.map((row) => row.map(text)),
    expectedMonths.map(([month, totals]) => [month, text(totals.lines), text(totals.orders), text(totals.units), totals.revenue]),
    ['month', 'lines', 'orders', 'units', 'revenue'], problems);
  return problems;
}
