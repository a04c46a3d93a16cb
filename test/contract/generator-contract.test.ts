import { describe, expect, it } from 'vitest';
import { INPUT_COLUMNS, salesContract } from '../../contract/sales-contract.js';
import { COLUMNS, TEXT_WIDTHS } from '../../generator/sales-columns.js';

describe('the generator', () => {
  it("writes the contract's input columns, in the contract's order", () => {
    expect([...COLUMNS]).toEqual(INPUT_COLUMNS.map((column) => column.name));
  });

  it('cuts exactly the columns the contract truncates, at their width', () => {
    const truncated = salesContract.clean_columns.filter((column) => column.too_long === 'truncate');
    expect(TEXT_WIDTHS).toEqual(Object.fromEntries(truncated.map((column) => [column.name, column.length])));
  });
});
