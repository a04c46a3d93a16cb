/** Exact money arithmetic on integers: prices and discounts in 1/10,000, totals in cents. */

const UNITS = 10_000;

/** `round_half_up(quantity × price × (1 − discount), 2)` in cents, exactly. */
export function totalCents(quantity: number, priceUnits: number, discountUnits: number): number {
  const product = quantity * priceUnits * (UNITS - discountUnits); // in 1/10^8; stays below 2^53 for our ranges
  const cents = Math.floor(product / 1_000_000);
  return product - cents * 1_000_000 >= 500_000 ? cents + 1 : cents;
}

/** `12345` (1/10,000 units) → `1.2345`; always four decimals. */
export function formatUnits(units: number): string {
  const sign = units < 0 ? '-' : '';
  const absolute = Math.abs(units);
  return `${sign}${Math.floor(absolute / UNITS)}.${String(absolute % UNITS).padStart(4, '0')}`;
}

/** Cents → `12.34`. */
export function formatCents(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const absolute = Math.abs(cents);
  return `${sign}${Math.floor(absolute / 100)}.${String(absolute % 100).padStart(2, '0')}`;
}
