/** The columns of a sales file and the names they may carry in a header (docs/data-contract.md). */

export const COLUMNS = [
  'order_id', 'line_id', 'order_date', 'customer_id', 'customer_name', 'customer_email', 'product_id', 'product_name',
  'category', 'quantity', 'unit_price', 'discount', 'country', 'city', 'payment_method', 'sales_channel',
] as const;
export type Column = (typeof COLUMNS)[number];

/** Column → position in a row's field array: rows are arrays, since an object or Map per row costs the generator its speed. */
export const COL = Object.fromEntries(COLUMNS.map((column, index) => [column, index])) as Record<Column, number>;

/** Required columns in contract order, which is also the order of their `missing_required:` reasons. */
export const REQUIRED_COLUMNS: readonly Column[] = ['order_id', 'line_id', 'order_date', 'customer_id', 'product_id', 'quantity', 'unit_price'];

/** Columns whose value longer than 32 characters gives `invalid_id:<column>`, in reason order. */
export const ID_COLUMNS: readonly Column[] = ['order_id', 'customer_id', 'product_id'];

/** Widths of the optional text columns (DESIGN 4.1): longer values are cut and counted `truncated_values`. */
export const TEXT_WIDTHS = { customer_name: 200, customer_email: 320, product_name: 200, category: 64, city: 100 } as const;

/** DESIGN 4.2's list, with the data-contract additions `invalid_id` after `missing_required` and `invalid_characters` before `malformed_record`. */
export const REASON_ORDER = [
  'missing_required', 'invalid_id', 'invalid_date', 'date_out_of_range', 'invalid_quantity', 'non_positive_quantity',
  'invalid_price', 'negative_price', 'invalid_discount', 'invalid_characters', 'malformed_record', 'duplicate_order_line',
] as const;

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
