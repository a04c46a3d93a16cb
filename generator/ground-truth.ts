import { formatCents, formatUnits } from './money.js';

/** One clean order line as the job must produce it (docs/data-contract.md). */
export interface CleanLine {
  order_id: string;
  line_id: string | null;
  line_key: string;
  order_date: string;
  customer_id: string;
  customer_name: string | null;
  customer_email: string | null;
  product_id: string;
  product_name: string | null;
  category: string | null;
  quantity: number;
  unitPriceUnits: number;
  discountUnits: number;
  totalCents: number;
  country: string | null;
  city: string | null;
  payment_method: string | null;
  sales_channel: string | null;
}

export const QUALITY_COUNTS = ['invalid_emails', 'unknown_countries', 'unknown_payment_methods', 'unknown_sales_channels', 'truncated_values'] as const;
export type QualityCount = (typeof QUALITY_COUNTS)[number];

/** The columns in the truth file and in the job's Parquet, in contract order. */
export function cleanRowJson(line: CleanLine, sourceLine: number): Record<string, string | number | null> {
  return {
    order_id: line.order_id,
    line_id: line.line_id,
    line_key: line.line_key,
    order_date: line.order_date,
    customer_id: line.customer_id,
    customer_name: line.customer_name,
    customer_email: line.customer_email,
    product_id: line.product_id,
    product_name: line.product_name,
    category: line.category,
    quantity: line.quantity,
    unit_price: formatUnits(line.unitPriceUnits),
    discount: formatUnits(line.discountUnits),
    total_amount: formatCents(line.totalCents),
    country: line.country,
    city: line.city,
    payment_method: line.payment_method,
    sales_channel: line.sales_channel,
    source_line: sourceLine,
  };
}

/** The group key of clean rows whose value is null. */
export const NO_VALUE = '(none)';

interface Totals {
  lines: number;
  units: number;
  revenueCents: number;
  orders: number;
  /** The serial of the last order counted: an order's lines arrive together, so one number does a set's work. */
  countedOrder: number;
}

/**
 * Totals by key. The last key's totals are kept at hand: an order's lines mostly share their month,
 * customer, country and channel, so most of those map look-ups (20,000 customers) are saved.
 */
class Group {
  readonly byKey = new Map<string, Totals>();
  private lastKey: string | undefined;
  private last: Totals | undefined;

  /** `countsOrders`: the ground truth lists distinct orders per key. */
  constructor(readonly countsOrders: boolean) {}

  /** Adds a line of the order with serial `order`. */
  add(key: string, line: CleanLine, order: number): void {
    let totals = key === this.lastKey ? this.last : this.byKey.get(key);
    if (!totals) {
      totals = { lines: 0, units: 0, revenueCents: 0, orders: 0, countedOrder: 0 };
      this.byKey.set(key, totals);
    }
    this.lastKey = key;
    this.last = totals;
    totals.lines += 1;
    totals.units += line.quantity;
    totals.revenueCents += line.totalCents;
    if (totals.countedOrder !== order) {
      totals.orders += 1;
      totals.countedOrder = order;
    }
  }
}

/** Exact aggregates of the clean rows, in memory bounded by the catalogue (not by the row count). */
export class Aggregates {
  private readonly total = { lines: 0, units: 0, revenueCents: 0, orders: 0 };
  private readonly groups = {
    by_month: new Group(true),
    by_product: new Group(false),
    by_customer: new Group(true),
    by_category: new Group(false),
    by_country: new Group(false),
    by_channel: new Group(false),
  };

  /** Adds the clean lines of one order (all lines of an order are contiguous in the file). */
  addOrder(lines: CleanLine[]): void {
    if (lines.length === 0) return;
    const order = (this.total.orders += 1);
    for (const line of lines) {
      this.total.lines += 1;
      this.total.units += line.quantity;
      this.total.revenueCents += line.totalCents;
      this.groups.by_month.add(line.order_date.slice(0, 7), line, order);
      this.groups.by_customer.add(line.customer_id, line, order);
      this.groups.by_product.add(line.product_id, line, order);
      this.groups.by_category.add(line.category ?? NO_VALUE, line, order);
      this.groups.by_country.add(line.country ?? NO_VALUE, line, order);
      this.groups.by_channel.add(line.sales_channel ?? NO_VALUE, line, order);
    }
  }

  toJson(): Record<string, unknown> {
    // The fields GROUND_TRUTH lists per group: customers have no units.
    const render = (totals: Totals, withOrders: boolean, withUnits: boolean) => ({
      lines: totals.lines,
      ...(withOrders ? { orders: totals.orders } : {}),
      ...(withUnits ? { units: totals.units } : {}),
      revenue: formatCents(totals.revenueCents),
    });
    const groups: Record<string, Record<string, unknown>> = {};
    for (const [name, group] of Object.entries(this.groups)) {
      const sorted = [...group.byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      groups[name] = Object.fromEntries(sorted.map(([key, totals]) => [key, render(totals, group.countsOrders, name !== 'by_customer')]));
    }
    return { total: { lines: this.total.lines, orders: this.total.orders, units: this.total.units, revenue: formatCents(this.total.revenueCents) }, ...groups };
  }
}
