import { describe, expect, it } from 'vitest';
import { crawledTable } from '../../../emulator/glue-crawler/crawled-table.js';
import type { FileSchema } from '../../../emulator/glue-crawler/file-schema.js';
import { partitionLayout } from '../../../emulator/glue-crawler/table-layout.js';

const csv = (columns: [string, string][], quoted: boolean): FileSchema => ({
  classification: 'csv',
  columns: columns.map(([Name, Type]) => ({ Name, Type })),
  csv: { delimiter: ',', hasHeader: true, quoted, columns: [], sampledRecords: 1 },
});
const parquet: FileSchema = { classification: 'parquet', columns: [{ Name: 'id', Type: 'string' }] };

describe('crawled table', () => {
  it('takes the classification most files share and leaves the others out of the table', () => {
    const layout = partitionLayout(['day=1/a.csv', 'day=2/b.csv', 'day=3/c.parquet', 'day=4/unsampled.csv']);
    const found = crawledTable({
      crawlerName: 'raw', tablePrefix: 'raw_', targetPath: 's3://data/raw/', layout,
      schemas: new Map([
        ['day=1/a.csv', csv([['id', 'string'], ['n', 'bigint']], false)],
        ['day=2/b.csv', csv([['id', 'string'], ['n', 'double'], ['day', 'string']], true)],
        ['day=3/c.parquet', parquet],
      ]),
    });
    expect(found?.table).toEqual({
      name: 'raw_raw', location: 's3://data/raw/', classification: 'csv', crawlerName: 'raw', partitionKeys: ['day'],
      columns: [{ Name: 'id', Type: 'string' }, { Name: 'n', Type: 'double' }],
      csv: { delimiter: ',', hasHeader: true, quoted: true },
    });
    expect(found?.files.map((file) => file.relativeKey)).toEqual(['day=1/a.csv', 'day=2/b.csv', 'day=4/unsampled.csv']);
  });

  it('orders columns by the files, not by the order their schemas were read in', () => {
    const layout = partitionLayout(['a.csv', 'b.csv']);
    const found = crawledTable({
      crawlerName: 'raw', targetPath: 's3://data/raw/', layout,
      schemas: new Map([['b.csv', csv([['second', 'string']], false)], ['a.csv', csv([['first', 'string']], false)]]),
    });
    expect(found?.table.columns.map((column) => column.Name)).toEqual(['first', 'second']);
  });

  it('finds no table when no file was recognised', () => {
    expect(crawledTable({ crawlerName: 'x', targetPath: 's3://data/x/', layout: partitionLayout(['a.bin']), schemas: new Map([['a.bin', undefined]]) })).toBeUndefined();
  });
});
