/**
 * An independent RFC 4180 reader for the tests, written from docs/data-contract.md and not from the
 * generator: records with the physical line each starts on, blank lines, and well-formedness.
 */
export interface CsvRecord {
  line: number;
  /** The record's text, line breaks as `\n`. */
  text: string;
  /** Field values, or null when the record is not well-formed. */
  fields: string[] | null;
}

const FIELD = /"((?:[^"]|"")*)"|([^",\r\n]*)/y;

function splitFields(text: string): string[] | null {
  const fields: string[] = [];
  let position = 0;
  for (;;) {
    FIELD.lastIndex = position;
    const match = FIELD.exec(text) as RegExpExecArray;
    fields.push(match[1] !== undefined ? match[1].replace(/""/g, '"') : (match[2] as string));
    position = FIELD.lastIndex;
    if (position === text.length) return fields;
    if (text[position] !== ',') return null;
    position += 1;
  }
}

export function readCsv(content: string): { header: string[]; records: CsvRecord[]; blankLines: number } {
  const lines = content.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  const records: CsvRecord[] = [];
  let blankLines = 0;
  let index = 0;
  while (index < lines.length) {
    const start = index;
    let text = lines[index] as string;
    index += 1;
    if (text.trim() === '') {
      blankLines += 1;
      continue;
    }
    while ((text.match(/"/g)?.length ?? 0) % 2 === 1 && index < lines.length) text += `\n${lines[index++]}`;
    records.push({ line: start + 1, text, fields: splitFields(text) });
  }
  const [header, ...data] = records;
  return { header: header?.fields ?? [], records: data, blankLines };
}

const ALIASES: Record<string, string> = { line_number: 'line_id', line_no: 'line_id', row_id: 'line_id', qty: 'quantity', price: 'unit_price' };

/** Header name → column, by the contract's normalisation and aliases; null for an unknown name. */
export function headerColumn(name: string): string | null {
  const normalised = name.trim().toLowerCase().replace(/[\s_-]+/g, '_');
  const column = ALIASES[normalised] ?? normalised;
  const known = ['order_id', 'line_id', 'order_date', 'customer_id', 'customer_name', 'customer_email', 'product_id', 'product_name', 'category', 'quantity', 'unit_price', 'discount', 'country', 'city', 'payment_method', 'sales_channel'];
  return known.includes(column) ? column : null;
}
