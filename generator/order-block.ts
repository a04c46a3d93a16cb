import { cleanRowJson, type CleanLine, type QualityCount } from './ground-truth.js';

/** One record as written, with what cleaning it gives: reasons (rejected) or a clean line. */
export interface EmittedRecord {
  sourceLine: number;
  /** The record's text with line breaks as `\n`. */
  rawRecord: string;
  /** Rejection reasons in DESIGN 4.2 order; empty when the record passed validation. */
  reasons: readonly string[];
  clean: CleanLine | null;
  quality: QualityCount | null;
}

export type Outcome = 'clean' | 'rejected' | 'duplicate_dropped' | 'duplicate_order_line';

/** A clean line's whole content, to tell identical copies from lines that only share a key. */
function rowIdentity(line: CleanLine): string {
  return JSON.stringify(cleanRowJson(line, 0));
}

/**
 * The duplicate rules of docs/data-contract.md over one order's records (every copy of a line key
 * lies within its order, so the rules resolve locally): among records that passed validation, a
 * record identical to a later one is dropped; otherwise a record whose line key appears later is
 * rejected `duplicate_order_line`.
 */
export function resolveOrderBlock(block: readonly EmittedRecord[]): Outcome[] {
  const outcomes: Outcome[] = new Array<Outcome>(block.length);
  // Blocks are small (an order's lines), so later rows with the same key are found by scanning;
  // identical rows share a line key, so whole-row identities are built only when keys collide.
  const identities: (string | undefined)[] = new Array<string | undefined>(block.length);
  for (let index = block.length - 1; index >= 0; index--) {
    const clean = (block[index] as EmittedRecord).clean;
    if (clean === null) {
      outcomes[index] = 'rejected';
      continue;
    }
    outcomes[index] = 'clean';
    for (let later = index + 1; later < block.length; later++) {
      const other = (block[later] as EmittedRecord).clean;
      if (other === null || other.line_key !== clean.line_key || other.order_id !== clean.order_id) continue;
      if ((identities[later] ??= rowIdentity(other)) === (identities[index] ??= rowIdentity(clean))) {
        outcomes[index] = 'duplicate_dropped';
        break;
      }
      outcomes[index] = 'duplicate_order_line';
    }
  }
  return outcomes;
}
