import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { salesContract, type ContractColumn } from '../../contract/sales-contract.js';
import { ddlDir } from '../../warehouse/migrate-warehouse.js';

/** Column name → its SQL type as written in the CREATE TABLE statements of sql/ddl, per table. */
function ddlTables(): Map<string, Map<string, string>> {
  const tables = new Map<string, Map<string, string>>();
  for (const file of readdirSync(ddlDir).filter((name) => name.endsWith('.sql')).sort()) {
    const sql = readFileSync(join(ddlDir, file), 'utf8');
    for (const [, table, body] of sql.matchAll(/CREATE TABLE IF NOT EXISTS (\w+) \(\n([\s\S]*?)\n\)/g)) {
      const columns = new Map<string, string>();
      for (const line of body!.split('\n')) {
        const column = /^\s+(\w+)\s+([A-Z]+(?:\(\d+(?:,\d+)?\))?)/.exec(line);
        if (column && column[1] !== 'PRIMARY') columns.set(column[1]!, column[2]!);
      }
      tables.set(table!, columns);
    }
  }
  return tables;
}

/**
 * The warehouse type a contract column needs. Redshift's VARCHAR counts bytes and the contract counts
 * characters: free text and ids (the columns the job cuts or rejects when too long) get 4 bytes per
 * character, the widest UTF-8 character; input columns the job maps onto canonical ASCII values (those
 * without a too-long rule: payment method, channel) get their width as is. Lineage strings have no
 * contract width and get the warehouse's own.
 */
function expectedType(column: ContractColumn): string | RegExp {
  switch (column.type) {
    case 'varchar':
      if (column.length === undefined) return /^VARCHAR\(\d+\)$/;
      return `VARCHAR(${column.from === 'input' && !column.too_long ? column.length : column.length * 4})`;
    case 'char': return `CHAR(${column.length})`;
    case 'integer': return 'INTEGER';
    case 'bigint': return 'BIGINT';
    case 'decimal': return `DECIMAL(${column.precision},${column.scale})`;
    case 'date': return 'DATE';
    case 'timestamp': return 'TIMESTAMP';
  }
}

describe('the warehouse DDL', () => {
  const tables = ddlTables();

  for (const [table, columns] of [['sales', salesContract.clean_columns], ['sales_rejected', salesContract.rejected_columns]] as const) {
    it(`gives ${table} every column of the contract, in the contract's order, with a type that holds its values`, () => {
      const ddl = tables.get(table);
      expect(ddl, `sql/ddl creates no table ${table}`).toBeDefined();
      const warehouseOnly = table === 'sales' ? ['loaded_at'] : ['rejected_at'];
      expect([...ddl!.keys()]).toEqual([...columns.map((column) => column.name), ...warehouseOnly]);
      for (const column of columns) {
        const expected = expectedType(column);
        const actual = ddl!.get(column.name)!;
        if (typeof expected === 'string') expect(actual, `${table}.${column.name}`).toBe(expected);
        else expect(actual, `${table}.${column.name}`).toMatch(expected);
      }
    });
  }

  it('keys sales on the contract line key', () => {
    const sql = readdirSync(ddlDir).map((file) => readFileSync(join(ddlDir, file), 'utf8')).join('\n');
    expect(sql).toContain(`PRIMARY KEY (${salesContract.line_key.columns.join(', ')})`);
  });
});
