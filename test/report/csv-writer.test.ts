import { describe, expect, it } from 'vitest';
import { resultToCsv } from '../../report/csv-writer.js';
import { readCsv } from '../generator/csv-reader.js';

describe('resultToCsv', () => {
  it('writes a header row and one line per row, NULL as an empty field', () => {
    expect(resultToCsv({ columns: ['month', 'orders', 'revenue', 'revenue_growth_pct'], rows: [['2024-01', 3, '10.00', null], ['2024-02', 4, '12.50', '25.00']] }))
      .toBe('month,orders,revenue,revenue_growth_pct\n2024-01,3,10.00,\n2024-02,4,12.50,25.00\n');
  });

  it('quotes values with commas, quotes, line breaks or edge spaces, doubling quotes', () => {
    const csv = resultToCsv({ columns: ['product_name', 'flag'], rows: [['Desk, "large"', true], ['two\nlines', false], [' padded', 'plain']] });
    expect(csv).toBe('product_name,flag\n"Desk, ""large""",true\n"two\nlines",false\n" padded",plain\n');
  });

  it('round-trips through an independent RFC 4180 reader', () => {
    const rows = [['a,b', 'say "hi"', 'x\ny', ''], ['1', '2', '3', '4']];
    const { header, records } = readCsv(resultToCsv({ columns: ['c1', 'c2', 'c3', 'c4'], rows }));
    expect(header).toEqual(['c1', 'c2', 'c3', 'c4']);
    expect(records.map((record) => record.fields)).toEqual(rows);
  });
});
