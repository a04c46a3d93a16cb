/**
 * What each rejection reason of docs/data-contract.md means, in words a stakeholder reads without the
 * contract: the report prints them beside the reason codes.
 */
const rowReasons: Record<string, (column: string) => string> = {
  missing_required: (column) => `the required ${column.replaceAll('_', ' ')} is empty`,
  invalid_id: (column) => `the ${column.replaceAll('_', ' ')} is longer than 32 characters`,
  invalid_date: () => "the order date is not a date the source's date formats read",
  date_out_of_range: () => 'the order date is before 2000 or after the day of the run',
  invalid_quantity: () => 'the quantity is not a whole number up to 1,000,000',
  non_positive_quantity: () => 'the quantity is zero or negative (cancellations, returns)',
  invalid_price: () => 'the unit price is not a number',
  negative_price: () => 'the unit price is negative (adjustments, refunds)',
  invalid_discount: () => 'the discount is not a rate between 0 and 100%',
  malformed_record: () => 'the row is broken: a field too many or too few, or broken quotes',
  duplicate_order_line: () => 'a later row of the same file has the same order line and wins',
};

const fileReasons: Record<string, (detail: string) => string> = {
  empty_file: () => 'the file is empty',
  not_text: () => 'the file is not text',
  malformed_header: () => 'the header row is broken',
  no_data_rows: () => 'the file has a header and no rows',
  corrupt_gzip: () => 'the gzip file cannot be decompressed',
  missing_required_columns: (detail) => `the file lacks required columns: ${detail.replaceAll(',', ', ')}`,
  profile_not_found: (detail) => `no source profile ${detail} exists`,
  invalid_profile: (detail) => `the source profile ${detail} is invalid`,
  profile_column_not_found: (detail) => `the source profile names a header the file lacks: ${detail}`,
};

/** `missing_required:customer_id` → `the required customer id is empty`; a reason the contract does not list is shown as it is. */
export function explainReason(reason: string): string {
  const separator = reason.indexOf(':');
  const [code, detail] = separator < 0 ? [reason, ''] : [reason.slice(0, separator), reason.slice(separator + 1)];
  const explain = rowReasons[code] ?? fileReasons[code];
  return explain ? explain(detail) : reason;
}
