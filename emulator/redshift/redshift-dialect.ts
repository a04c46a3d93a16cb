import { COMPAT_SCHEMA } from './redshift-functions.js';
import { isSymbol, isWord, tokenize, type Token, SqlSyntaxError } from './sql-tokens.js';

/**
 * Rewrites the Redshift-only parts of a statement into what Postgres runs; everything else is kept
 * as written. Table attributes (DISTSTYLE, DISTKEY, [COMPOUND|INTERLEAVED] SORTKEY, ENCODE, BACKUP)
 * only tune storage on Redshift, so on Postgres they are dropped; IDENTITY(seed, step) becomes a
 * Postgres identity column. GETDATE() and SYSDATE return a TIMESTAMP without time zone at second
 * precision on Redshift, which is LOCALTIMESTAMP(0) on Postgres (now() would be a timestamptz and
 * print an offset in results). NVL is COALESCE. EXTRACT, DATEADD and DATEDIFF call the Redshift
 * versions of redshift-functions.ts, their date part quoted (Postgres would read a bare `month` as a column).
 */
export function translateRedshiftSql(sql: string): string {
  const tokens = tokenize(sql);
  const around = meaningfulNeighbours(tokens);
  const isCreate = isWord(tokens[around.next(0)], 'CREATE');
  const output: string[] = [];
  for (let index = 0; index < tokens.length; index += 1) {
    const token = tokens[index]!;
    const following = around.next(index + 1);
    const afterDot = isSymbol(tokens[around.previous(index - 1)], '.');
    if (token.kind !== 'word' || afterDot) {
      output.push(token.text);
      continue;
    }
    if (isWord(token, 'GETDATE') && isSymbol(tokens[following], '(') && isSymbol(tokens[around.next(following + 1)], ')')) {
      output.push('LOCALTIMESTAMP(0)');
      index = around.next(following + 1);
    } else if (isWord(token, 'SYSDATE')) {
      output.push('LOCALTIMESTAMP(0)');
    } else if (isWord(token, 'NVL') && isSymbol(tokens[following], '(')) {
      output.push('COALESCE');
    } else if (isWord(token, 'EXTRACT', 'DATEADD', 'DATEDIFF') && isSymbol(tokens[following], '(')) {
      index = translateDatePartCall({ tokens, around, index, output });
    } else if (isCreate) {
      index = translateTableAttribute({ tokens, around, index, output });
    } else {
      output.push(token.text);
    }
  }
  return output.join('');
}

/** The nearest token that is neither space nor comment, at or after / at or before an index. */
interface Neighbours {
  next(from: number): number;
  previous(from: number): number;
}

/**
 * Both directions for every index, computed in one pass each, so that looking past a long run of
 * spaces and comments costs nothing per token (scanning it again for every token was quadratic).
 */
function meaningfulNeighbours(tokens: Token[]): Neighbours {
  const ignorable = (index: number) => tokens[index]!.kind === 'space' || tokens[index]!.kind === 'comment';
  const next = new Int32Array(tokens.length + 1).fill(tokens.length);
  for (let index = tokens.length - 1; index >= 0; index -= 1) next[index] = ignorable(index) ? next[index + 1]! : index;
  const previous = new Int32Array(tokens.length).fill(-1);
  for (let index = 0; index < tokens.length; index += 1) previous[index] = ignorable(index) ? (index > 0 ? previous[index - 1]! : -1) : index;
  return {
    next: (from) => (from >= tokens.length ? tokens.length : next[Math.max(from, 0)]!),
    previous: (from) => (from < 0 ? -1 : previous[Math.min(from, tokens.length - 1)]!),
  };
}

const datePartFunctions: Record<string, { name: string; separator: (token: Token | undefined) => boolean }> = {
  EXTRACT: { name: 'extract_part', separator: (token) => isWord(token, 'FROM') },
  DATEADD: { name: 'dateadd', separator: (token) => isSymbol(token, ',') },
  DATEDIFF: { name: 'datediff', separator: (token) => isSymbol(token, ',') },
};

/**
 * `EXTRACT(month FROM x)` → `redshift_compat.extract_part('month', x)`, `DATEADD(day, 1, x)` →
 * `redshift_compat.dateadd('day', 1, x)`; anything else that starts alike is left as written.
 * Returns the index of the last token consumed.
 */
function translateDatePartCall(options: { tokens: Token[]; around: Neighbours; index: number; output: string[] }): number {
  const { tokens, around, index, output } = options;
  const call = datePartFunctions[tokens[index]!.text.toUpperCase()]!;
  const open = around.next(index + 1);
  const part = around.next(open + 1);
  const separator = around.next(part + 1);
  const partToken = tokens[part];
  if (!(partToken?.kind === 'word' || partToken?.kind === 'string') || !call.separator(tokens[separator])) {
    output.push(tokens[index]!.text);
    return index;
  }
  const quotedPart = partToken.kind === 'string' ? partToken.text : `'${partToken.text.toLowerCase()}'`;
  output.push(`${COMPAT_SCHEMA}.${call.name}(${quotedPart},`);
  return separator;
}

/** Handles one word of a CREATE statement; returns the index of the last token it consumed. */
function translateTableAttribute(options: { tokens: Token[]; around: Neighbours; index: number; output: string[] }): number {
  const { tokens, around, index, output } = options;
  const token = tokens[index]!;
  const following = around.next(index + 1);
  if (isWord(token, 'DISTSTYLE', 'ENCODE', 'BACKUP') && tokens[following]?.kind === 'word') return following;
  if (isWord(token, 'COMPOUND', 'INTERLEAVED') && isWord(tokens[following], 'SORTKEY')) {
    return skipKeyList(tokens, around, following);
  }
  if (isWord(token, 'DISTKEY', 'SORTKEY')) {
    if (isWord(tokens[following], 'AUTO')) return following;
    return skipKeyList(tokens, around, index);
  }
  if (isWord(token, 'IDENTITY') && isSymbol(tokens[following], '(')) {
    const close = matchingParenthesis(tokens, following);
    const [seed, step] = tokens.slice(following + 1, close).map((part) => part.text).join('').split(',').map((part) => part.trim());
    output.push(`GENERATED BY DEFAULT AS IDENTITY (START WITH ${seed} INCREMENT BY ${step})`);
    return close;
  }
  output.push(token.text);
  return index;
}

/** Skips `KEYWORD (columns)` or a bare column-level `KEYWORD`. */
function skipKeyList(tokens: Token[], around: Neighbours, keywordIndex: number): number {
  const following = around.next(keywordIndex + 1);
  return isSymbol(tokens[following], '(') ? matchingParenthesis(tokens, following) : keywordIndex;
}

function matchingParenthesis(tokens: Token[], open: number): number {
  let depth = 0;
  for (let index = open; index < tokens.length; index += 1) {
    if (isSymbol(tokens[index], '(')) depth += 1;
    if (isSymbol(tokens[index], ')')) depth -= 1;
    if (depth === 0) return index;
  }
  throw new SqlSyntaxError(`unbalanced parenthesis after ${tokens.slice(Math.max(0, open - 20), open).map((token) => token.text).join('').slice(-40)}`);
}
