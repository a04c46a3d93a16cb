import { describe, expect, it } from 'vitest';
import type { CleanLine } from '../../generator/ground-truth.js';
import { resolveOrderBlock, type EmittedRecord } from '../../generator/order-block.js';

const line = (lineKey: string, quantity = 1): CleanLine => ({
  order_id: 'ORD-1', line_id: lineKey, line_key: lineKey, order_date: '2024-03-05', customer_id: 'C-1', customer_name: null,
  customer_email: null, product_id: 'P-1', product_name: null, category: null, quantity, unitPriceUnits: 10_000, discountUnits: 0,
  totalCents: quantity * 100, country: null, city: null, payment_method: null, sales_channel: null,
});
const record = (clean: CleanLine | null, sourceLine: number): EmittedRecord => ({ sourceLine, rawRecord: '', reasons: clean ? [] : ['invalid_date'], clean, quality: null });

describe('resolveOrderBlock', () => {
  it('keeps the last of identical rows and drops the others', () => {
    expect(resolveOrderBlock([record(line('1'), 2), record(line('1'), 3)])).toEqual(['duplicate_dropped', 'clean']);
  });

  it('rejects earlier rows that share a line key with a different later row', () => {
    expect(resolveOrderBlock([record(line('1', 1), 2), record(line('1', 2), 3), record(line('2'), 4)])).toEqual(['duplicate_order_line', 'clean', 'clean']);
  });

  it('collapses identical rows before applying the line-key rule', () => {
    expect(resolveOrderBlock([record(line('1', 1), 2), record(line('1', 2), 3), record(line('1', 1), 4)])).toEqual(['duplicate_dropped', 'duplicate_order_line', 'clean']);
  });

  it('leaves rows that failed validation out of both rules', () => {
    expect(resolveOrderBlock([record(line('1'), 2), record(null, 3), record(null, 4)])).toEqual(['clean', 'rejected', 'rejected']);
  });
});
