import { describe, expect, it } from 'vitest';
import { csvValueType, inferCsvSchema, parseDelimited, widenCsvType } from '../../../emulator/glue-crawler/csv-schema.js';

describe('csv schema inference', () => {
  it('parses quoted delimiters, doubled quotes, line breaks and CRLF', () => {
    const text = 'a,b\r\n"x, y","say ""hi"""\r\n"two\nlines",z\r\n';
    expect(parseDelimited(text, { delimiter: ',', complete: true })).toEqual({
      records: [['a', 'b'], ['x, y', 'say "hi"'], ['two\nlines', 'z']],
      quoted: true,
    });
  });

  it('drops the last record of a sample cut in the middle of the object', () => {
    expect(parseDelimited('a,b\n1,2\n3,', { delimiter: ',', complete: false }).records).toEqual([['a', 'b'], ['1', '2']]);
    expect(parseDelimited('a,b\n1,2\n3,', { delimiter: ',', complete: true }).records).toEqual([['a', 'b'], ['1', '2'], ['3', '']]);
    expect(parseDelimited('a,b\n1,"two\nlin', { delimiter: ',', complete: false }).records).toEqual([['a', 'b']]);
  });

  it('types values as Glue does: boolean, bigint, double, else string; dates stay strings', () => {
    expect(['true', 'FALSE', '42', '-7', ' 3 ', '3.0', '.5', '1e3', '2024-03-05', '$19.99', '1,299.00', '99999999999999999999', ''].map(csvValueType))
      .toEqual(['boolean', 'boolean', 'bigint', 'bigint', 'bigint', 'double', 'double', 'double', 'string', 'string', 'string', 'string', undefined]);
  });

  it('widens bigint to double and any other mix to string, ignoring empty values', () => {
    expect(widenCsvType('bigint', 'double')).toBe('double');
    expect(widenCsvType('bigint', undefined)).toBe('bigint');
    expect(widenCsvType('boolean', 'bigint')).toBe('string');
    expect(widenCsvType(undefined, 'double')).toBe('double');
  });

  it('reads the header and samples column types, with quoted commas in the data', () => {
    const text = '\uFEFFOrder ID,Order Date,Quantity,Unit Price,Product Name,Gift\n'
      + 'O-1,2024-03-05,3,19.99,"Desk, oak",true\n'
      + 'O-2,2024-03-06,,5,Lamp,false\n';
    expect(inferCsvSchema(text, { complete: true })).toEqual({
      delimiter: ',', hasHeader: true, quoted: true, sampledRecords: 2,
      columns: [
        { Name: 'order id', Type: 'string' }, { Name: 'order date', Type: 'string' }, { Name: 'quantity', Type: 'bigint' },
        { Name: 'unit price', Type: 'double' }, { Name: 'product name', Type: 'string' }, { Name: 'gift', Type: 'boolean' },
      ],
    });
  });

  it('detects the pipe, tab and semicolon delimiters', () => {
    for (const delimiter of ['|', '\t', ';']) {
      const schema = inferCsvSchema(['id', 'amount'].join(delimiter) + '\n' + ['a', '1'].join(delimiter) + '\n', { complete: true });
      expect(schema?.delimiter).toBe(delimiter);
      expect(schema?.columns).toEqual([{ Name: 'id', Type: 'string' }, { Name: 'amount', Type: 'bigint' }]);
    }
  });

  it('names the columns col0… when every column is a string, since the first row cannot be told from data', () => {
    const schema = inferCsvSchema('name,city\nAnn,Boston\nBob,Köln\n', { complete: true });
    expect(schema?.hasHeader).toBe(false);
    expect(schema?.columns).toEqual([{ Name: 'col0', Type: 'string' }, { Name: 'col1', Type: 'string' }]);
  });

  it('names the columns col0… when the first row holds a number', () => {
    const schema = inferCsvSchema('1,Ann\n2,Bob\n', { complete: true });
    expect(schema?.hasHeader).toBe(false);
    expect(schema?.columns).toEqual([{ Name: 'col0', Type: 'bigint' }, { Name: 'col1', Type: 'string' }]);
  });

  it('keeps a delimiter that a few malformed records break', () => {
    const rows = Array.from({ length: 9 }, (_, index) => `O-${index},${index}`);
    const schema = inferCsvSchema(['order_id,quantity', ...rows, 'broken'].join('\n'), { complete: true });
    expect(schema?.delimiter).toBe(',');
    expect(schema?.columns).toEqual([{ Name: 'order_id', Type: 'string' }, { Name: 'quantity', Type: 'bigint' }]);
  });

  it('makes repeated header names unique', () => {
    expect(inferCsvSchema('id,ID,n\na,b,1\n', { complete: true })?.columns.map((column) => column.Name)).toEqual(['id', 'id_1', 'n']);
  });

  it('does not classify single-column text or a lone row as CSV', () => {
    expect(inferCsvSchema('just one column\nvalue\n', { complete: true })).toBeUndefined();
    expect(inferCsvSchema('a,b\n', { complete: true })).toBeUndefined();
    expect(inferCsvSchema('{"json": true}\n{"json": false}\n', { complete: true })).toBeUndefined();
  });

  it('types a long run of digits in linear time: a 1 MiB sample of them takes milliseconds, not an hour', () => {
    const digits = '7'.repeat(100_000);
    // One near-miss of each numeric form, then a 1 MiB field of digits; the last sample record is complete.
    const values = [`${digits}x`, `${digits}.5x`, `1e${digits}x`, `.${digits}x`, digits, '9'.repeat(1 << 20), `${'0'.repeat(1 << 19)}42`];
    const sample = ['id,value,n', ...values.map((value, index) => `r${index},${value},${index}`)].join('\n');
    const started = performance.now();
    const schema = inferCsvSchema(sample, { complete: true });
    const seconds = (performance.now() - started) / 1000;
    expect(schema?.columns).toEqual([{ Name: 'id', Type: 'string' }, { Name: 'value', Type: 'string' }, { Name: 'n', Type: 'bigint' }]);
    // Measured: 3 ms here; the backtracking form took 70 s on this sample (quadratic: 1.3 s at 20k digits).
    expect(seconds).toBeLessThan(3);
  });

  it('types an integer by its value, not its length: leading zeros are allowed, past 64 bits it is a string', () => {
    expect(csvValueType(`-${'0'.repeat(5000)}9223372036854775808`)).toBe('bigint');
    expect(csvValueType(`+${'0'.repeat(5000)}9223372036854775807`)).toBe('bigint');
    expect(csvValueType('9223372036854775808')).toBe('string');
    expect(csvValueType('-9223372036854775809')).toBe('string');
  });
});
