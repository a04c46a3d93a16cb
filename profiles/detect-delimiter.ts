import { CsvError, parse } from 'csv-parse/sync';

export type Delimiter = ',' | ';' | '\t' | '|';

export const DELIMITERS: readonly Delimiter[] = [',', ';', '\t', '|'];

export interface DelimiterDecision {
  delimiter: Delimiter;
  /** The sampled records split with it, header first. */
  records: string[][];
  evidence: string;
}

export class NoDelimiterError extends Error {
  override readonly name = 'NoDelimiterError';
}

export function delimiterName(delimiter: string): string {
  return delimiter === '\t' ? 'tab' : `"${delimiter}"`;
}

/**
 * RFC 4180 records (quoted fields may hold delimiters, quotes and line breaks), at most maxRecords of
 * them. A partial sample may end inside a quoted field: the cut record is dropped.
 */
export function parseRecords(text: string, options: { delimiter: string; maxRecords: number; complete: boolean }): string[][] {
  let body = text;
  for (let attempt = 0; ; attempt++) {
    try {
      const records = parse(body, {
        delimiter: options.delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, to: options.maxRecords,
      }) as string[][];
      // A line of spaces is a blank line to the contract, not a record.
      return records.filter((record) => record.length > 1 || record[0]!.trim() !== '');
    } catch (error) {
      const cut = body.lastIndexOf('\n', body.length - 2);
      if (options.complete || !(error instanceof CsvError) || attempt >= 20 || cut <= 0) throw error;
      body = body.slice(0, cut + 1);
    }
  }
}

interface Candidate {
  delimiter: Delimiter;
  records: string[][];
  fields: number;
  consistent: number;
  failure?: string;
}

function candidate(text: string, options: { delimiter: Delimiter; maxRecords: number; complete: boolean }): Candidate {
  try {
    const records = parseRecords(text, options);
    const fields = records[0]?.length ?? 0;
    return { delimiter: options.delimiter, records, fields, consistent: records.slice(1).filter((record) => record.length === fields).length };
  } catch (error) {
    return { delimiter: options.delimiter, records: [], fields: 0, consistent: 0, failure: (error as Error).message };
  }
}

/** The delimiter under which the most sampled records have as many fields as the header (a header of one field does not count). */
export function detectDelimiter(text: string, options: { maxRecords: number; complete: boolean }): DelimiterDecision {
  const candidates = DELIMITERS.map((delimiter) => candidate(text, { delimiter, ...options }));
  const usable = candidates.filter((item) => item.fields >= 2 && !item.failure);
  const best = [...usable].sort((a, b) => b.consistent - a.consistent || b.fields - a.fields)[0];
  const describe = (item: Candidate) => (item.failure
    ? `${delimiterName(item.delimiter)} does not split the file (${item.failure})`
    : `${delimiterName(item.delimiter)} gives ${item.fields} header field${item.fields === 1 ? '' : 's'}`
      + (item.fields >= 2 ? `, ${item.consistent} of ${item.records.length - 1} data records with as many` : ''));
  if (!best) throw new NoDelimiterError(`no delimiter splits the header into two or more fields: ${candidates.map(describe).join('; ')}`);
  const others = candidates.filter((item) => item !== best).map(describe);
  return {
    delimiter: best.delimiter,
    records: best.records,
    evidence: `${describe(best)}; ${others.join('; ')}`,
  };
}
