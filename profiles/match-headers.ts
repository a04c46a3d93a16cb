import { inputColumns, requiredColumns } from './contract-columns.js';
import { contextualSynonyms, customerIdFallbacks, headerSynonyms } from './header-synonyms.js';

/** `Unit Price (EUR)` → `unitprice`, `Stück` → `stuck`: lower-case letters and digits only; bracketed notes, accents and a trailing currency code dropped. */
export function normaliseHeader(header: string): string {
  return header
    .replace(/\([^)]*\)|\[[^\]]*\]/g, '')
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/[^a-z0-9]/g, '')
    // `price_usd`, `Preis in EUR`: a currency code says nothing about which column it is.
    .replace(/(.{3,}?)(?:in)?(?:usd|eur|gbp|chf|jpy|cad|aud|sek|nok|dkk|pln)$/, '$1');
}

export interface ColumnMatch {
  column: string;
  header: string;
  why: string;
}

export interface UnmatchedColumn {
  column: string;
  /** Headers left over, most alike the column's names first. */
  candidates: string[];
}

export interface HeaderMatching {
  matches: ColumnMatch[];
  ignored: string[];
  unmatchedRequired: UnmatchedColumn[];
}

export class UnknownHeaderError extends Error {
  override readonly name = 'UnknownHeaderError';
}

/** Sørensen-Dice similarity of two strings' letter pairs: how alike a leftover header is to a column's names. */
function similarity(a: string, b: string): number {
  const pairs = (text: string) => Array.from({ length: Math.max(0, text.length - 1) }, (_, index) => text.slice(index, index + 2));
  const left = pairs(a);
  const right = pairs(b);
  if (left.length === 0 || right.length === 0) return a === b ? 1 : 0;
  const pool = [...right];
  let shared = 0;
  for (const pair of left) {
    const found = pool.indexOf(pair);
    if (found >= 0) {
      shared++;
      pool.splice(found, 1);
    }
  }
  return (2 * shared) / (left.length + right.length);
}

/** What a column's values look like, so that a leftover header whose values fit ranks first among the candidates. */
const valueShapes: Record<string, RegExp> = {
  quantity: /^[+-]?\d+([.,]0+)?$/,
  unit_price: /^(?:[$€£]|US\$|[A-Z]{3})?\s?-?\d[\d.,]*$/,
  discount: /^\d[\d.,]*\s?%?$/,
  order_date: /^(\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}|\d{8}|[A-Za-z]{3,9}\.? \d{1,2},? \d{4}|\d{1,2}[- ][A-Za-z]{3,9}[- ]\d{2,4})\b/,
};

function candidatesFor(column: string, leftover: string[], valuesOf: (header: string) => string[]): string[] {
  const names = [column.replace(/_/g, ''), ...(headerSynonyms[column] ?? [])];
  const shape = valueShapes[column];
  const fits = (header: string) => {
    const values = valuesOf(header).map((value) => value.trim()).filter(Boolean);
    return shape !== undefined && values.length > 0 && values.every((value) => shape.test(value)) ? 1 : 0;
  };
  const score = (header: string) => fits(header) + Math.max(...names.map((name) => similarity(normaliseHeader(header), name)));
  return [...leftover].sort((a, b) => score(b) - score(a));
}

/**
 * Maps a file's header onto the contract's columns: explicit choices first (`overrides`, column →
 * header), then each column's synonyms in order, then a customer id from the e-mail, name or phone
 * column when the file has no customer id. Headers are compared trimmed and case-insensitively. For a
 * required column nothing matches, the leftover headers are ranked: values of the column's shape
 * (`valuesOf` gives sampled values of a header) first, then names alike the column's.
 */
export function matchHeaders(headers: string[], options: { overrides?: Record<string, string>; valuesOf?: (header: string) => string[] } = {}): HeaderMatching {
  const { overrides = {}, valuesOf = () => [] } = options;
  const matches: ColumnMatch[] = [];
  const used = new Set<string>();
  const byNormalised = new Map<string, string>();
  for (const header of headers) {
    const key = normaliseHeader(header);
    if (key && !byNormalised.has(key)) byNormalised.set(key, header);
  }
  const present = new Set(byNormalised.keys());
  const take = (column: string, header: string, why: string) => {
    matches.push({ column, header, why });
    used.add(header);
  };

  for (const [column, wanted] of Object.entries(overrides)) {
    if (!inputColumns.includes(column)) throw new UnknownHeaderError(`--map ${column}=…: ${column} is not a contract column (${inputColumns.join(', ')})`);
    const header = headers.find((candidate) => candidate.trim().toLowerCase() === wanted.trim().toLowerCase());
    if (header === undefined) throw new UnknownHeaderError(`--map ${column}=${wanted}: the file has no header "${wanted}" (headers: ${headers.join(', ')})`);
    take(column, header, 'chosen with --map');
  }
  const matched = (column: string) => matches.some((match) => match.column === column);

  for (const column of inputColumns) {
    if (matched(column)) continue;
    const synonym = (headerSynonyms[column] ?? []).find((name) => byNormalised.has(name) && !used.has(byNormalised.get(name)!));
    if (synonym !== undefined) {
      take(column, byNormalised.get(synonym)!, `its normalised name "${synonym}" is a known name of ${column}`);
      continue;
    }
    const contextual = contextualSynonyms.find((rule) => rule.column === column && present.has(rule.header) && present.has(rule.whenFileHas));
    if (contextual && !used.has(byNormalised.get(contextual.header)!)) {
      take(column, byNormalised.get(contextual.header)!, `"${contextual.header}" names ${column} in exports that also have "${contextual.whenFileHas}"`);
    }
  }

  if (!matched('customer_id')) {
    for (const fallback of customerIdFallbacks) {
      const fromColumn = fallback.column ? matches.find((match) => match.column === fallback.column)?.header : undefined;
      const header = fromColumn ?? fallback.header.map((name) => byNormalised.get(name)).find((found) => found !== undefined);
      if (header === undefined) continue;
      matches.push({ column: 'customer_id', header, why: `the file has no customer id column: the customer's ${fallback.what} identifies the customer` });
      used.add(header);
      break;
    }
  }

  const order = (match: ColumnMatch) => inputColumns.indexOf(match.column);
  const ignored = headers.filter((header) => !used.has(header));
  const unmatchedRequired = requiredColumns.filter((column) => !matched(column)).map((column) => ({ column, candidates: candidatesFor(column, ignored, valuesOf) }));
  return { matches: matches.sort((a, b) => order(a) - order(b)), ignored, unmatchedRequired };
}
