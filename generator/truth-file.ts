import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Revenue and counts of a group of clean lines: products, categories, countries and channels count units. */
export interface TruthTotals {
  lines: number;
  units: number;
  revenue: string;
}

/** A customer's lines count orders, not units. */
export interface CustomerTotals {
  lines: number;
  orders: number;
  revenue: string;
}

/** The whole file and each month count both. */
export type OrderTotals = TruthTotals & CustomerTotals;

export interface TruthCounts {
  rows_read: number;
  rows_clean: number;
  rows_rejected: number;
  duplicates_dropped: number;
  blank_lines: number;
}

/** An expected clean row: every clean column of the contract but lineage, and the source line. */
export type TruthCleanRow = Record<string, string | number | null>;

export interface TruthRejectedRow {
  source_line: number;
  reasons: string[];
  raw_record: string;
}

/** NAME.truth.json: what the pipeline must make of the file NAME.csv (docs/ground-truth.md). */
export interface TruthFile {
  format: number;
  seed?: number;
  rows?: number;
  dirty_rate?: number;
  has_line_id: boolean;
  bom?: boolean;
  line_ending?: 'lf' | 'crlf';
  date_range?: { from: string; to: string };
  counts: TruthCounts;
  reasons: Record<string, number>;
  ignored_columns: string[];
  quality: Record<string, number>;
  aggregates: {
    total: OrderTotals;
    by_month: Record<string, OrderTotals>;
    by_product: Record<string, TruthTotals>;
    by_customer: Record<string, CustomerTotals>;
    by_category: Record<string, TruthTotals>;
    by_country: Record<string, TruthTotals>;
    by_channel: Record<string, TruthTotals>;
  };
  /** NAME.truth.clean.jsonl beside it, or null when the file had more rows than the truth lists. */
  clean_rows_file: string | null;
  rejected_rows_file: string;
}

/** A truth file with the rows its row files list. */
export interface GroundTruth extends TruthFile {
  clean: TruthCleanRow[] | undefined;
  rejected: TruthRejectedRow[];
}

function jsonLines<T>(file: string): T[] {
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as T);
}

/** Reads NAME.truth.json and the row files it names beside it. */
export function readGroundTruth(truthFile: string): GroundTruth {
  const truth = JSON.parse(readFileSync(truthFile, 'utf8')) as TruthFile;
  const folder = dirname(truthFile);
  return {
    ...truth,
    clean: truth.clean_rows_file ? jsonLines(join(folder, truth.clean_rows_file)) : undefined,
    rejected: jsonLines(join(folder, truth.rejected_rows_file)),
  };
}
