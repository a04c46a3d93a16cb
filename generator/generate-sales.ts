import { closeSync, openSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { buildCatalogue, type Catalogue } from './catalogue.js';
import { encodeField } from './csv-record.js';
import { Aggregates, cleanRowJson, QUALITY_COUNTS, type CleanLine, type QualityCount } from './ground-truth.js';
import { totalCents } from './money.js';
import * as raw from './raw-values.js';
import { referenceData } from './reference-data.js';
import { cumulativeWeights, SeededRandom } from './seeded-random.js';

export interface GenerateOptions {
  rows: number;
  seed: number;
  out: string;
  dirtyRate?: number;
  lineId?: 'yes' | 'no' | 'random';
  truthRowsLimit?: number;
  from?: string;
  to?: string;
  onProgress?: (rowsWritten: number) => void;
}

export interface GenerateResult {
  csvPath: string;
  truthPath: string;
  counts: { rows_read: number; rows_clean: number; rows_rejected: number; duplicates_dropped: number; blank_lines: number };
}

/** The job's text rule: runs of whitespace (Java's \\s: space, tab, line breaks, VT, FF) as one space, trimmed. */
function collapseWhitespace(value: string): string {
  return value.replace(/[ \t\n\v\f\r]+/g, ' ').trim();
}

type Column = 'order_id' | 'line_id' | 'order_date' | 'customer_id' | 'customer_name' | 'customer_email' | 'product_id' | 'product_name' | 'category' | 'quantity' | 'unit_price' | 'discount' | 'country' | 'city' | 'payment_method' | 'sales_channel';

const BASE_COLUMNS: Column[] = ['order_id', 'line_id', 'order_date', 'customer_id', 'customer_name', 'customer_email', 'product_id', 'product_name', 'category', 'quantity', 'unit_price', 'discount', 'country', 'city', 'payment_method', 'sales_channel'];
const COLUMN_INDEX = new Map(BASE_COLUMNS.map((column, index) => [column, index]));

/** One record's raw field texts by column: an array, since a Map per row costs the generator its speed. */
class RawFields {
  private readonly values: string[] = new Array<string>(BASE_COLUMNS.length).fill('');
  get(column: Column): string {
    return this.values[COLUMN_INDEX.get(column) as number] as string;
  }
  set(column: Column, value: string): void {
    this.values[COLUMN_INDEX.get(column) as number] = value;
  }
}

const REQUIRED: Column[] = ['order_id', 'line_id', 'order_date', 'customer_id', 'product_id', 'quantity', 'unit_price'];
const HEADER_NAMES: Partial<Record<Column, string[]>> = {
  order_id: ['order_id', 'Order ID', 'ORDER_ID'],
  line_id: ['line_id', 'Line Number', 'line_no', 'Row ID'],
  quantity: ['quantity', 'Qty', 'QTY'],
  unit_price: ['unit_price', 'Price', 'Unit Price'],
  order_date: ['order_date', 'Order Date'],
  customer_id: ['customer_id', 'Customer ID'],
};
const EXTRA_COLUMNS = ['Notes', 'Warehouse', 'Sales Rep'];
const EXTRA_VALUES = ['', 'n/a', 'dock 4', 'rush, fragile', 'ok'];
const REASON_ORDER = ['missing_required', 'invalid_id', 'invalid_date', 'date_out_of_range', 'invalid_quantity', 'non_positive_quantity', 'invalid_price', 'negative_price', 'invalid_discount', 'malformed_record', 'duplicate_order_line'];
/** Seasonality: the share of orders per calendar month (retail peaks in November and December). */
const MONTH_WEIGHTS = [7, 6, 7, 7, 8, 8, 8, 8, 8, 9, 12, 14];
const DISCOUNTS = [0, 0, 0, 0, 0, 0, 0, 500, 1000, 1500, 2000, 2500, 1250];

/** Faults that make a row rejected, each with the reason(s) it must produce. */
const FAULTS = ['missing', 'invalid_date', 'date_out_of_range', 'invalid_quantity', 'non_positive_quantity', 'invalid_price', 'negative_price', 'invalid_discount', 'invalid_id', 'two_faults', 'malformed_count', 'malformed_quote', 'exact_duplicate', 'conflicting_duplicate'] as const;
type Fault = (typeof FAULTS)[number];

interface EmittedRow {
  sourceLine: number;
  record: string;
  reasons: string[];
  clean?: CleanLine;
  quality: QualityCount[];
}

function reasonRank(reason: string): number {
  return REASON_ORDER.indexOf(reason.split(':')[0] as string);
}

/** Days of a date range, grouped by month, for seasonal sampling. */
function daysByMonth(from: string, to: string): { days: string[][]; cumulative: number[] } {
  const days: string[][] = [];
  const weights: number[] = [];
  let current = '';
  for (let time = Date.parse(`${from}T00:00:00Z`); time <= Date.parse(`${to}T00:00:00Z`); time += 86_400_000) {
    const iso = new Date(time).toISOString().slice(0, 10);
    if (iso.slice(0, 7) !== current) {
      current = iso.slice(0, 7);
      days.push([]);
      weights.push(MONTH_WEIGHTS[Number(iso.slice(5, 7)) - 1] as number);
    }
    days[days.length - 1]?.push(iso);
  }
  if (days.length === 0) throw new Error(`empty date range ${from}..${to}: --from must not be after --to`);
  return { days, cumulative: cumulativeWeights(weights) };
}

class FileWriter {
  private readonly fd: number;
  private buffer = '';
  constructor(path: string) {
    this.fd = openSync(path, 'w');
  }
  write(text: string): void {
    this.buffer += text;
    if (this.buffer.length > 1 << 20) this.flush();
  }
  flush(): void {
    if (this.buffer) writeSync(this.fd, this.buffer);
    this.buffer = '';
  }
  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

/** Writes a dirty sales CSV and its ground truth, streaming: memory does not grow with the row count. */
export function generateSales(options: GenerateOptions): GenerateResult {
  const random = new SeededRandom(options.seed);
  const dirtyRate = options.dirtyRate ?? 0.05;
  const noiseRate = Math.min(1, dirtyRate * 4);
  const catalogue: Catalogue = buildCatalogue({ seed: options.seed, random });
  const hasLineId = options.lineId === 'yes' || (options.lineId !== 'no' && random.chance(0.5));
  const crlf = random.chance(0.5);
  const bom = random.chance(0.5);
  const eol = crlf ? '\r\n' : '\n';
  const dateRange = { from: options.from ?? '2024-01-01', to: options.to ?? '2025-12-31' };
  const calendar = daysByMonth(dateRange.from, dateRange.to);
  const truthRowsLimit = options.truthRowsLimit ?? 200_000;
  const writeCleanRows = options.rows <= truthRowsLimit;

  const columns = BASE_COLUMNS.filter((column) => column !== 'line_id' || hasLineId);
  const header: { column: Column | null; name: string }[] = columns.map((column) => ({
    column,
    name: random.pick(HEADER_NAMES[column] ?? [column]),
  }));
  const extras = EXTRA_COLUMNS.filter(() => random.chance(0.5));
  for (const extra of extras) header.splice(random.int(1, header.length), 0, { column: null, name: extra });
  const required = REQUIRED.filter((column) => column !== 'line_id' || hasLineId);

  const base = join(dirname(options.out), basename(options.out).replace(/\.csv$/i, ''));
  const truthPath = `${base}.truth.json`;
  const csv = new FileWriter(options.out);
  const cleanOut = writeCleanRows ? new FileWriter(`${base}.truth.clean.jsonl`) : undefined;
  const rejectedOut = new FileWriter(`${base}.truth.rejected.jsonl`);

  const counts = { rows_read: 0, rows_clean: 0, rows_rejected: 0, duplicates_dropped: 0, blank_lines: 0 };
  const reasons = new Map<string, number>();
  const quality: Record<QualityCount, number> = Object.fromEntries(QUALITY_COUNTS.map((name) => [name, 0])) as Record<QualityCount, number>;
  const aggregates = new Aggregates();
  let physicalLine = 2; // the header is line 1
  csv.write(`${bom ? '\uFEFF' : ''}${header.map((field) => encodeField(field.name)).join(',')}${eol}`);

  /** Renders one line's fields (raw text per column) and the quality flags its rendering implies. */
  const noise = (): boolean => random.next() < noiseRate;
  const renderLine = (line: CleanLine): { fields: RawFields } => {
    const fields = new RawFields();
    fields.set('order_id', noise() ? ` ${line.order_id} ` : line.order_id);
    if (hasLineId) fields.set('line_id', line.line_id ?? '');
    fields.set('order_date', noise() ? raw.renderDate(random, line.order_date) : line.order_date);
    fields.set('customer_id', line.customer_id);
    fields.set('customer_name', line.customer_name === null ? raw.nullToken(random) : noise() ? raw.renderName(random, line.customer_name) : line.customer_name);
    fields.set('customer_email', line.customer_email === null ? raw.nullToken(random) : noise() ? raw.renderEmail(random, line.customer_email) : line.customer_email);
    fields.set('product_id', line.product_id);
    fields.set('product_name', line.product_name ?? raw.nullToken(random));
    fields.set('category', line.category === null ? raw.nullToken(random) : noise() ? raw.renderCategory(random, line.category) : line.category);
    fields.set('quantity', noise() ? raw.renderQuantity(random, line.quantity) : String(line.quantity));
    fields.set('unit_price', noise() ? raw.renderPrice(random, line.unitPriceUnits) : raw.plainPrice(line.unitPriceUnits));
    fields.set('discount', line.discountUnits === 0 && !noise() ? '' : raw.renderDiscount(random, line.discountUnits));
    fields.set('country', line.country === null ? raw.nullToken(random) : noise() ? raw.renderCountry(random, line.country) : line.country);
    fields.set('city', line.city ?? raw.nullToken(random));
    fields.set('payment_method', line.payment_method === null ? raw.nullToken(random) : noise() ? raw.renderVariant(random, referenceData.payment_methods, line.payment_method) : line.payment_method);
    fields.set('sales_channel', line.sales_channel === null ? raw.nullToken(random) : noise() ? raw.renderVariant(random, referenceData.sales_channels, line.sales_channel) : line.sales_channel);
    return { fields };
  };

  const toRecord = (fields: RawFields, forceQuotes = false): string => {
    let record = '';
    for (let index = 0; index < header.length; index++) {
      const column = (header[index] as { column: Column | null }).column;
      const value = column ? fields.get(column) : random.pick(EXTRA_VALUES);
      record += (index === 0 ? '' : ',') + encodeField(value, forceQuotes && random.next() < 0.3);
    }
    return record;
  };

  /** Applies a fault to a rendered line: returns the reasons it must produce. */
  const applyFault = (fault: Fault, fields: RawFields): string[] => {
    switch (fault) {
      case 'missing': {
        const column = random.pick(required);
        fields.set(column, raw.nullToken(random));
        return [`missing_required:${column}`];
      }
      case 'invalid_date':
        fields.set('order_date', random.pick(['2024-13-45', '31/31/2024', 'yesterday', '2025-02-30', '2024-3-5x']));
        return ['invalid_date'];
      case 'date_out_of_range':
        fields.set('order_date', random.pick(['1999-12-31', '2099-01-01', '01/15/1998', '20990101']));
        return ['date_out_of_range'];
      case 'invalid_quantity':
        fields.set('quantity', random.pick(['2.5', 'three', '1e3', '5000000']));
        return ['invalid_quantity'];
      case 'non_positive_quantity':
        fields.set('quantity', random.pick(['0', '-2', '-1.0']));
        return ['non_positive_quantity'];
      case 'invalid_price':
        fields.set('unit_price', random.pick(['abc', '12.34.56', '€12.00', '1,23', '$']));
        return ['invalid_price'];
      case 'negative_price':
        fields.set('unit_price', random.pick(['-5.00', '$-12.50', '-1,299.00']));
        return ['negative_price'];
      case 'invalid_discount':
        fields.set('discount', random.pick(['150%', '1.5', 'abc', '-0.1']));
        return ['invalid_discount'];
      case 'invalid_id':
        fields.set('product_id', `P-${'X'.repeat(40)}`);
        return ['invalid_id:product_id'];
      case 'two_faults': {
        const first = applyFault('invalid_date', fields);
        const second = applyFault(random.pick(['non_positive_quantity', 'invalid_price', 'invalid_discount'] as const), fields);
        return [...first, ...second];
      }
      default:
        return [];
    }
  };

  const emit = (record: string, row: Omit<EmittedRow, 'sourceLine' | 'record'>, block: EmittedRow[]): void => {
    const multiLine = record.includes('\n');
    block.push({ sourceLine: physicalLine, record: multiLine ? record.replace(/\r\n/g, '\n') : record, ...row });
    csv.write(record + eol);
    physicalLine += multiLine ? record.split(/\r\n|\n/).length : 1;
  };

  /** Resolves one order's rows like the job: identical rows keep the last copy, a line key keeps its last row. */
  const resolveBlock = (block: EmittedRow[]): void => {
    // Identical rows always share a line key, so whole-row identities are compared only within a key,
    // and computed only for keys that occur more than once.
    const identity = (line: CleanLine): string => JSON.stringify(cleanRowJson(line, 0));
    const laterByKey = new Map<string, { first: CleanLine; identities?: Set<string> }>();
    const outcome = new Map<EmittedRow, 'clean' | 'dropped' | 'duplicate'>();
    for (let index = block.length - 1; index >= 0; index--) {
      const row = block[index] as EmittedRow;
      if (row.reasons.length > 0 || !row.clean) continue;
      const key = `${row.clean.order_id}\u0000${row.clean.line_key}`;
      const later = laterByKey.get(key);
      if (!later) {
        outcome.set(row, 'clean');
        laterByKey.set(key, { first: row.clean });
        continue;
      }
      later.identities ??= new Set([identity(later.first)]);
      const own = identity(row.clean);
      outcome.set(row, later.identities.has(own) ? 'dropped' : 'duplicate');
      later.identities.add(own);
    }
    const cleanLines: CleanLine[] = [];
    for (const row of block) {
      counts.rows_read += 1;
      const result = outcome.get(row);
      if (result === 'dropped') {
        counts.duplicates_dropped += 1;
        continue;
      }
      const rowReasons = result === 'duplicate' ? ['duplicate_order_line'] : row.reasons;
      if (rowReasons.length > 0) {
        counts.rows_rejected += 1;
        const ordered = [...rowReasons].sort((a, b) => reasonRank(a) - reasonRank(b));
        for (const reason of ordered) reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
        rejectedOut.write(`${JSON.stringify({ source_line: row.sourceLine, reasons: ordered, raw_record: row.record })}\n`);
        continue;
      }
      const clean = row.clean as CleanLine;
      counts.rows_clean += 1;
      for (const flag of row.quality) quality[flag] += 1;
      cleanLines.push(clean);
      cleanOut?.write(`${JSON.stringify(cleanRowJson(clean, row.sourceLine))}\n`);
    }
    aggregates.addOrder(cleanLines);
  };

  let orderNumber = 0;
  let linesWritten = 0;
  while (linesWritten < options.rows) {
    orderNumber += 1;
    const orderId = `ORD-${String(orderNumber).padStart(8, '0')}`;
    const monthDays = calendar.days[random.pickCumulative(calendar.cumulative)] as string[];
    const orderDate = random.pick(monthDays);
    const customer = catalogue.customers[random.pickCumulative(catalogue.customerWeights)]!;
    const payment = random.pick(Object.keys(referenceData.payment_methods));
    const channel = random.pick(Object.keys(referenceData.sales_channels));
    // Most orders have one to three lines; a long tail reaches twenty.
    const lineCount = Math.min(options.rows - linesWritten, random.chance(0.85) ? random.int(1, 3) : random.int(4, 20));
    const usedProducts = new Set<string>();
    const block: EmittedRow[] = [];
    const validLines: CleanLine[] = [];
    for (let lineIndex = 1; lineIndex <= lineCount; lineIndex++) {
      let product = catalogue.products[random.pickCumulative(catalogue.productWeights)]!;
      // Without a line id column the product identifies the line, so an order lists a product once.
      const allowRepeat = hasLineId && random.chance(0.05);
      while (usedProducts.has(product.id) && !allowRepeat) product = catalogue.products[random.int(0, catalogue.products.length - 1)]!;
      usedProducts.add(product.id);
      const quantity = random.chance(0.7) ? 1 : random.int(2, 12);
      const discountUnits = random.pick(DISCOUNTS);
      const lineId = hasLineId ? String(lineIndex) : null;
      const line: CleanLine = {
        order_id: orderId, line_id: lineId, line_key: lineId ?? product.id, order_date: orderDate,
        customer_id: customer.id, customer_name: customer.name, customer_email: customer.email,
        product_id: product.id, product_name: product.name, category: product.category, quantity,
        unitPriceUnits: product.priceUnits, discountUnits, totalCents: totalCents(quantity, product.priceUnits, discountUnits),
        country: customer.country, city: random.chance(0.03) ? null : customer.city, payment_method: payment, sales_channel: channel,
      };
      const quality: QualityCount[] = [];
      const dirty = random.chance(dirtyRate);
      const fault: Fault | undefined = dirty ? random.pick(FAULTS) : undefined;
      const { fields } = renderLine(line);
      // Accepted-but-odd values: each becomes null in the clean row and is counted.
      if (dirty && random.chance(0.3)) {
        const oddity = random.int(0, 3);
        if (oddity === 0) { fields.set('customer_email', line.customer_email!.replace('@', ' at ')); line.customer_email = null; quality.push('invalid_emails'); }
        if (oddity === 1) { fields.set('country', random.pick(['Atlantis', 'Narnia', 'XX'])); line.country = null; quality.push('unknown_countries'); }
        if (oddity === 2) { fields.set('payment_method', random.pick(['bitcoin', 'barter'])); line.payment_method = null; quality.push('unknown_payment_methods'); }
        if (oddity === 3) { fields.set('sales_channel', random.pick(['carrier pigeon', 'fax'])); line.sales_channel = null; quality.push('unknown_sales_channels'); }
      }
      if (dirty && random.chance(0.2) && line.product_name) {
        // Quoted commas and line breaks in text: the line break becomes a space after cleaning.
        const name = random.chance(0.5) ? `${line.product_name}, deluxe` : `${line.product_name}\nLimited edition`;
        fields.set('product_name', name);
        line.product_name = collapseWhitespace(name);
      }
      if (fault === 'malformed_count') {
        const values = header.map((field) => encodeField(field.column ? fields.get(field.column) : 'x'));
        if (random.chance(0.5)) values.pop();
        else values.push('surplus');
        emit(values.join(','), { reasons: ['malformed_record'], quality: [] }, block);
        continue;
      }
      if (fault === 'malformed_quote') {
        const values = header.map((field) => encodeField(field.column ? fields.get(field.column) : 'x'));
        const position = header.findIndex((field) => field.column === 'order_id');
        values[position] = `${orderId} "rush" order`;
        emit(values.join(','), { reasons: ['malformed_record'], quality: [] }, block);
        continue;
      }
      const faultReasons = fault ? applyFault(fault, fields) : [];
      emit(toRecord(fields, true), { reasons: faultReasons, clean: faultReasons.length === 0 ? line : undefined, quality }, block);
      if (faultReasons.length === 0) validLines.push(line);
      if (fault === 'exact_duplicate' && validLines.length > 0) {
        const original = random.pick(validLines);
        emit(toRecord(renderLine(original).fields), { reasons: [], clean: original, quality: [] }, block);
      }
      if (fault === 'conflicting_duplicate' && validLines.length > 0) {
        const original = random.pick(validLines);
        const changedQuantity = original.quantity + 1;
        const changed: CleanLine = { ...original, quantity: changedQuantity, totalCents: totalCents(changedQuantity, original.unitPriceUnits, original.discountUnits) };
        emit(toRecord(renderLine(changed).fields), { reasons: [], clean: changed, quality: [] }, block);
        validLines.push(changed);
      }
    }
    resolveBlock(block);
    linesWritten += lineCount;
    if (random.chance(dirtyRate * 0.2)) {
      csv.write(eol);
      physicalLine += 1;
      counts.blank_lines += 1;
    }
    if (options.onProgress && orderNumber % 2000 === 0) options.onProgress(linesWritten);
  }
  csv.close();
  cleanOut?.close();
  rejectedOut.close();

  const truth = {
    format: 1,
    seed: options.seed,
    rows: options.rows,
    dirty_rate: dirtyRate,
    has_line_id: hasLineId,
    bom,
    line_ending: crlf ? 'crlf' : 'lf',
    date_range: dateRange,
    counts,
    reasons: Object.fromEntries([...reasons.entries()].sort(([a], [b]) => reasonRank(a) - reasonRank(b) || (a < b ? -1 : 1))),
    ignored_columns: extras.length ? header.filter((field) => field.column === null).map((field) => field.name) : [],
    quality,
    aggregates: aggregates.toJson(),
    clean_rows_file: writeCleanRows ? `${basename(base)}.truth.clean.jsonl` : null,
    rejected_rows_file: `${basename(base)}.truth.rejected.jsonl`,
  };
  const truthFile = new FileWriter(truthPath);
  truthFile.write(`${JSON.stringify(truth, null, 2)}\n`);
  truthFile.close();
  return { csvPath: options.out, truthPath, counts };
}
