import type { CleanLine, QualityCount } from './ground-truth.js';
import { nullToken, pad } from './raw-values.js';
import { COL, ID_COLUMNS, REASON_ORDER, REQUIRED_COLUMNS, TEXT_WIDTHS, type Column } from './sales-columns.js';
import type { SeededRandom } from './seeded-random.js';

/**
 * Dirt: raw values that the cleaning rules reject (with the reasons they must give), malformed
 * records, and accepted oddities that the job nulls or cuts and counts as data quality.
 */

type Fault = 'missing' | 'invalid_id' | 'invalid_date' | 'date_out_of_range' | 'invalid_quantity' | 'non_positive_quantity' | 'invalid_price' | 'negative_price' | 'invalid_discount';
const FAULTS: readonly Fault[] = ['missing', 'invalid_id', 'invalid_date', 'date_out_of_range', 'invalid_quantity', 'non_positive_quantity', 'invalid_price', 'negative_price', 'invalid_discount'];

/** Dates after any sensible run date: the CLI keeps `--to` well before them. */
export const FUTURE_YEAR = 2999;

const BAD_VALUES: Record<Exclude<Fault, 'missing' | 'invalid_id'>, { column: Column; values: readonly string[] }> = {
  invalid_date: { column: 'order_date', values: ['2024-13-45', '31/31/2024', 'yesterday', '2025-02-30', '2024-3-5', '2023-02-29', '30-Feb-2024', 'Febuary 3, 2024', '2024.03.05', '20241305'] },
  date_out_of_range: { column: 'order_date', values: ['1999-12-31', '01/15/1998', '19991231', '15-Jan-1990', `${FUTURE_YEAR}-01-01`, `March 3, ${FUTURE_YEAR}`, `${FUTURE_YEAR}/06/30`] },
  invalid_quantity: { column: 'quantity', values: ['2.5', 'three', '1e3', '5000000', '1,000', '3 units', '1.5.0', '1000001'] },
  non_positive_quantity: { column: 'quantity', values: ['0', '-2', '-1.0', '0.00', '+0', ' -3 '] },
  invalid_price: { column: 'unit_price', values: ['abc', '12.34.56', '€12.00', '1,23', '$', '12,34.00', 'USD', '100000000', '$150,000,000.00', '12.5 EUR', '99999999.99995'] },
  negative_price: { column: 'unit_price', values: ['-5.00', '$-12.50', '-1,299.00', 'USD -0.5', '-0.0001'] },
  invalid_discount: { column: 'discount', values: ['150%', '1.5', 'abc', '-0.1', '-5%', '10%%', '0.2.5', '101 %'] },
};

function reasonRank(reason: string): number {
  const [kind, column] = reason.split(':') as [string, string | undefined];
  const columnRank = column === undefined ? 0 : kind === 'invalid_id' ? ID_COLUMNS.indexOf(column as Column) : REQUIRED_COLUMNS.indexOf(column as Column);
  return REASON_ORDER.indexOf(kind as (typeof REASON_ORDER)[number]) * 100 + columnRank;
}

/** Reasons in DESIGN 4.2 order; several of one kind follow the contract's column order. */
export function sortReasons(reasons: string[]): string[] {
  return reasons.sort((a, b) => reasonRank(a) - reasonRank(b));
}

/** The id columns the generator makes too long (a line id too long is possible, but the generator writes none). */
const OVERLONG_ID_COLUMNS = ID_COLUMNS.filter((column) => column !== 'line_id');

/**
 * Writes `count` faults into a row's raw fields, each on a column no other fault touched, and
 * returns the reasons the row must be rejected with.
 */
export function applyFaults(random: SeededRandom, fields: string[], options: { count: number; required: readonly Column[] }): string[] {
  const used = new Set<Column>();
  const reasons: string[] = [];
  let attempts = 0;
  while (reasons.length < options.count && attempts++ < 20) {
    const fault = random.pick(FAULTS);
    const column = fault === 'missing' ? random.pick(options.required) : fault === 'invalid_id' ? random.pick(OVERLONG_ID_COLUMNS) : BAD_VALUES[fault].column;
    if (used.has(column)) continue;
    used.add(column);
    if (fault === 'missing') {
      fields[COL[column]] = nullToken(random);
      reasons.push(`missing_required:${column}`);
    } else if (fault === 'invalid_id') {
      fields[COL[column]] = `${fields[COL[column]]}-${'0123456789'.repeat(4)}`;
      reasons.push(`invalid_id:${column}`);
    } else {
      fields[COL[column]] = random.pick(BAD_VALUES[fault].values);
      reasons.push(fault);
    }
  }
  return sortReasons(reasons);
}

/**
 * A record that is not well-formed: a field too few or too many, or broken quoting that still keeps
 * an even number of quotes (so the next line starts a new record). `encoded` holds the CSV-encoded
 * fields in header order; `plain` the unencoded values.
 */
export function malformedRecord(random: SeededRandom, options: { encoded: string[]; plainOrderId: string; orderIdPosition: number; cityPosition: number }): string {
  const encoded = [...options.encoded];
  switch (random.int(0, 4)) {
    case 0:
      encoded.pop();
      break;
    case 1:
      encoded.push(random.pick(['surplus', '', '"late, field"']));
      break;
    case 2:
      // An exporter that forgot to quote a value with a comma.
      encoded[options.cityPosition] = `Springfield, ${random.pick(['IL', 'MO', 'OR'])}`;
      break;
    case 3:
      encoded[options.orderIdPosition] = `"${options.plainOrderId}"${random.pick(['x', ' ', '-B'])}`;
      break;
    default:
      encoded[options.orderIdPosition] = `${options.plainOrderId.slice(0, 2)}"${options.plainOrderId.slice(2, 4)}"${options.plainOrderId.slice(4)}`;
  }
  return encoded.join(',');
}

const LONG_TAIL = 'Extended-Warranty-Edition-'.repeat(12);

/** A value longer than the column's width; the clean value is its first `width` characters. */
function overlong(value: string, width: number): { raw: string; clean: string } {
  const raw = `${value} ${LONG_TAIL}`;
  return { raw, clean: raw.slice(0, width) };
}

/**
 * An accepted oddity: the row stays clean, but the job nulls, keeps or cuts the value, and (except
 * for an unknown category) counts it. Updates the clean line and the raw fields together.
 */
export function applyOddity(random: SeededRandom, line: CleanLine, fields: string[]): QualityCount | null {
  switch (random.int(0, 8)) {
    case 0:
      fields[COL.customer_email] = random.pick(['jane.doe at example.com', 'jane@', 'jane@example', '@example.com', 'jane doe@example.com', 'jane@@example.com']);
      line.customer_email = null;
      return 'invalid_emails';
    case 1:
      fields[COL.country] = random.pick(['Atlantis', 'Narnia', 'XX', 'Wakanda', 'Europe']);
      line.country = null;
      return 'unknown_countries';
    case 2:
      fields[COL.payment_method] = random.pick(['bitcoin', 'barter', 'IOU', 'crypto-wallet']);
      line.payment_method = null;
      return 'unknown_payment_methods';
    case 3:
      fields[COL.sales_channel] = random.pick(['carrier pigeon', 'fax', 'door to door']);
      line.sales_channel = null;
      return 'unknown_sales_channels';
    case 4: {
      // Unknown categories are kept as written (trimmed), not counted.
      const category = random.pick(['Vintage Toys', 'Misc', 'Seasonal-Decor', 'UNSORTED']);
      fields[COL.category] = pad(random, category);
      line.category = category;
      return null;
    }
    case 5: {
      const { raw, clean } = overlong(line.customer_name ?? 'Customer', TEXT_WIDTHS.customer_name);
      fields[COL.customer_name] = raw;
      line.customer_name = clean;
      return 'truncated_values';
    }
    case 6: {
      const { raw, clean } = overlong(line.product_name ?? 'Product', TEXT_WIDTHS.product_name);
      fields[COL.product_name] = raw;
      line.product_name = clean;
      return 'truncated_values';
    }
    case 7: {
      const { raw, clean } = overlong(line.city ?? 'City', TEXT_WIDTHS.city);
      fields[COL.city] = raw;
      line.city = clean;
      return 'truncated_values';
    }
    default: {
      const raw = `Collectibles-and-Memorabilia-${LONG_TAIL}`;
      fields[COL.category] = raw;
      line.category = raw.slice(0, TEXT_WIDTHS.category);
      return 'truncated_values';
    }
  }
}

/**
 * Text that needs RFC 4180 quoting: commas, quotes, line breaks (one blank line inside a field too).
 * The clean value is the text with whitespace runs collapsed. `eol` is the file's line ending.
 */
export function applyQuotedText(random: SeededRandom, line: CleanLine, fields: string[], eol: string): void {
  const name = line.product_name ?? 'Gift box';
  switch (random.int(0, 5)) {
    case 0:
      fields[COL.product_name] = `${name}, deluxe`;
      line.product_name = `${name}, deluxe`;
      break;
    case 1:
      fields[COL.product_name] = `${name}${eol}Limited edition`;
      line.product_name = `${name} Limited edition`;
      break;
    case 2:
      fields[COL.product_name] = `${name}${eol}${eol}gift set`;
      line.product_name = `${name} gift set`;
      break;
    case 3:
      fields[COL.product_name] = `${name} 15" screen`;
      line.product_name = `${name} 15" screen`;
      break;
    case 4: {
      const [first, ...rest] = (line.customer_name ?? 'Jane Doe').split(' ');
      const reversed = `${rest.join(' ')}, ${first}`;
      fields[COL.customer_name] = reversed;
      line.customer_name = reversed;
      break;
    }
    default:
      fields[COL.city] = `${line.city ?? 'Springfield'}, ${random.pick(['IL', 'MO', 'OR'])}`;
      line.city = fields[COL.city] as string;
  }
}
