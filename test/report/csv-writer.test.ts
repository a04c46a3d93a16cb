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

  it('neutralises a cell a spreadsheet would run as a formula: a leading quote, and the cell quoted (OWASP CSV injection)', () => {
    const hostile = ['=HYPERLINK("http://evil.example","Click")', '+1+cmd|\' /C calc\'!A0', '-2+3', '@SUM(A1:A9)', '\t=1+1', '\r=1+1', '=1,2'];
    const csv = resultToCsv({ columns: ['product_name'], rows: hostile.map((name) => [name]) });
    expect(csv.split('\n').slice(1, 5)).toEqual([
      '"\'=HYPERLINK(""http://evil.example"",""Click"")"', '"\'+1+cmd|\' /C calc\'!A0"', '"\'-2+3"', '"\'@SUM(A1:A9)"',
    ]);
    const { records } = readCsv(csv);
    expect(records.map((record) => record.fields![0])).toEqual(hostile.map((name) => `'${name}`));
  });

  it('leaves numbers as numbers: negative and signed values, in numbers or in decimal strings, are not touched', () => {
    const csv = resultToCsv({ columns: ['month', 'revenue_growth_pct', 'delta', 'ratio'], rows: [['2024-02', '-25.00', -3, '+1.5e3'], ['2024-03', '-0.5', -0.25, '-.5']] });
    expect(csv).toBe('month,revenue_growth_pct,delta,ratio\n2024-02,-25.00,-3,+1.5e3\n2024-03,-0.5,-0.25,-.5\n');
  });

  it('neutralises a header that starts like a formula too', () => {
    expect(resultToCsv({ columns: ['=cmd', 'n'], rows: [] })).toBe('"\'=cmd",n\n');
  });
});
