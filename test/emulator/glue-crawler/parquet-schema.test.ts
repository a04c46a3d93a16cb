import { readFileSync } from 'node:fs';
import { parquetMetadata, type FileMetaData, type SchemaElement } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import { parquetColumns } from '../../../emulator/glue-crawler/parquet-schema.js';

const fixture = new URL('../../fixtures/redshift/clean-sales.snappy.parquet', import.meta.url);

function metadataOf(schema: SchemaElement[]): FileMetaData {
  return { version: 1, schema, num_rows: 0n, row_groups: [], metadata_length: 0 };
}

describe('parquet schema', () => {
  it('maps the clean sales file Spark wrote to Glue types: decimals, date, INT96 timestamp, int and bigint', () => {
    const bytes = readFileSync(fixture);
    const columns = parquetColumns(parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer));
    const types = Object.fromEntries(columns.map((column) => [column.Name, column.Type]));
    expect(columns).toHaveLength(23);
    expect(columns[0]).toEqual({ Name: 'order_id', Type: 'string' });
    expect(types).toMatchObject({
      order_date: 'date', quantity: 'int', unit_price: 'decimal(12,4)', discount: 'decimal(5,4)', total_amount: 'decimal(14,2)',
      source_modified_at: 'timestamp', source_line: 'bigint', country: 'string', run_id: 'string',
    });
  });

  it('maps logical and legacy annotations and plain physical types', () => {
    const columns = parquetColumns(metadataOf([
      { name: 'root', num_children: 9 },
      { name: 'Flag', type: 'BOOLEAN', repetition_type: 'OPTIONAL' },
      { name: 'small', type: 'INT32', logical_type: { type: 'INTEGER', bitWidth: 16, isSigned: true } },
      { name: 'tiny', type: 'INT32', converted_type: 'INT_8' },
      { name: 'unsigned', type: 'INT32', logical_type: { type: 'INTEGER', bitWidth: 32, isSigned: false } },
      { name: 'ratio', type: 'FLOAT' },
      { name: 'amount', type: 'FIXED_LEN_BYTE_ARRAY', type_length: 9, converted_type: 'DECIMAL', precision: 20, scale: 3 },
      { name: 'at', type: 'INT64', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' } },
      { name: 'payload', type: 'BYTE_ARRAY' },
      { name: 'label', type: 'BYTE_ARRAY', converted_type: 'UTF8' },
    ]));
    expect(columns).toEqual([
      { Name: 'flag', Type: 'boolean' }, { Name: 'small', Type: 'smallint' }, { Name: 'tiny', Type: 'tinyint' },
      { Name: 'unsigned', Type: 'bigint' }, { Name: 'ratio', Type: 'float' }, { Name: 'amount', Type: 'decimal(20,3)' },
      { Name: 'at', Type: 'timestamp' }, { Name: 'payload', Type: 'binary' }, { Name: 'label', Type: 'string' },
    ]);
  });

  it('maps lists, maps and structs to array, map and struct types', () => {
    const columns = parquetColumns(metadataOf([
      { name: 'root', num_children: 4 },
      { name: 'tags', repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
      { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
      { name: 'element', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
      { name: 'scores', repetition_type: 'OPTIONAL', converted_type: 'MAP', num_children: 1 },
      { name: 'key_value', repetition_type: 'REPEATED', num_children: 2 },
      { name: 'key', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
      { name: 'value', type: 'DOUBLE', repetition_type: 'OPTIONAL' },
      { name: 'address', repetition_type: 'OPTIONAL', num_children: 2 },
      { name: 'city', type: 'BYTE_ARRAY', converted_type: 'UTF8' },
      { name: 'zip', type: 'INT32' },
      { name: 'legacy', type: 'INT64', repetition_type: 'REPEATED' },
    ]));
    expect(columns).toEqual([
      { Name: 'tags', Type: 'array<string>' },
      { Name: 'scores', Type: 'map<string,double>' },
      { Name: 'address', Type: 'struct<city:string,zip:int>' },
      { Name: 'legacy', Type: 'array<bigint>' },
    ]);
  });
});
