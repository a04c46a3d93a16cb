/** RFC 4180 field encoding: quotes only where needed, or always when `forceQuotes` is set. */
export function encodeField(value: string, forceQuotes = false): string {
  if (forceQuotes || /[",\r\n]/.test(value)) return `"${value.replace(/"/g, '""')}"`;
  return value;
}
