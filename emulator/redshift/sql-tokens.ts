/**
 * A lossless SQL tokenizer: joining the tokens' text gives the input back byte for byte.
 *
 * Why a tokenizer and not a parser/transpiler: we evaluated node-sql-parser (it has a Redshift grammar)
 * and pgsql-ast-parser. Neither parses Redshift's COPY ... IAM_ROLE / UNLOAD, and both re-print the
 * statement from their AST, so any construct they do not model (MERGE, window frames, casts they
 * normalise) fails or changes the SQL the warehouse code wrote. What Postgres lacks is a handful of
 * keyword-level constructs (table attributes, GETDATE, COPY/UNLOAD option lists); editing exactly those
 * tokens keeps every other byte as written, and knowing where strings, quoted names and comments are
 * is what makes that edit safe where a regular expression is not.
 */
export type TokenKind = 'word' | 'quoted-name' | 'string' | 'number' | 'parameter' | 'symbol' | 'space' | 'comment';

export interface Token {
  kind: TokenKind;
  text: string;
}

export class SqlSyntaxError extends Error {
  override readonly name = 'SqlSyntaxError';
}

const WORD_START = /[A-Za-z_\u0080-\uffff]/;
const WORD_PART = /[A-Za-z0-9_$\u0080-\uffff]/;

function endOfQuoted(sql: string, start: number, quote: string, backslashEscapes: boolean): number {
  let index = start + 1;
  while (index < sql.length) {
    const char = sql[index];
    if (backslashEscapes && char === '\\') index += 2;
    else if (char === quote) {
      if (sql[index + 1] === quote) index += 2;
      else return index + 1;
    } else index += 1;
  }
  throw new SqlSyntaxError(`unterminated ${quote === "'" ? 'string' : 'quoted name'} starting at character ${start + 1}: ${sql.slice(start, start + 40)}`);
}

/**
 * A dollar quote's delimiter: `$$` or `$tag$`, the tag spelled like an unquoted name without `$` (Postgres'
 * rule): a letter or `_`, then letters, digits or `_`. `$1` is a positional parameter, not a tag.
 */
const DOLLAR_TAG = /^\$(?:[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/;

function endOfDollarQuoted(sql: string, start: number): number | undefined {
  const tag = DOLLAR_TAG.exec(sql.slice(start))?.[0];
  if (!tag) return undefined;
  const close = sql.indexOf(tag, start + tag.length);
  if (close < 0) throw new SqlSyntaxError(`unterminated dollar-quoted string starting at character ${start + 1}`);
  return close + tag.length;
}

function scan(sql: string, start: number): Token {
  const char = sql[start]!;
  const next = sql[start + 1];
  const take = (kind: TokenKind, end: number): Token => ({ kind, text: sql.slice(start, end) });
  if (/\s/.test(char)) return take('space', start + /^\s+/.exec(sql.slice(start))![0].length);
  if (char === '-' && next === '-') {
    const end = sql.indexOf('\n', start);
    return take('comment', end < 0 ? sql.length : end);
  }
  if (char === '/' && next === '*') {
    const end = sql.indexOf('*/', start + 2);
    if (end < 0) throw new SqlSyntaxError(`unterminated comment starting at character ${start + 1}`);
    return take('comment', end + 2);
  }
  if (char === "'") return take('string', endOfQuoted(sql, start, "'", false));
  if ((char === 'E' || char === 'e') && next === "'") return take('string', endOfQuoted(sql, start + 1, "'", true));
  if (char === '"') return take('quoted-name', endOfQuoted(sql, start, '"', false));
  if (char === '$') {
    const end = endOfDollarQuoted(sql, start);
    if (end !== undefined) return take('string', end);
  }
  if (char === ':' && next === ':') return take('symbol', start + 2);
  if (char === ':' && next !== undefined && WORD_START.test(next)) {
    let end = start + 1;
    while (end < sql.length && WORD_PART.test(sql[end]!)) end += 1;
    return take('parameter', end);
  }
  if (/[0-9]/.test(char) || (char === '.' && next !== undefined && /[0-9]/.test(next))) {
    return take('number', start + /^[0-9]*\.?[0-9]*(?:[eE][+-]?[0-9]+)?/.exec(sql.slice(start))![0].length);
  }
  if (WORD_START.test(char)) {
    let end = start + 1;
    while (end < sql.length && WORD_PART.test(sql[end]!)) end += 1;
    return take('word', end);
  }
  return take('symbol', start + 1);
}

/** Redshift's limit on the text of one statement. */
export const MAX_STATEMENT_BYTES = 16 * 1024 * 1024;

export function tokenize(sql: string): Token[] {
  // Checked by characters first: no string of fewer characters can pass the limit in UTF-8 bytes.
  if (sql.length * 3 > MAX_STATEMENT_BYTES && Buffer.byteLength(sql) > MAX_STATEMENT_BYTES) {
    throw new SqlSyntaxError(`the statement has ${Buffer.byteLength(sql)} bytes, more than Redshift's ${MAX_STATEMENT_BYTES}-byte limit on one statement: split it, or load the data with COPY`);
  }
  const tokens: Token[] = [];
  for (let index = 0; index < sql.length;) {
    const token = scan(sql, index);
    tokens.push(token);
    index += token.text.length;
  }
  return tokens;
}

export function isWord(token: Token | undefined, ...words: string[]): boolean {
  return token?.kind === 'word' && words.includes(token.text.toUpperCase());
}

export function isSymbol(token: Token | undefined, symbol: string): boolean {
  return token?.kind === 'symbol' && token.text === symbol;
}

/** The tokens that carry meaning: no whitespace, no comments. */
export function significant(tokens: Token[]): Token[] {
  return tokens.filter((token) => token.kind !== 'space' && token.kind !== 'comment');
}

/** The value of a single-quoted string literal. */
export function stringValue(token: Token): string {
  if (token.kind !== 'string') throw new SqlSyntaxError(`expected a quoted string, found ${token.text}`);
  if (token.text.startsWith('$')) {
    const tag = DOLLAR_TAG.exec(token.text)![0];
    return token.text.slice(tag.length, -tag.length);
  }
  if (/^[eE]'/.test(token.text)) {
    return token.text.slice(2, -1).replace(/''/g, "'").replace(/\\(.)/g, (_, escaped: string) => ({ n: '\n', t: '\t', r: '\r' }[escaped] ?? escaped));
  }
  return token.text.slice(1, -1).replace(/''/g, "'");
}
