// One shared pattern: a regular expression literal in a function allocates a new object per call.
const NEEDS_QUOTES = /[",\r\n]/;

/** RFC 4180 field encoding: quotes only where needed, or always when `forceQuotes` is set. */
export function encodeField(value: string, forceQuotes = false): string {
  if (forceQuotes || NEEDS_QUOTES.test(value)) return `"${value.replaceAll('"', '""')}"`;
  return value;
}
