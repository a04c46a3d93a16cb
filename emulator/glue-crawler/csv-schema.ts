import type { CatalogColumn } from './catalog-columns.js';

/**
 * Schema inference for delimited text, after AWS Glue's built-in CSV classifier: the delimiters it
 * tries, its header rule (a header row is all strings and at least one data column is not), and its
 * column types (boolean, bigint, double, else string; dates stay string).
 */

/** The delimiters Glue's built-in classifier tries, in its order of preference. */
export const csvDelimiters = [',', '|', '\t', ';', '\u0001'] as const;

export type CsvValueType = 'boolean' | 'bigint' | 'double' | 'string';

export interface CsvSchema {
  delimiter: string;
  hasHeader: boolean;
  /** Some field was enclosed in double quotes: Glue then picks OpenCSVSerde over LazySimpleSerDe. */
  quoted: boolean;
  columns: CatalogColumn[];
  /** Data records in the sample (the header excluded). */
  sampledRecords: number;
}

const maxHeaderNameLength = 150;
/** A delimiter counts when at least this share of the sampled records has the first record's field count. */
const minConsistentShare = 0.8;

interface ParsedRecords {
  records: string[][];
  quoted: boolean;
}

/**
 * RFC 4180 records: quoted fields may hold the delimiter, doubled quotes and line breaks; LF or CRLF.
 * When `complete` is false the text is a prefix of the object, so its last record may be cut short and
 * is dropped.
 */
export function parseDelimited(text: string, options: { delimiter: string; complete: boolean }): ParsedRecords {
  const { delimiter, complete } = options;
  // Escaped, the delimiter stands for itself in a character class (the classifier's delimiters are all single characters).
  const fieldEnd = new RegExp(`[\\${delimiter}\\r\\n]`, 'g');
  const records: string[][] = [];
  let record: string[] = [];
  let quoted = false;
  const endRecord = () => {
    if (record.length > 1 || record[0] !== '') records.push(record);
    record = [];
  };
  /** The index of the next delimiter or line break at or after `from`, or the text's length. */
  const nextBoundary = (from: number) => {
    fieldEnd.lastIndex = from;
    return fieldEnd.exec(text)?.index ?? text.length;
  };
  let index = 0;
  while (index < text.length) {
    let field = '';
    let cursor = index;
    if (text[index] === '"') {
      quoted = true;
      cursor = index + 1;
      for (;;) {
        const close = text.indexOf('"', cursor);
        if (close < 0) {
          // An unclosed quote: the record runs past the end of the sample.
          if (!complete) return { records, quoted };
          field += text.slice(cursor);
          cursor = text.length;
          break;
        }
        field += text.slice(cursor, close);
        if (text[close + 1] !== '"') {
          cursor = close + 1;
          break;
        }
        field += '"';
        cursor = close + 2;
      }
    }
    const end = nextBoundary(cursor);
    record.push(field + text.slice(cursor, end));
    if (end >= text.length) {
      if (complete) endRecord();
      break;
    }
    if (text[end] === delimiter) {
      index = end + 1;
      if (index < text.length) continue;
      if (complete) {
        record.push('');
        endRecord();
      }
      break;
    }
    index = end + (text[end] === '\r' && text[end + 1] === '\n' ? 2 : 1);
    endRecord();
  }
  return { records, quoted };
}

/**
 * The forms below are unambiguous (each digit can match one way only), so a failed match costs linear time:
 * the former `\d+\.?\d*` let a long run of digits split two ways, and 20k digits and an `x` took 1.3 s.
 */
const integerForm = /^[+-]?\d+$/;
const doubleForm = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
/** Digits of the widest 64-bit integer (9223372036854775807): more significant digits cannot be a bigint. */
const maxBigintDigits = 19;

export function csvValueType(raw: string): CsvValueType | undefined {
  const value = raw.trim();
  if (value === '') return undefined;
  if (/^(true|false)$/i.test(value)) return 'boolean';
  if (integerForm.test(value)) return fitsInt64(value) ? 'bigint' : 'string';
  if (doubleForm.test(value)) return 'double';
  return 'string';
}

/** Whether an integer literal fits 64 bits; the length cap keeps BigInt from parsing a megabyte of digits. */
function fitsInt64(literal: string): boolean {
  const significant = literal.replace(/^[+-]?0*/, '');
  if (significant.length > maxBigintDigits) return false;
  const value = BigInt(`${literal.startsWith('-') ? '-' : ''}${significant || '0'}`);
  return BigInt.asIntN(64, value) === value;
}

/** The narrowest type that holds both: bigint widens to double, any other mix is string. */
export function widenCsvType(a: CsvValueType | undefined, b: CsvValueType | undefined): CsvValueType | undefined {
  if (a === undefined || a === b) return b;
  if (b === undefined) return a;
  if ((a === 'bigint' && b === 'double') || (a === 'double' && b === 'bigint')) return 'double';
  return 'string';
}

function consistency(records: string[][]): number {
  if (records.length === 0) return 0;
  const width = records[0]!.length;
  return records.filter((record) => record.length === width).length / records.length;
}

function chooseDelimiter(text: string, complete: boolean): { delimiter: string; parsed: ParsedRecords } | undefined {
  let best: { delimiter: string; parsed: ParsedRecords; share: number } | undefined;
  const lineEnd = text.indexOf('\n');
  const firstLine = lineEnd < 0 ? text : text.slice(0, lineEnd);
  for (const delimiter of csvDelimiters.filter((candidate) => firstLine.includes(candidate))) {
    const parsed = parseDelimited(text, { delimiter, complete });
    const first = parsed.records[0];
    if (!first || first.length < 2 || parsed.records.length < 2) continue;
    const share = consistency(parsed.records);
    if (share >= minConsistentShare && (!best || share > best.share)) best = { delimiter, parsed, share };
  }
  return best;
}

function isHeaderName(value: string, isLast: boolean): boolean {
  const name = value.trim();
  if (name === '') return isLast;
  return name.length < maxHeaderNameLength && csvValueType(name) === 'string';
}

/** Header names as Glue stores them: trimmed, lower-cased, repeated names made unique. */
function columnNames(header: string[]): string[] {
  const seen = new Map<string, number>();
  return header.map((raw, index) => {
    const base = raw.trim().toLowerCase() || `col${index}`;
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    return count === 0 ? base : `${base}_${count}`;
  });
}

/**
 * Infers the schema of a CSV sample, or undefined when the text is not delimited data Glue's
 * classifier accepts (fewer than two columns or two records, or no consistent delimiter).
 * `complete` says whether the sample is the whole object.
 */
export function inferCsvSchema(sample: string, options: { complete: boolean }): CsvSchema | undefined {
  const text = sample.startsWith('\uFEFF') ? sample.slice(1) : sample;
  const chosen = chooseDelimiter(text, options.complete);
  if (!chosen) return undefined;
  const { delimiter, parsed } = chosen;
  const [first, ...rest] = parsed.records as [string[], ...string[][]];
  const width = first.length;
  const typesOf = (records: string[][]) => {
    const types: (CsvValueType | undefined)[] = new Array(width).fill(undefined);
    for (const record of records) {
      for (let column = 0; column < width; column++) types[column] = widenCsvType(types[column], csvValueType(record[column] ?? ''));
    }
    return types.map((type) => type ?? 'string');
  };
  const dataTypes = typesOf(rest);
  const headerLike = first.every((value, index) => isHeaderName(value, index === width - 1));
  const hasHeader = headerLike && dataTypes.some((type) => type !== 'string');
  const types = hasHeader ? dataTypes : typesOf(parsed.records);
  const names = hasHeader ? columnNames(first) : first.map((_, index) => `col${index}`);
  return {
    delimiter, hasHeader, quoted: parsed.quoted,
    columns: names.map((name, index) => ({ Name: name, Type: types[index]! })),
    sampledRecords: hasHeader ? rest.length : parsed.records.length,
  };
}
