import { basename, dirname, join } from 'node:path';
import { buildCatalogue, type Catalogue, type Customer } from './catalogue.js';
import { encodeField } from './csv-record.js';
import { applyFaults, applyOddity, applyQuotedText, malformedRecord } from './dirt.js';
import { FileWriter } from './file-writer.js';
import type { CleanLine, QualityCount } from './ground-truth.js';
import { totalCents } from './money.js';
import { resolveOrderBlock, type EmittedRecord } from './order-block.js';
import * as raw from './raw-values.js';
import { referenceData } from './reference-data.js';
import { COL, COLUMNS, EXTRA_COLUMN_NAMES, EXTRA_VALUES, HEADER_NAMES, REPEATED_COLUMN_NAMES, REQUIRED_COLUMNS, type Column } from './sales-columns.js';
import { cumulativeWeights, SeededRandom } from './seeded-random.js';
import type { TruthCounts } from './truth-file.js';
import { TruthWriter } from './truth-writer.js';

export type Choice = 'yes' | 'no' | 'random';

export interface GenerateOptions {
  /** Data records to write (blank lines not included). */
  rows: number;
  seed: number;
  /** The CSV path; the ground truth goes beside it. */
  out: string;
  dirtyRate?: number;
  lineId?: Choice;
  bom?: Choice;
  lineEnding?: 'lf' | 'crlf' | 'random';
  /** Clean rows are listed one by one only up to this many rows (default 200,000); aggregates always. */
  truthRowsLimit?: number;
  from?: string;
  to?: string;
  /** Order ids are `<prefix>-00000001`, … (default ORD): files with different prefixes never share an order. */
  orderPrefix?: string;
  /** Called about every thousand orders with the records written so far. */
  onProgress?: (recordsWritten: number) => void;
}

export interface GenerateResult {
  csvPath: string;
  truthPath: string;
  counts: TruthCounts;
}

export const DEFAULT_DIRTY_RATE = 0.05;
export const DEFAULT_ORDER_PREFIX = 'ORD';
export const ORDER_PREFIX_PATTERN = /^[A-Z0-9]{1,16}$/;
export const DEFAULT_DATE_RANGE = { from: '2024-01-01', to: '2025-12-31' } as const;
export const DEFAULT_TRUTH_ROWS_LIMIT = 200_000;

/** Seasonality: the share of orders per calendar month (retail peaks in November and December). */
const MONTH_WEIGHTS = [7, 6, 7, 7, 8, 8, 8, 8, 8, 9, 12, 14];
const DISCOUNTS = [0, 0, 0, 0, 0, 0, 0, 500, 1000, 1500, 2000, 2500, 1250];
const OPTIONAL_TEXT: readonly Column[] = ['customer_name', 'customer_email', 'product_name', 'category', 'country', 'city', 'payment_method', 'sales_channel'];
const KNOWN_CATEGORIES = new Set(referenceData.categories);
const FREE_TEXT = new Set([COL.customer_name, COL.customer_email, COL.product_name, COL.category, COL.city]);

/** The reasons of a record that passed validation, shared rather than allocated per row. */
const NO_REASONS: readonly string[] = [];

/** Kinds of dirt and their weights: rejections are the most common, as in real exports. */
const DIRT = ['fault', 'faults', 'malformed', 'oddity', 'quoted_text', 'exact_duplicate', 'conflicting_duplicate', 'repeated_rejection'] as const;
const DIRT_WEIGHTS = cumulativeWeights([9, 1.2, 1.5, 3, 1.5, 1, 1, 0.4]);

/** Days of a date range grouped by month, for seasonal sampling. */
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
  return { days, cumulative: cumulativeWeights(weights) };
}

/** Prices and discounts come from small sets (the catalogue, DISCOUNTS), so each plain text is formatted once. */
function memoised(format: (units: number) => string): (units: number) => string {
  const texts = new Map<number, string>();
  return (units) => {
    let text = texts.get(units);
    if (text === undefined) texts.set(units, (text = format(units)));
    return text;
  };
}

interface HeaderField {
  /** Position in a row's field array, or -1 for a column the job ignores. */
  field: number;
  name: string;
}

/** Column order, spellings, extra and repeated columns: chosen once per file. */
function chooseHeader(random: SeededRandom, hasLineId: boolean): HeaderField[] {
  const columns = COLUMNS.filter((column) => column !== 'line_id' || hasLineId);
  if (random.chance(0.25)) {
    for (let index = columns.length - 1; index > 0; index--) {
      const other = random.int(0, index);
      [columns[index], columns[other]] = [columns[other] as Column, columns[index] as Column];
    }
  }
  const header: HeaderField[] = columns.map((column) => ({ field: COL[column], name: random.pick(HEADER_NAMES[column]) }));
  for (const extra of EXTRA_COLUMN_NAMES) {
    if (random.chance(0.4)) header.splice(random.int(1, header.length), 0, { field: -1, name: extra });
  }
  if (random.chance(0.5)) header.push({ field: -1, name: random.pick(REPEATED_COLUMN_NAMES) });
  return header;
}

/** Writes a dirty sales CSV and its ground truth, streaming: memory does not grow with the row count. */
export function generateSales(options: GenerateOptions): GenerateResult {
  const random = new SeededRandom(options.seed);
  const dirtyRate = options.dirtyRate ?? DEFAULT_DIRTY_RATE;
  const noiseRate = Math.min(1, dirtyRate * 4);
  const catalogue: Catalogue = buildCatalogue({ seed: options.seed, random });
  // Drawn whatever the options say, so a flag changes only what it names.
  const drawn = { lineId: random.chance(0.5), crlf: random.chance(0.5), bom: random.chance(0.5) };
  const hasLineId = options.lineId === 'yes' || (options.lineId !== 'no' && drawn.lineId);
  const crlf = options.lineEnding === 'crlf' || (options.lineEnding !== 'lf' && drawn.crlf);
  const bom = options.bom === 'yes' || (options.bom !== 'no' && drawn.bom);
  const eol = crlf ? '\r\n' : '\n';
  const dateRange = { from: options.from ?? DEFAULT_DATE_RANGE.from, to: options.to ?? DEFAULT_DATE_RANGE.to };
  const calendar = daysByMonth(dateRange.from, dateRange.to);
  const header = chooseHeader(random, hasLineId);
  const required = REQUIRED_COLUMNS.filter((column) => column !== 'line_id' || hasLineId);
  const orderIdPosition = header.findIndex((field) => field.field === COL.order_id);
  const cityPosition = header.findIndex((field) => field.field === COL.city);

  const base = join(dirname(options.out), basename(options.out).replace(/\.csv$/i, ''));
  const csv = new FileWriter(options.out);
  const truth = new TruthWriter(base, options.rows <= (options.truthRowsLimit ?? DEFAULT_TRUTH_ROWS_LIMIT));
  csv.write(`${bom ? '\uFEFF' : ''}${header.map((field) => encodeField(field.name)).join(',')}${eol}`);

  const plainPrice = memoised(raw.plainPrice);
  const plainDiscount = memoised(raw.plainDiscount);
  const fields: string[] = new Array<string>(COLUMNS.length).fill('');
  const encoded: string[] = new Array<string>(header.length).fill('');

  const varied: Partial<Record<Column, (value: string) => string>> = {
    customer_name: (value) => raw.renderText(random, value),
    customer_email: (value) => raw.renderEmail(random, value),
    product_name: (value) => raw.renderText(random, value),
    category: (value) => (KNOWN_CATEGORIES.has(value) ? raw.renderCategory(random, value) : raw.pad(random, value)),
    country: (value) => raw.renderCountry(random, value),
    city: (value) => raw.renderText(random, value),
    payment_method: (value) => raw.renderVariant(random, referenceData.payment_methods, value),
    sales_channel: (value) => raw.renderVariant(random, referenceData.sales_channels, value),
  };
  const vary = (noisy: boolean): boolean => noisy && random.next() < 0.35;
  const id = (value: string, noisy: boolean): string => (vary(noisy) ? raw.pad(random, value) : value);
  const optional = (column: Column, value: string | null, noisy: boolean): string =>
    value === null ? raw.nullToken(random) : vary(noisy) ? (varied[column] as (value: string) => string)(value) : value;

  /** Fills `fields` with a raw rendering of `line`; `noisy` picks accepted variants instead of plain text. */
  function render(line: CleanLine, noisy: boolean): void {
    fields[COL.order_id] = id(line.order_id, noisy);
    fields[COL.line_id] = line.line_id === null ? '' : id(line.line_id, noisy);
    fields[COL.order_date] = vary(noisy) ? raw.renderDate(random, line.order_date) : line.order_date;
    fields[COL.customer_id] = id(line.customer_id, noisy);
    fields[COL.customer_name] = optional('customer_name', line.customer_name, noisy);
    fields[COL.customer_email] = optional('customer_email', line.customer_email, noisy);
    fields[COL.product_id] = id(line.product_id, noisy);
    fields[COL.product_name] = optional('product_name', line.product_name, noisy);
    fields[COL.category] = optional('category', line.category, noisy);
    fields[COL.quantity] = vary(noisy) ? raw.renderQuantity(random, line.quantity) : String(line.quantity);
    fields[COL.unit_price] = vary(noisy) ? raw.renderPrice(random, line.unitPriceUnits) : plainPrice(line.unitPriceUnits);
    fields[COL.discount] = vary(noisy) ? raw.renderDiscount(random, line.discountUnits) : plainDiscount(line.discountUnits);
    fields[COL.country] = optional('country', line.country, noisy);
    fields[COL.city] = optional('city', line.city, noisy);
    fields[COL.payment_method] = optional('payment_method', line.payment_method, noisy);
    fields[COL.sales_channel] = optional('sales_channel', line.sales_channel, noisy);
  }

  // Plain renderings of ids, dates, numbers and codes never need quotes: only free text is checked.
  const freeText = header.map((field) => FREE_TEXT.has(field.field));
  const extraValues = EXTRA_VALUES.map((value) => encodeField(value));
  /**
   * Encodes `fields` in header order into `encoded`. `dirty` checks every field for quoting (dirt
   * writes commas anywhere) and quotes a few fields that need no quotes, an accepted form.
   */
  function encode(dirty: boolean): void {
    for (let index = 0; index < header.length; index++) {
      const position = (header[index] as HeaderField).field;
      if (position < 0) encoded[index] = random.pick(extraValues);
      else if (dirty) encoded[index] = encodeField(fields[position] as string, random.next() < 0.3);
      else encoded[index] = freeText[index] ? encodeField(fields[position] as string) : (fields[position] as string);
    }
  }

  let physicalLine = 2; // the header is line 1
  let recordsWritten = 0;
  const block: EmittedRecord[] = [];
  function emit(record: string, reasons: readonly string[], clean: CleanLine | null, quality: QualityCount | null): void {
    const breaks = record.includes('\n') ? record.split('\n').length - 1 : 0;
    block.push({ sourceLine: physicalLine, rawRecord: breaks ? record.replace(/\r\n/g, '\n') : record, reasons, clean, quality });
    csv.write(record + eol);
    physicalLine += 1 + breaks;
    recordsWritten += 1;
  }

  /** Renders a clean line afresh (another accepted form) and writes it as a record that cleans to `line`. */
  function emitCopy(line: CleanLine): void {
    render(line, true);
    encode(true);
    emit(encoded.join(','), NO_REASONS, line, null);
  }

  function newLine(order: { id: string; date: string; customer: Customer; payment: string; channel: string }, lineIndex: number, productIndex: number): CleanLine {
    const product = catalogue.products[productIndex]!;
    const quantity = random.chance(0.7) ? 1 : random.chance(0.97) ? random.int(2, 12) : random.int(13, 500);
    const discountUnits = random.pick(DISCOUNTS);
    const lineId = hasLineId ? String(lineIndex) : null;
    return {
      order_id: order.id, line_id: lineId, line_key: lineId ?? product.id, order_date: order.date,
      customer_id: order.customer.id, customer_name: order.customer.name, customer_email: order.customer.email,
      product_id: product.id, product_name: product.name, category: product.category, quantity,
      unitPriceUnits: product.priceUnits, discountUnits, totalCents: totalCents(quantity, product.priceUnits, discountUnits),
      country: order.customer.country, city: random.chance(0.02) ? null : order.customer.city, payment_method: order.payment, sales_channel: order.channel,
    };
  }

  /** Optional values written as null tokens: the clean row has null (a null discount is 0). */
  function nullSomeValues(line: CleanLine): void {
    for (const column of OPTIONAL_TEXT) {
      if (random.next() < 0.08) (line as unknown as Record<string, string | null>)[column] = null;
    }
    if (line.discountUnits !== 0 && random.next() < 0.08) {
      line.discountUnits = 0;
      line.totalCents = totalCents(line.quantity, line.unitPriceUnits, 0);
    }
  }

  const usedProducts = new Set<number>();
  const validLines: CleanLine[] = [];
  const paymentMethods = Object.keys(referenceData.payment_methods);
  const salesChannels = Object.keys(referenceData.sales_channels);
  let orderNumber = 0;
  const orderPrefix = options.orderPrefix ?? DEFAULT_ORDER_PREFIX;
  while (recordsWritten < options.rows) {
    orderNumber += 1;
    const monthDays = calendar.days[random.pickCumulative(calendar.cumulative)] as string[];
    const order = {
      id: `${orderPrefix}-${String(orderNumber).padStart(8, '0')}`,
      date: random.pick(monthDays),
      customer: catalogue.customers[random.pickCumulative(catalogue.customerWeights)]!,
      payment: random.pick(paymentMethods),
      channel: random.pick(salesChannels),
    };
    // Most orders have one to three lines; a long tail reaches twenty.
    const lineCount = random.chance(0.85) ? random.int(1, 3) : random.int(4, 20);
    block.length = 0;
    validLines.length = 0;
    usedProducts.clear();
    for (let lineIndex = 1; lineIndex <= lineCount && recordsWritten < options.rows; lineIndex++) {
      let productIndex = random.pickCumulative(catalogue.productWeights);
      // Without a line id column the product identifies the line, so an order lists a product once;
      // with line ids a few orders list a product twice, on different lines (both are kept).
      const repeatAllowed = hasLineId && random.chance(0.05);
      while (usedProducts.has(productIndex) && !repeatAllowed) productIndex = random.int(0, catalogue.products.length - 1);
      usedProducts.add(productIndex);
      const line = newLine(order, lineIndex, productIndex);
      const noisy = random.next() < noiseRate;
      if (noisy) nullSomeValues(line);
      render(line, noisy);
      if (!(random.next() < dirtyRate)) {
        encode(noisy);
        emit(encoded.join(','), NO_REASONS, line, null);
        validLines.push(line);
        continue;
      }
      const dirt = DIRT[random.pickCumulative(DIRT_WEIGHTS)] as (typeof DIRT)[number];
      if (dirt === 'fault' || dirt === 'faults' || dirt === 'repeated_rejection') {
        const reasons = applyFaults(random, fields, { count: dirt === 'faults' ? random.int(2, 3) : 1, required });
        encode(true);
        const record = encoded.join(',');
        emit(record, reasons, null, null);
        // The same rejected record twice: rows that fail validation take no part in the duplicate rules.
        if (dirt === 'repeated_rejection' && recordsWritten < options.rows) emit(record, reasons, null, null);
        continue;
      }
      if (dirt === 'malformed') {
        encode(true);
        emit(malformedRecord(random, { encoded, plainOrderId: line.order_id, orderIdPosition, cityPosition }), ['malformed_record'], null, null);
        continue;
      }
      const quality = dirt === 'oddity' ? applyOddity(random, line, fields) : null;
      if (dirt === 'quoted_text') applyQuotedText(random, line, fields, eol);
      encode(true);
      emit(encoded.join(','), NO_REASONS, line, quality);
      validLines.push(line);
      if (recordsWritten >= options.rows) continue;
      const original = random.pick(validLines);
      if (dirt === 'exact_duplicate') emitCopy(original);
      if (dirt === 'conflicting_duplicate') {
        const quantity = original.quantity + random.int(1, 3);
        const changed: CleanLine = { ...original, quantity, totalCents: totalCents(quantity, original.unitPriceUnits, original.discountUnits) };
        emitCopy(changed);
        validLines.push(changed);
      }
    }
    truth.addOrder(block, resolveOrderBlock(block));
    if (random.next() < dirtyRate * 0.1) {
      csv.write(random.pick(['', ' ', '   ']) + eol);
      physicalLine += 1;
      truth.addBlankLine();
    }
    if (options.onProgress && orderNumber % 1024 === 0) options.onProgress(recordsWritten);
  }
  csv.close();
  const truthPath = truth.finish({
    seed: options.seed, rows: options.rows, dirtyRate, hasLineId, bom, crlf, dateRange,
    ignoredColumns: header.filter((field) => field.field < 0).map((field) => field.name),
  });
  return { csvPath: options.out, truthPath, counts: truth.counts };
}
