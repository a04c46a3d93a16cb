export class UnsafeSqlValueError extends Error {
  override readonly name = 'UnsafeSqlValueError';
}

/**
 * A string literal that means the same on Redshift and on Postgres. BatchExecuteStatement takes no
 * parameters, so values are inlined. Quotes are doubled; a backslash is an escape character in
 * Redshift literals but not in Postgres', so it is spelled CHR(92), which both read the same way.
 */
export function sqlString(value: string): string {
  if (value.includes('\u0000')) throw new UnsafeSqlValueError(`a NUL character cannot be stored: ${JSON.stringify(value.slice(0, 80))}`);
  return value
    .split('\\')
    .map((part) => `'${part.replace(/'/g, "''")}'`)
    .join(' || CHR(92) || ');
}

export function sqlNullableString(value: string | null | undefined): string {
  return value === null || value === undefined ? 'NULL' : sqlString(value);
}

export function sqlInteger(value: number | null | undefined): string {
  if (value === null || value === undefined) return 'NULL';
  if (!Number.isSafeInteger(value)) throw new UnsafeSqlValueError(`${value} is not an integer`);
  return String(value);
}

/** A UTC instant as a TIMESTAMP (without time zone) literal, the type the warehouse stores times in. */
export function sqlTimestamp(value: string | Date | null | undefined): string {
  if (value === null || value === undefined) return 'NULL';
  const iso = value instanceof Date ? value.toISOString() : value;
  const match = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?)\d*(?:Z|[+-]00:?00)?$/.exec(iso);
  if (!match) throw new UnsafeSqlValueError(`${JSON.stringify(iso)} is not a UTC ISO-8601 timestamp`);
  return `CAST('${match[1]} ${match[2]}' AS TIMESTAMP)`;
}
