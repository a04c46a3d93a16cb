import { INPUT_COLUMNS, REASON_ORDER as CONTRACT_REASON_ORDER, salesContract } from '../contract/sales-contract.js';

/**
 * The columns of a sales file and the names they may carry in a header (docs/data-contract.md). The
 * generator keeps its own cleaning logic (it is the test oracle); the contract's constants it shares come
 * from contract.json. COLUMNS is spelled out for its type; a test holds it equal to the contract's input columns.
 */
export const COLUMNS = [
  'order_id', 'line_id', 'order_date', 'customer_id', 'customer_name', 'customer_email', 'product_id', 'product_name',
  'category', 'quantity', 'unit_price', 'discount', 'country', 'city', 'payment_method', 'sales_channel',
] as const;
export type Column = (typeof COLUMNS)[number];

/** Column → position in a row's field array: rows are arrays, since an object or Map per row costs the generator its speed. */
export const COL = Object.fromEntries(COLUMNS.map((column, index) => [column, index])) as Record<Column, number>;

/**
 * Required columns in contract order, which is also the order of their `missing_required:` reasons: the
 * contract's required columns and the line id, which a file that has the column must fill on every row.
 */
export const REQUIRED_COLUMNS = INPUT_COLUMNS
  .filter((column) => column.required || column.name === salesContract.line_key.line_key_from[0])
  .map((column) => column.name as Column);

/** Columns whose value longer than their width gives `invalid_id:<column>`, in reason order. */
export const ID_COLUMNS = INPUT_COLUMNS.filter((column) => column.too_long === 'reject').map((column) => column.name as Column);

type TruncatedColumn = 'customer_name' | 'customer_email' | 'product_name' | 'category' | 'city';
/** Widths of the optional text columns: longer values are cut and counted `truncated_values`. */
export const TEXT_WIDTHS = Object.fromEntries(INPUT_COLUMNS.filter((column) => column.too_long === 'truncate')
  .map((column) => [column.name, column.length])) as Record<TruncatedColumn, number>;

/** Every rejection reason in the order a row lists them. */
export const REASON_ORDER = CONTRACT_REASON_ORDER;

/**
 * Header spellings: each normalises (trim, lower-case, runs of spaces/underscores/hyphens → `_`) to the
 * column's name or one of its aliases.
 */
export const HEADER_NAMES: Record<Column, readonly string[]> = {
  order_id: ['order_id', 'Order ID', 'ORDER_ID', 'order-id', ' Order Id '],
  line_id: ['line_id', 'Line ID', 'Line Number', 'line_no', 'Row ID', 'row-id', 'LINE_NUMBER'],
  order_date: ['order_date', 'Order Date', 'ORDER DATE', 'order-date'],
  customer_id: ['customer_id', 'Customer ID', 'customer id'],
  customer_name: ['customer_name', 'Customer Name', 'CUSTOMER__NAME'],
  customer_email: ['customer_email', 'Customer Email', 'customer-email'],
  product_id: ['product_id', 'Product ID', 'PRODUCT ID'],
  product_name: ['product_name', 'Product Name', 'Product  Name'],
  category: ['category', 'Category', 'CATEGORY'],
  quantity: ['quantity', 'Qty', 'qty', 'QUANTITY'],
  unit_price: ['unit_price', 'Price', 'price', 'Unit Price', 'unit-price'],
  discount: ['discount', 'Discount'],
  country: ['country', 'Country'],
  city: ['city', 'City'],
  payment_method: ['payment_method', 'Payment Method', 'payment-method'],
  sales_channel: ['sales_channel', 'Sales Channel', 'sales  channel'],
};

/** Columns a real export carries that the job ignores (and lists in `ignored_columns`). */
export const EXTRA_COLUMN_NAMES = ['Notes', 'Warehouse', 'Sales Rep', 'Ship Mode', 'Region', 'Coupon Code'];
/** Second columns that map to a name already in the header: the first wins, these are ignored. */
export const REPEATED_COLUMN_NAMES = ['QTY', 'Price', 'Order Date'];
export const EXTRA_VALUES = ['', 'n/a', 'dock 4', 'rush, fragile', 'ok', 'call "before" delivery', 'A-17'];
