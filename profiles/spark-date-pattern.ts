/**
 * Spark datetime patterns (Spark 3 "Datetime Patterns", as the Glue 5.0 job parses with them): the
 * pattern check a profile's date_formats must pass, and a matcher that reads the calendar date a
 * value names, so inference can try every candidate pattern on sampled values without Spark.
 */

export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

type Token =
  | { kind: 'field'; letter: string; count: number }
  | { kind: 'literal'; text: string }
  | { kind: 'optional'; open: boolean };

/** Letters Spark 3 accepts when parsing; E, F, q, Q only format, and Y, w, W, u, e, c were dropped from the new parser. */
const PARSING_LETTERS = new Set('GyDMLdahKkHmsSVzOXxZ'.split(''));
const FORMATTING_ONLY = new Set('EFqQ'.split(''));
const DROPPED = new Set('YwWuec'.split(''));

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

export class InvalidSparkPatternError extends Error {
  override readonly name = 'InvalidSparkPatternError';
}

function tokenize(pattern: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < pattern.length) {
    const char = pattern[index]!;
    if (char === "'") {
      const end = pattern.indexOf("'", index + 1);
      if (end === index + 1) {
        tokens.push({ kind: 'literal', text: "'" });
        index += 2;
        continue;
      }
      let text = '';
      let cursor = index + 1;
      for (;;) {
        const close = pattern.indexOf("'", cursor);
        if (close < 0) throw new InvalidSparkPatternError(`unterminated quote in "${pattern}": close the literal with '`);
        text += pattern.slice(cursor, close);
        if (pattern[close + 1] === "'") {
          text += "'";
          cursor = close + 2;
          continue;
        }
        index = close + 1;
        break;
      }
      tokens.push({ kind: 'literal', text });
    } else if (/[A-Za-z]/.test(char)) {
      let count = 1;
      while (pattern[index + count] === char) count++;
      tokens.push({ kind: 'field', letter: char, count });
      index += count;
    } else if (char === '[' || char === ']') {
      tokens.push({ kind: 'optional', open: char === '[' });
      index++;
    } else if (char === '#' || char === '{' || char === '}') {
      throw new InvalidSparkPatternError(`"${char}" is reserved in Spark datetime patterns ("${pattern}"): quote it as '${char}'`);
    } else {
      tokens.push({ kind: 'literal', text: char });
      index++;
    }
  }
  return tokens;
}

function fieldProblem(letter: string, count: number): string | undefined {
  if (FORMATTING_ONLY.has(letter)) return `"${letter}" only formats dates in Spark 3, it cannot parse them`;
  if (DROPPED.has(letter)) return `"${letter}" is not supported by Spark 3's datetime parser (week-based fields); use y, M and d`;
  if (!PARSING_LETTERS.has(letter)) return `"${letter}" is not a Spark datetime pattern letter: quote literal text as '${letter}'`;
  const limits: Record<string, number> = { d: 2, M: 4, L: 4, H: 2, h: 2, k: 2, K: 2, m: 2, s: 2, a: 1, D: 3, S: 9, G: 3, X: 5, x: 5, Z: 5, V: 2, z: 4, O: 4 };
  const limit = limits[letter];
  if (limit !== undefined && count > limit) return `"${letter.repeat(count)}" has too many letters (at most ${limit})`;
  if (letter === 'V' && count !== 2) return '"V" must be "VV" (zone id)';
  if (letter === 'O' && count !== 1 && count !== 4) return '"O" must be "O" or "OOOO"';
  return undefined;
}

/** What is wrong with a pattern as a profile date format: not Spark syntax, or it does not name a calendar date. */
export function sparkPatternProblems(pattern: string): string[] {
  let tokens: Token[];
  try {
    tokens = tokenize(pattern);
  } catch (error) {
    return [(error as Error).message];
  }
  const problems: string[] = [];
  let depth = 0;
  for (const token of tokens) {
    if (token.kind === 'optional') {
      depth += token.open ? 1 : -1;
      if (depth < 0) problems.push(`"]" closes no optional section in "${pattern}"`);
    }
    if (token.kind !== 'field') continue;
    const problem = fieldProblem(token.letter, token.count);
    if (problem) problems.push(`${problem} ("${pattern}")`);
  }
  if (depth > 0) problems.push(`an optional section "[" is not closed in "${pattern}"`);
  const letters = new Set(tokens.flatMap((token) => (token.kind === 'field' ? [token.letter] : [])));
  if (!letters.has('y') || !((letters.has('M') || letters.has('L')) && letters.has('d')) && !letters.has('D')) {
    problems.push(`"${pattern}" does not name a calendar date: it needs a year (y), a month (M) and a day (d)`);
  }
  return problems;
}

interface Capture {
  letter: string;
  count: number;
}

function fieldRegex(letter: string, count: number): string {
  const digits = (one: string, two: string) => (count === 1 ? one : two);
  switch (letter) {
    case 'y': return count === 2 ? '(\\d{2})' : count === 1 ? '(\\d{1,9})' : `(\\d{${count},9})`;
    case 'M': case 'L':
      if (count === 3) return '([A-Za-z]{3})';
      if (count === 4) return '([A-Za-z]{3,9})';
      return digits('(\\d{1,2})', '(\\d{2})');
    case 'd': case 'H': case 'h': case 'k': case 'K': case 'm': case 's':
      return digits('(\\d{1,2})', '(\\d{2})');
    case 'D': return `(\\d{${count},3})`;
    case 'S': return `(\\d{1,${count}})`;
    case 'a': return '(AM|PM|am|pm|Am|Pm|aM|pM)';
    case 'G': return '(AD|BC|ad|bc)';
    case 'X': case 'x': {
      // Spark (java.time) offsets: X +HH[mm], XX +HHmm, XXX +HH:mm, XXXX +HHmm[ss], XXXXX +HH:mm[:ss]; X also reads Z for zero.
      const offsets = ['[+-]\\d{2}(?:\\d{2})?', '[+-]\\d{4}', '[+-]\\d{2}:\\d{2}', '[+-]\\d{4}(?:\\d{2})?', '[+-]\\d{2}:\\d{2}(?::\\d{2})?'];
      return `(${letter === 'X' ? 'Z|' : ''}${offsets[count - 1]})`;
    }
    case 'Z': return count === 4 ? '(GMT(?:[+-]\\d{2}:\\d{2})?)' : count === 5 ? '(Z|[+-]\\d{2}:\\d{2})' : '([+-]\\d{4})';
    case 'O': return '(GMT(?:[+-]\\d{1,2}(?::\\d{2})?)?)';
    case 'V': return '([A-Za-z_]+(?:/[A-Za-z_+-]+)*)';
    case 'z': return '([A-Za-z]{1,5})';
    default: throw new InvalidSparkPatternError(`"${letter}" cannot parse`);
  }
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function monthOf(text: string, count: number): number | undefined {
  const lower = text.toLowerCase();
  const index = count === 3 ? MONTHS.findIndex((name) => name.slice(0, 3) === lower) : MONTHS.indexOf(lower);
  return index < 0 ? undefined : index + 1;
}

export interface SparkDateMatcher {
  pattern: string;
  /** The calendar date the value names, or undefined when the pattern does not parse it (Spark: null). */
  parse(value: string): CalendarDate | undefined;
}

/** A matcher for one pattern; throws InvalidSparkPatternError for a pattern sparkPatternProblems rejects. */
export function sparkDateMatcher(pattern: string): SparkDateMatcher {
  const problems = sparkPatternProblems(pattern);
  if (problems.length > 0) throw new InvalidSparkPatternError(problems.join('; '));
  const captures: Capture[] = [];
  const source = tokenize(pattern).map((token) => {
    if (token.kind === 'literal') return token.text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    if (token.kind === 'optional') return token.open ? '(?:' : ')?';
    captures.push({ letter: token.letter, count: token.count });
    return fieldRegex(token.letter, token.count);
  }).join('');
  // Spark parses month and day names and AM/PM case-insensitively.
  const regex = new RegExp(`^${source}$`, 'i');
  return {
    pattern,
    parse(value) {
      const match = regex.exec(value.trim());
      if (!match) return undefined;
      let year: number | undefined;
      let month: number | undefined;
      let day: number | undefined;
      let dayOfYear: number | undefined;
      for (const [index, capture] of captures.entries()) {
        const text = match[index + 1];
        if (text === undefined) continue;
        const number = Number(text);
        switch (capture.letter) {
          case 'y': year = capture.count === 2 ? 2000 + number : number; break;
          case 'M': case 'L': month = capture.count >= 3 ? monthOf(text, capture.count) : number; if (month === undefined) return undefined; break;
          case 'd': day = number; break;
          case 'D': dayOfYear = number; break;
          case 'H': if (number > 23) return undefined; break;
          case 'k': if (number < 1 || number > 24) return undefined; break;
          case 'K': if (number > 11) return undefined; break;
          case 'h': if (number < 1 || number > 12) return undefined; break;
          case 'm': case 's': if (number > 59) return undefined; break;
          default: break;
        }
      }
      if (year === undefined || year < 1) return undefined;
      if (dayOfYear !== undefined && (month === undefined || day === undefined)) {
        const leap = daysInMonth(year, 2) === 29;
        if (dayOfYear < 1 || dayOfYear > (leap ? 366 : 365)) return undefined;
        const date = new Date(Date.UTC(year, 0, dayOfYear));
        return { year, month: date.getUTCMonth() + 1, day: date.getUTCDate() };
      }
      if (month === undefined || day === undefined || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
      return { year, month, day };
    },
  };
}
