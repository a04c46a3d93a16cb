/**
 * Exact arithmetic and display of the decimal strings the Data API returns for DECIMAL columns
 * (`"1234.5"`, `"-0.07"`): money is summed in cents as bigint, never in floating point.
 */

export class DecimalFormatError extends Error {
  override readonly name = 'DecimalFormatError';
}

/** `"1234.56"` or a number → hundredths as bigint, rounded half away from zero past two decimals. */
export function toHundredths(value: string | number): bigint {
  const text = typeof value === 'number' ? String(value) : value.trim();
  const match = /^(-?)(\d+)(?:\.(\d*))?$/.exec(text);
  if (!match) throw new DecimalFormatError(`"${text}" is not a decimal number`);
  const [, sign, whole, fraction = ''] = match;
  const padded = `${fraction}000`;
  let hundredths = BigInt(whole!) * 100n + BigInt(padded.slice(0, 2));
  if (Number(padded[2]) >= 5) hundredths += 1n;
  return sign === '-' ? -hundredths : hundredths;
}

/** Hundredths → `"-1234.56"`. */
export function hundredthsToDecimal(hundredths: bigint): string {
  const sign = hundredths < 0n ? '-' : '';
  const absolute = hundredths < 0n ? -hundredths : hundredths;
  return `${sign}${absolute / 100n}.${String(absolute % 100n).padStart(2, '0')}`;
}

/** `part / whole` as a percentage with two decimals, rounded half away from zero; null when whole is 0. */
export function percentage(part: bigint, whole: bigint): string | null {
  if (whole === 0n) return null;
  const scaled = part * 10_000n * 10n / whole;
  const negative = scaled < 0n;
  const absolute = negative ? -scaled : scaled;
  const rounded = absolute / 10n + (absolute % 10n >= 5n ? 1n : 0n);
  return hundredthsToDecimal(negative ? -rounded : rounded);
}

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** `"1234567.8"` → `"$1,234,567.80"`. */
export function formatMoney(value: string | number | bigint): string {
  const decimal = typeof value === 'bigint' ? hundredthsToDecimal(value) : hundredthsToDecimal(toHundredths(value));
  const negative = decimal.startsWith('-');
  const [whole, fraction] = decimal.replace('-', '').split('.');
  return `${negative ? '-' : ''}$${groupThousands(whole!)}.${fraction}`;
}

/** `"1234567"` → `"1,234,567"`. */
export function formatCount(value: string | number | bigint): string {
  return groupThousands(String(value));
}

/** `"12.3"` → `"12.30%"`. */
export function formatPercent(value: string | number): string {
  return `${hundredthsToDecimal(toHundredths(value))}%`;
}

/** formatPercent, or `n/a` for a share of nothing (SQL NULL). */
export function formatShare(value: string | number | boolean | null | undefined): string {
  return value === null || value === undefined ? 'n/a' : formatPercent(String(value));
}
