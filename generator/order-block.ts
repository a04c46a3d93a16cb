import { cleanRowJson, type CleanLine, type QualityCount } from './ground-truth.js';

/** One record as written, with what cleaning it gives: reasons (rejected) or a clean line. */
export interface EmittedRecord {
  sourceLine: number;
  /** The record's text with line breaks as `\n`. */
  rawRecord: string;
  /** Rejection reasons in DESIGN 4.2 order; empty when the record passed validation. */
  reasons: string[];
  clean: CleanLine | null;
  quality: QualityCount | null;
}

export type Outcome = 'clean' | 'rejected' | 'duplicate_dropped' | 'duplicate_order_line';

/**
 * The duplicate rules of docs/data-contract.md over one order's records (every copy of a line key
 * lies within its order, so the rules resolve locally): among records that passed validation, a
 * record identical to a later one is dropped; otherwise a record whose line key appears later is
 * rejected `duplicate_order_line`.
 */
export function resolveOrderBlock(block: readonly EmittedRecord[]): Outcome[] {
  const outcomes: Outcome[] = new Array<Outcome>(block.length);
  // Identical rows share a line key, so identities are compared within a key and computed only
  // for keys that occur more than once.
  const identity = (line: CleanLine): string => JSON.stringify(cleanRowJson(line, 0));
  const laterByKey = new Map<string, { last: CleanLine; identities?: Set<string> }>();
  for (let index = block.length - 1; index >= 0; index--) {
    const record = block[index] as EmittedRecord;
    if (record.clean === null) {
      outcomes[index] = 'rejected';
      continue;
    }
    const key = `${record.clean.order_id}\u0000${record.clean.line_key}`;
    const later = laterByKey.get(key);
    if (!later) {
      outcomes[index] = 'clean';
      laterByKey.set(key, { last: record.clean });
      continue;
    }
    later.identities ??= new Set([identity(later.last)]);
    const own = identity(record.clean);
    outcomes[index] = later.identities.has(own) ? 'duplicate_dropped' : 'duplicate_order_line';
    later.identities.add(own);
  }
  return outcomes;
}
