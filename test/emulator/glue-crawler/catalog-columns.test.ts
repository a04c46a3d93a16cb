import { describe, expect, it } from 'vitest';
import { inExistingOrder, mergeColumns, widerType } from '../../../emulator/glue-crawler/catalog-columns.js';

describe('catalog columns', () => {
  it('widens integers to the larger width, integers and floats to double, other mixes to string', () => {
    expect(widerType('int', 'bigint')).toBe('bigint');
    expect(widerType('float', 'double')).toBe('double');
    expect(widerType('int', 'float')).toBe('double');
    expect(widerType('date', 'string')).toBe('string');
    expect(widerType('decimal(12,4)', 'decimal(12,4)')).toBe('decimal(12,4)');
  });

  it('combines the columns of several files in first-seen order', () => {
    expect(mergeColumns([
      [{ Name: 'id', Type: 'string' }, { Name: 'qty', Type: 'bigint' }],
      [{ Name: 'id', Type: 'string' }, { Name: 'qty', Type: 'double' }, { Name: 'note', Type: 'string' }],
    ])).toEqual([{ Name: 'id', Type: 'string' }, { Name: 'qty', Type: 'double' }, { Name: 'note', Type: 'string' }]);
  });
});

describe('columns of a recrawled table', () => {
  it('keep the existing order and append new columns', () => {
    const crawled = [{ Name: 'b', Type: 'string' }, { Name: 'new', Type: 'bigint' }, { Name: 'a', Type: 'double' }];
    expect(inExistingOrder(crawled, ['a', 'b', 'gone'])).toEqual([{ Name: 'a', Type: 'double' }, { Name: 'b', Type: 'string' }, { Name: 'new', Type: 'bigint' }]);
  });
});
