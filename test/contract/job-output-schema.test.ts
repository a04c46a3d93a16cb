import { readFileSync } from 'node:fs';
import { parquetMetadata } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import { CLEAN_COLUMNS, REJECTED_COLUMNS } from '../../contract/sales-contract.js';

/** The job's Parquet schemas, which glue/tests/test_output_schema.py holds against the job's real output. */
interface ParquetColumn { name: string; physical: string; logical: string }
const jobSchema = JSON.parse(readFileSync(new URL('../fixtures/redshift/job-output-schema.json', import.meta.url), 'utf8')) as Record<'clean' | 'rejected', ParquetColumn[]>;
const ddl = readFileSync(new URL('../../sql/ddl/001_warehouse_tables.sql', import.meta.url), 'utf8');

/** Column name → declared type of one table of the DDL. */
function tableColumns(table: string): Map<string, string> {
  const body = new RegExp(`CREATE TABLE IF NOT EXISTS ${table} \\(([\\s\\S]*?)\\n\\)`).exec(ddl)?.[1];
  if (!body) throw new Error(`sql/ddl has no CREATE TABLE ${table}`);
  const columns = [...body.matchAll(/^\s+([a-z_]+)\s+([A-Z]+(?:\(\d+(?:,\d+)?\))?)/gm)].map((match) => [match[1]!, match[2]!] as const);
  return new Map(columns);
}

/** The warehouse type a Parquet column loads into by COPY, as Redshift's COPY from Parquet maps them. */
function loadsInto(column: ParquetColumn, declared: string): boolean {
  const decimal = /^Decimal\(precision=(\d+), scale=(\d+)\)$/.exec(column.logical);
  if (decimal) return declared === `DECIMAL(${decimal[1]},${decimal[2]})`;
  if (column.logical === 'String') return /^(VARCHAR|CHAR)\(\d+\)$/.test(declared);
  if (column.logical === 'Date') return declared === 'DATE';
  if (column.logical.startsWith('Timestamp(') || column.physical === 'INT96') return declared === 'TIMESTAMP';
  if (column.logical === 'None' && column.physical === 'INT32') return declared === 'INTEGER';
  if (column.logical === 'None' && column.physical === 'INT64') return declared === 'BIGINT';
  return false;
}

describe('the Glue job\'s Parquet output, as the loader COPYs it by position', () => {
  it.each([
    ['clean', 'sales', CLEAN_COLUMNS],
    ['rejected', 'sales_rejected', REJECTED_COLUMNS],
  ] as const)('writes the %s columns in the order of the loader\'s column list, each of a type its %s column takes', (output, table, loaderColumns) => {
    const written = jobSchema[output];
    expect(written.map((column) => column.name)).toEqual([...loaderColumns]);
    const declared = tableColumns(table);
    const mismatches = written.filter((column) => !loadsInto(column, declared.get(column.name) ?? 'missing'))
      .map((column) => `${column.name}: Parquet ${column.physical} ${column.logical} into ${declared.get(column.name) ?? 'no column'}`);
    expect(mismatches).toEqual([]);
  });

  it('is what the COPY tests\' Parquet fixture holds, so those tests load what the job writes', () => {
    const bytes = readFileSync(new URL('../fixtures/redshift/clean-sales.snappy.parquet', import.meta.url));
    const fixture = parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer).schema.slice(1);
    expect(fixture.map((element) => [element.name, element.type, element.precision, element.scale]))
      .toEqual(jobSchema.clean.map((column) => {
        const decimal = /^Decimal\(precision=(\d+), scale=(\d+)\)$/.exec(column.logical);
        return [column.name, column.physical, decimal ? Number(decimal[1]) : undefined, decimal ? Number(decimal[2]) : undefined];
      }));
  });
});
