import { isNullToken } from './contract-columns.js';

/** Sampled data records with the position of each mapped column. */
export interface SampledRecords {
  records: string[][];
  position: (column: string) => number | undefined;
}

export interface LineKeyDecision {
  lineKey: 'line_id' | 'product' | 'product_occurrence';
  evidence: string;
}

/**
 * Columns that describe a whole order, which shop exports give on an order's first line only. Not
 * discount: a blank discount means none, and lines of one order often carry different ones.
 */
const ORDER_LEVEL_CAPABLE = ['order_date', 'customer_id', 'customer_name', 'customer_email', 'country', 'city', 'payment_method', 'sales_channel'];

function valueAt(record: string[], position: number | undefined): string | undefined {
  if (position === undefined) return undefined;
  const value = record[position];
  return value === undefined || isNullToken(value) ? undefined : value.trim();
}

/** The records of each order, in file order, keyed by order id (records without one left out). */
function ordersOf(sample: SampledRecords): Map<string, { record: string[]; index: number }[]> {
  const orders = new Map<string, { record: string[]; index: number }[]>();
  const orderPosition = sample.position('order_id');
  sample.records.forEach((record, index) => {
    const order = valueAt(record, orderPosition);
    if (order === undefined) return;
    orders.set(order, [...(orders.get(order) ?? []), { record, index }]);
  });
  return orders;
}

/**
 * line_id when the file maps a line id; else product_occurrence when one order lists a product on two
 * lines with different quantities (both are real purchases, which the product key would reject as
 * duplicate_order_line), else product.
 */
export function inferLineKey(sample: SampledRecords, options: { lineIdHeader?: string }): LineKeyDecision {
  if (options.lineIdHeader !== undefined) return { lineKey: 'line_id', evidence: `"${options.lineIdHeader}" gives each line its id within the order` };
  const productPosition = sample.position('product_id');
  const quantityPosition = sample.position('quantity');
  let exactRepeats = 0;
  for (const [order, lines] of ordersOf(sample)) {
    const byProduct = new Map<string, { record: string[]; index: number }[]>();
    for (const line of lines) {
      const product = valueAt(line.record, productPosition);
      if (product !== undefined) byProduct.set(product, [...(byProduct.get(product) ?? []), line]);
    }
    for (const [product, repeats] of byProduct) {
      if (repeats.length < 2) continue;
      const quantities = repeats.map((line) => valueAt(line.record, quantityPosition));
      if (new Set(quantities).size > 1) {
        return {
          lineKey: 'product_occurrence',
          evidence: `order ${order} lists product ${product} on ${repeats.length} lines (data records ${repeats.map((line) => line.index + 1).join(', ')}) `
            + `with quantities ${quantities.map((quantity) => quantity ?? 'null').join(', ')}: each line is a purchase of its own`,
        };
      }
      exactRepeats += repeats.length - 1;
    }
  }
  return {
    lineKey: 'product',
    evidence: `no line id column, and no order lists a product twice with different quantities in ${sample.records.length} sampled records`
      + (exactRepeats > 0 ? ` (${exactRepeats} line(s) repeat a product with the same quantity: duplicates, or rejected as duplicate_order_line when other values differ)` : ''),
  };
}

export interface OrderLevelDecision {
  columns: string[];
  evidence: string;
}

/**
 * Order-describing columns that are blank on later lines of an order whose first line has a value, and
 * never differ within an order: the export writes them once per order.
 */
export function inferOrderLevel(sample: SampledRecords, headers: Record<string, string>): OrderLevelDecision {
  const multiLine = [...ordersOf(sample).values()].filter((lines) => lines.length > 1);
  const found: string[] = [];
  const notes: string[] = [];
  for (const column of ORDER_LEVEL_CAPABLE) {
    const position = sample.position(column);
    if (position === undefined) continue;
    let blankLater = 0;
    let conflicts = 0;
    let orders = 0;
    for (const lines of multiLine) {
      const first = valueAt(lines[0]!.record, position);
      if (first === undefined) continue;
      const later = lines.slice(1).map((line) => valueAt(line.record, position));
      const blanks = later.filter((value) => value === undefined).length;
      blankLater += blanks;
      conflicts += later.filter((value) => value !== undefined && value !== first).length;
      if (blanks > 0) orders++;
    }
    if (blankLater > 0 && conflicts === 0) {
      found.push(column);
      notes.push(`${column} ("${headers[column]}") is blank on ${blankLater} later line(s) of ${orders} order(s) whose first line has it`);
    }
  }
  if (found.length === 0) {
    return { columns: [], evidence: multiLine.length === 0 ? 'no order has two lines in the sample' : `every order-describing column is repeated on the later lines of ${multiLine.length} multi-line orders` };
  }
  return { columns: found, evidence: `${notes.join('; ')}; none differs within an order` };
}
