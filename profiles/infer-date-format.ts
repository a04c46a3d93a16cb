import { sparkDateMatcher, type SparkDateMatcher } from './spark-date-pattern.js';

type DateOrder = 'year-first' | 'month-first' | 'day-first' | 'month-name';

interface DateShape {
  pattern: string;
  order: DateOrder;
}

const DATE_SHAPES: DateShape[] = [
  ...['yyyy-MM-dd', 'yyyy-M-d', 'yyyy/MM/dd', 'yyyy/M/d', 'yyyy.MM.dd', 'yyyyMMdd'].map((pattern) => ({ pattern, order: 'year-first' as const })),
  ...['MM/dd/yyyy', 'M/d/yyyy', 'MM/dd/yy', 'M/d/yy', 'MM-dd-yyyy', 'M-d-yyyy'].map((pattern) => ({ pattern, order: 'month-first' as const })),
  ...['dd/MM/yyyy', 'd/M/yyyy', 'dd/MM/yy', 'd/M/yy', 'dd.MM.yyyy', 'd.M.yyyy', 'dd.MM.yy', 'd.M.yy', 'dd-MM-yyyy', 'd-M-yyyy']
    .map((pattern) => ({ pattern, order: 'day-first' as const })),
  ...['dd-MMM-yyyy', 'd-MMM-yyyy', 'dd-MMM-yy', 'd-MMM-yy', 'dd MMM yyyy', 'd MMM yyyy', 'MMM d, yyyy', 'MMMM d, yyyy', 'd MMMM yyyy', 'd. MMMM yyyy']
    .map((pattern) => ({ pattern, order: 'month-name' as const })),
];

const TIME_PARTS = [
  '', ' HH:mm', ' H:mm', ' HH:mm:ss', ' H:mm:ss', ' HH:mm:ss.SSS', ' hh:mm a', ' h:mm a', ' hh:mm:ss a', ' h:mm:ss a',
  "'T'HH:mm", "'T'HH:mm:ss", "'T'HH:mm:ss.SSS",
];
const OFFSET_PARTS = ['', ' Z', ' XXX', 'XXX', 'X', ' z'];

interface Candidate {
  matcher: SparkDateMatcher;
  order: DateOrder;
  /** Pattern letters: more letters is a stricter pattern (dd over d), preferred when both read every value. */
  strictness: number;
}

/** Every pattern inference tries: each date shape alone, with a time of day, and with a time and an offset. */
export const candidatePatterns: Candidate[] = DATE_SHAPES.flatMap((shape) => TIME_PARTS.flatMap((time) => (time === '' ? [''] : OFFSET_PARTS).map((offset) => {
  const pattern = `${shape.pattern}${time}${offset}`;
  return { matcher: sparkDateMatcher(pattern), order: shape.order, strictness: pattern.replace(/'[^']*'/g, '').replace(/[^A-Za-z]/g, '').length };
})));

export interface DateFormatDecision {
  pattern: string;
  evidence: string;
  /** Set when the sample cannot tell day-first from month-first: the pattern is a guess the user must confirm. */
  ambiguity?: string;
}

export class NoDateFormatError extends Error {
  override readonly name = 'NoDateFormatError';
}

/** The positions of a value's first two numbers: which one is above 12 decides day-first against month-first. */
function leadingNumbers(value: string): [number, number] | undefined {
  const match = /^\s*(\d{1,2})[/.-](\d{1,2})[/.-]/.exec(value);
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

/**
 * Tries every candidate pattern on the sampled values (null tokens left out) and keeps the one that
 * reads the most, all of them when one can; among those, the strictest. When both a day-first and a
 * month-first pattern read every value, no value has a day above 12 and the order is ambiguous:
 * `preferDayFirst` then decides, else the separator's custom ('.' day first, '/' and '-' month first).
 */
export function inferDateFormat(column: { header: string; values: string[] }, options: { preferDayFirst?: boolean } = {}): DateFormatDecision {
  const values = [...new Set(column.values.map((value) => value.trim()))];
  if (values.length === 0) throw new NoDateFormatError(`"${column.header}" has no date in the sampled records: name the date column with --map order_date=HEADER`);
  const scored = candidatePatterns.map((candidate) => ({ candidate, parsed: values.filter((value) => candidate.matcher.parse(value) !== undefined).length }));
  const most = Math.max(...scored.map((item) => item.parsed));
  if (most === 0) {
    throw new NoDateFormatError(`no candidate pattern reads the dates of "${column.header}" (e.g. ${values.slice(0, 3).map((value) => `"${value}"`).join(', ')}): `
      + 'name its Spark datetime pattern with --date-format PATTERN');
  }
  const best = scored.filter((item) => item.parsed === most).map((item) => item.candidate);
  const orders = new Set(best.map((candidate) => candidate.order));
  let chosenOrder = best[0]!.order;
  let ambiguity: string | undefined;
  if (orders.has('day-first') && orders.has('month-first')) {
    const separator = /^\s*\d{1,2}([/.-])/.exec(values[0]!)?.[1] ?? '/';
    chosenOrder = (options.preferDayFirst ?? separator === '.') ? 'day-first' : 'month-first';
    ambiguity = `no sampled date has a number above 12 in its first or second place, so day-first and month-first both read all ${values.length}; `
      + `chose ${chosenOrder} (${options.preferDayFirst === undefined ? `the custom for "${separator}"` : 'as --dates said'}): `
      + 'check a date you know, or run again with --dates day-first|month-first';
  }
  const chosen = best.filter((candidate) => candidate.order === chosenOrder).sort((a, b) => b.strictness - a.strictness)[0]!;
  const dayPlace = chosenOrder === 'month-first' ? 1 : chosenOrder === 'day-first' ? 0 : undefined;
  const decisive = dayPlace === undefined ? undefined : values.find((value) => (leadingNumbers(value)?.[dayPlace] ?? 0) > 12);
  const unread = values.filter((value) => chosen.matcher.parse(value) === undefined);
  const runnerUp = scored.filter((item) => item.parsed < most).sort((a, b) => b.parsed - a.parsed)[0];
  const evidence = [
    `"${column.header}": ${chosen.matcher.pattern} reads ${most} of the ${values.length} distinct sampled values (e.g. "${values.find((value) => chosen.matcher.parse(value))}")`,
    ...(decisive ? [`${chosenOrder}: "${decisive}" has a day above 12 in the ${chosenOrder === 'month-first' ? 'second' : 'first'} place`] : []),
    ...(unread.length > 0 ? [`${unread.length} value(s) no pattern reads, rejected as invalid_date: ${unread.slice(0, 3).map((value) => `"${value}"`).join(', ')}`] : []),
    `${candidatePatterns.length} candidate patterns tried${runnerUp ? `; next best ${runnerUp.candidate.matcher.pattern} reads ${runnerUp.parsed}` : ''}`,
  ].join('; ');
  return { pattern: chosen.matcher.pattern, evidence, ...(ambiguity ? { ambiguity } : {}) };
}

/** A pattern the user gave (--date-format): checked as a profile checks it, with how many sampled values it reads. */
export function givenDateFormat(column: { header: string; values: string[] }, pattern: string): DateFormatDecision {
  const matcher = sparkDateMatcher(pattern);
  const values = [...new Set(column.values.map((value) => value.trim()))];
  const unread = values.filter((value) => matcher.parse(value) === undefined);
  return {
    pattern,
    evidence: `given with --date-format; "${column.header}": it reads ${values.length - unread.length} of the ${values.length} distinct sampled values`
      + (unread.length > 0 ? `; not ${unread.slice(0, 3).map((value) => `"${value}"`).join(', ')}, rejected as invalid_date` : ''),
  };
}
