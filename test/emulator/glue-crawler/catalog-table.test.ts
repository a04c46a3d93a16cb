import { describe, expect, it } from 'vitest';
import { partitionInput, schemaChanged, tableInput, type CrawledTable } from '../../../emulator/glue-crawler/catalog-table.js';

const csvTable: CrawledTable = {
  name: 'raw_raw', location: 's3://data/raw/', classification: 'csv', crawlerName: 'raw',
  columns: [{ Name: 'order_id', Type: 'string' }, { Name: 'quantity', Type: 'bigint' }], partitionKeys: [],
  csv: { delimiter: ',', hasHeader: true, quoted: false },
};
const parquetTable: CrawledTable = {
  name: 'cleaned_sales', location: 's3://data/cleaned/sales/', classification: 'parquet', crawlerName: 'cleaned',
  columns: [{ Name: 'order_id', Type: 'string' }], partitionKeys: ['run_id', 'order_month'],
};

describe('catalog table', () => {
  it('describes unquoted CSV with LazySimpleSerDe, the delimiter and the skipped header line', () => {
    const input = tableInput(csvTable);
    expect(input.TableType).toBe('EXTERNAL_TABLE');
    expect(input.StorageDescriptor).toMatchObject({
      Location: 's3://data/raw/', InputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
      OutputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
      SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe', Parameters: { 'field.delim': ',' } },
      Columns: csvTable.columns,
    });
    expect(input.Parameters).toMatchObject({ classification: 'csv', delimiter: ',', 'skip.header.line.count': '1', areColumnsQuoted: 'false', UPDATED_BY_CRAWLER: 'raw' });
  });

  it('describes quoted CSV with OpenCSVSerde', () => {
    const input = tableInput({ ...csvTable, csv: { delimiter: ';', hasHeader: false, quoted: true } });
    expect(input.StorageDescriptor?.SerdeInfo).toEqual({ SerializationLibrary: 'org.apache.hadoop.hive.serde2.OpenCSVSerde', Parameters: { separatorChar: ';', quoteChar: '"' } });
    expect(input.Parameters).not.toHaveProperty('skip.header.line.count');
  });

  it('describes Parquet with the Parquet formats and SerDe, and string partition keys', () => {
    const input = tableInput(parquetTable);
    expect(input.StorageDescriptor).toMatchObject({
      InputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
      OutputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
      SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe' },
    });
    expect(input.PartitionKeys).toEqual([{ Name: 'run_id', Type: 'string' }, { Name: 'order_month', Type: 'string' }]);
    expect(input.Parameters).toMatchObject({ classification: 'parquet' });
  });

  it('locates a partition in its folder under the table', () => {
    const partition = partitionInput(parquetTable, { values: ['r1', '2024-03'], folder: 'run_id=r1/order_month=2024-03/' });
    expect(partition.Values).toEqual(['r1', '2024-03']);
    expect(partition.StorageDescriptor?.Location).toBe('s3://data/cleaned/sales/run_id=r1/order_month=2024-03/');
  });

  it('sees a schema change in columns, partition keys or format, and none in an identical table', () => {
    const existing = { ...tableInput(parquetTable), Name: 'cleaned_sales' };
    expect(schemaChanged(existing, tableInput(parquetTable))).toBe(false);
    expect(schemaChanged(existing, tableInput({ ...parquetTable, columns: [{ Name: 'order_id', Type: 'bigint' }] }))).toBe(true);
    expect(schemaChanged(existing, tableInput({ ...parquetTable, partitionKeys: ['run_id'] }))).toBe(true);
    expect(schemaChanged(existing, tableInput({ ...csvTable, location: parquetTable.location, columns: parquetTable.columns, partitionKeys: parquetTable.partitionKeys }))).toBe(true);
  });
});
