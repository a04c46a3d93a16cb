import { parseArgs } from 'node:util';
import { FUTURE_YEAR } from './dirt.js';
import { DEFAULT_DATE_RANGE, DEFAULT_DIRTY_RATE, DEFAULT_ORDER_PREFIX, DEFAULT_TRUTH_ROWS_LIMIT, ORDER_PREFIX_PATTERN, type Choice, type GenerateOptions } from './generate-sales.js';

export const GENERATE_USAGE =
  'usage: npm run generate -- --rows N --seed S --out FILE.csv [--dirty RATE] [--line-id yes|no|random] [--bom yes|no|random] ' +
  '[--line-ending lf|crlf|random] [--truth-rows-limit N] [--from YYYY-MM-DD --to YYYY-MM-DD] [--order-prefix ABC]';

/** A bad command line: the message names the argument, the value and what is expected. */
export class GenerateArgumentError extends Error {
  override readonly name = 'GenerateArgumentError';
}

function wholeNumber(name: string, value: string, minimum: number): number {
  if (!/^\d+$/.test(value) || Number(value) < minimum || !Number.isSafeInteger(Number(value))) {
    throw new GenerateArgumentError(`--${name} must be a whole number${minimum > 0 ? ` of at least ${minimum}` : ''}, got "${value}"`);
  }
  return Number(value);
}

function choice<T extends string>(name: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined || (allowed as readonly string[]).includes(value)) return value as T | undefined;
  throw new GenerateArgumentError(`--${name} must be one of ${allowed.join(', ')}, got "${value}"`);
}

function calendarDate(name: string, value: string): string {
  const time = Date.parse(`${value}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(time) || new Date(time).toISOString().slice(0, 10) !== value) {
    throw new GenerateArgumentError(`--${name} must be a real date YYYY-MM-DD, got "${value}"`);
  }
  // Clean dates must be valid for the job (from 2000-01-01) and stay before the generator's out-of-range dates.
  if (value < '2000-01-01' || value >= `${FUTURE_YEAR - 1}-01-01`) {
    throw new GenerateArgumentError(`--${name} must lie between 2000-01-01 and ${FUTURE_YEAR - 2}-12-31, got "${value}"`);
  }
  return value;
}

/** The generator's options from command-line arguments (without `onProgress`). */
export function parseGenerateArguments(args: string[]): GenerateOptions {
  let values: Record<string, string | undefined>;
  try {
    const names = ['rows', 'seed', 'out', 'dirty', 'line-id', 'bom', 'line-ending', 'truth-rows-limit', 'from', 'to', 'order-prefix'];
    ({ values } = parseArgs({ args, options: Object.fromEntries(names.map((name) => [name, { type: 'string' as const }])), strict: true, allowPositionals: false }));
  } catch (error) {
    throw new GenerateArgumentError(`${(error as Error).message}; ${GENERATE_USAGE}`, { cause: error });
  }
  const required = (name: string): string => {
    const value = values[name];
    if (value === undefined || value === '') throw new GenerateArgumentError(`--${name} is required; ${GENERATE_USAGE}`);
    return value;
  };
  const rows = wholeNumber('rows', required('rows'), 1);
  const seed = wholeNumber('seed', required('seed'), 0);
  if (seed > 0xffffffff) throw new GenerateArgumentError(`--seed must be at most ${0xffffffff}, got "${values.seed}"`);
  const out = required('out');
  const dirty = values.dirty === undefined ? DEFAULT_DIRTY_RATE : Number(values.dirty);
  if (values.dirty !== undefined && (!/^\d*\.?\d+$/.test(values.dirty) || !(dirty >= 0 && dirty <= 1))) {
    throw new GenerateArgumentError(`--dirty must be a rate between 0 and 1 (e.g. 0.05), got "${values.dirty}"`);
  }
  const from = calendarDate('from', values.from ?? DEFAULT_DATE_RANGE.from);
  const to = calendarDate('to', values.to ?? DEFAULT_DATE_RANGE.to);
  if (from > to) throw new GenerateArgumentError(`--from (${from}) must not be after --to (${to})`);
  const orderPrefix = values['order-prefix'] ?? DEFAULT_ORDER_PREFIX;
  if (!ORDER_PREFIX_PATTERN.test(orderPrefix)) {
    throw new GenerateArgumentError(`--order-prefix must be 1 to 16 capital letters or digits (order ids stay within the contract's 32 characters), got "${orderPrefix}"`);
  }
  return {
    rows,
    seed,
    out,
    dirtyRate: dirty,
    lineId: choice<Choice>('line-id', values['line-id'], ['yes', 'no', 'random']),
    bom: choice<Choice>('bom', values.bom, ['yes', 'no', 'random']),
    lineEnding: choice('line-ending', values['line-ending'], ['lf', 'crlf', 'random'] as const),
    truthRowsLimit: values['truth-rows-limit'] === undefined ? DEFAULT_TRUTH_ROWS_LIMIT : wholeNumber('truth-rows-limit', values['truth-rows-limit'], 0),
    from,
    to,
    orderPrefix,
  };
}
