import { basename } from 'node:path';
import { sortReasons } from './dirt.js';
import { FileWriter } from './file-writer.js';
import { Aggregates, cleanRowJson, QUALITY_COUNTS, type CleanLine, type QualityCount } from './ground-truth.js';
import type { EmittedRecord, Outcome } from './order-block.js';
import type { TruthCounts, TruthFile } from './truth-file.js';

/** What the truth file says about the file as a whole (docs/ground-truth.md). */
export interface TruthFileFacts {
  seed: number;
  rows: number;
  dirtyRate: number;
  hasLineId: boolean;
  bom: boolean;
  crlf: boolean;
  dateRange: { from: string; to: string };
  ignoredColumns: string[];
}

/**
 * Accumulates the ground truth order by order: writes expected clean and rejected rows as they are
 * resolved and keeps only counts and bounded aggregates in memory.
 */
export class TruthWriter {
  readonly counts: TruthCounts = { rows_read: 0, rows_clean: 0, rows_rejected: 0, duplicates_dropped: 0, blank_lines: 0 };
  private readonly reasons = new Map<string, number>();
  private readonly quality = Object.fromEntries(QUALITY_COUNTS.map((name) => [name, 0])) as Record<QualityCount, number>;
  private readonly aggregates = new Aggregates();
  private readonly cleanOut: FileWriter | null;
  private readonly rejectedOut: FileWriter;
  private readonly orderLines: CleanLine[] = [];

  /** `base` is the CSV's path without `.csv`; clean rows are written only when `writeCleanRows`. */
  constructor(
    private readonly base: string,
    private readonly writeCleanRows: boolean,
  ) {
    this.cleanOut = writeCleanRows ? new FileWriter(`${base}.truth.clean.jsonl`) : null;
    this.rejectedOut = new FileWriter(`${base}.truth.rejected.jsonl`);
  }

  addBlankLine(): void {
    this.counts.blank_lines += 1;
  }

  /** One order's records (in file order) and their outcomes from `resolveOrderBlock`. */
  addOrder(block: readonly EmittedRecord[], outcomes: readonly Outcome[]): void {
    this.orderLines.length = 0;
    for (let index = 0; index < block.length; index++) {
      const record = block[index] as EmittedRecord;
      const outcome = outcomes[index] as Outcome;
      this.counts.rows_read += 1;
      if (outcome === 'duplicate_dropped') {
        this.counts.duplicates_dropped += 1;
      } else if (outcome === 'clean') {
        const clean = record.clean as CleanLine;
        this.counts.rows_clean += 1;
        if (record.quality) this.quality[record.quality] += 1;
        this.orderLines.push(clean);
        this.cleanOut?.write(`${JSON.stringify(cleanRowJson(clean, record.sourceLine))}\n`);
      } else {
        const reasons = outcome === 'duplicate_order_line' ? ['duplicate_order_line'] : record.reasons;
        this.counts.rows_rejected += 1;
        for (const reason of reasons) this.reasons.set(reason, (this.reasons.get(reason) ?? 0) + 1);
        this.rejectedOut.write(`${JSON.stringify({ source_line: record.sourceLine, reasons, raw_record: record.rawRecord })}\n`);
      }
    }
    this.aggregates.addOrder(this.orderLines);
  }

  /** Closes the row files and writes `<base>.truth.json`. */
  finish(facts: TruthFileFacts): string {
    this.cleanOut?.close();
    this.rejectedOut.close();
    const name = basename(this.base);
    const truth: TruthFile = {
      format: 1,
      seed: facts.seed,
      rows: facts.rows,
      dirty_rate: facts.dirtyRate,
      has_line_id: facts.hasLineId,
      bom: facts.bom,
      line_ending: facts.crlf ? 'crlf' : 'lf',
      date_range: facts.dateRange,
      counts: this.counts,
      reasons: Object.fromEntries(sortReasons([...this.reasons.keys()]).map((reason) => [reason, this.reasons.get(reason) ?? 0])),
      ignored_columns: facts.ignoredColumns,
      quality: this.quality,
      aggregates: this.aggregates.toJson() as TruthFile['aggregates'],
      clean_rows_file: this.writeCleanRows ? `${name}.truth.clean.jsonl` : null,
      rejected_rows_file: `${name}.truth.rejected.jsonl`,
    };
    const path = `${this.base}.truth.json`;
    const out = new FileWriter(path);
    out.write(`${JSON.stringify(truth, null, 2)}\n`);
    out.close();
    return path;
  }
}
