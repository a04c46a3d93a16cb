import { GetStatementResultCommand, type Field } from '@aws-sdk/client-redshift-data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedshiftHarness, type RedshiftHarness } from './redshift-harness.js';

let harness: RedshiftHarness;

beforeAll(async () => {
  harness = await startRedshiftHarness();
  const created = await harness.batch([
    'CREATE TABLE sales (order_id VARCHAR(32), order_date DATE, quantity INTEGER, units BIGINT, unit_price DECIMAL(12,4), total_amount DECIMAL(14,2), shipped_at TIMESTAMP)',
    `INSERT INTO sales VALUES
      ('A', '2024-01-17', 2, 2, 19.9900, 39.98, '2024-01-18 09:30:00'),
      ('B', '2024-01-31', 3, 3, 5.0000, 15.00, '2024-02-01 00:00:00.5'),
      ('C', '2024-02-29', 3, 3, 0.0450, 0.14, NULL)`,
  ]);
  if (created.Status !== 'FINISHED') throw new Error(`the test table could not be created: ${created.Error}`);
});

afterAll(async () => harness?.close());

/** The one row of a statement, with each column's type name, as a Data API client sees them. */
async function typedRow(sql: string): Promise<{ type: string; value: Field }[]> {
  const described = await harness.execute(sql);
  if (described.Status !== 'FINISHED') throw new Error(`${sql} ended ${described.Status}: ${described.Error}`);
  const { ColumnMetadata, Records } = await harness.client.send(new GetStatementResultCommand({ Id: described.Id }));
  expect(Records).toHaveLength(1);
  return ColumnMetadata!.map((column, index) => ({ type: column.typeName!, value: Records![0]![index]! }));
}

// Expected values are those of the Redshift Database Developer Guide's function pages (return types and examples).
describe('Data API values as Redshift types and renders them', () => {
  it('DATE_TRUNC returns a TIMESTAMP without zone, for a DATE column as for a TIMESTAMP or a TIMESTAMPTZ', async () => {
    expect(await typedRow(`SELECT DATE_TRUNC('month', order_date) FROM sales WHERE order_id = 'A'`)).toEqual([{ type: 'timestamp', value: { stringValue: '2024-01-01 00:00:00' } }]);
    expect(await typedRow(`SELECT DATE_TRUNC('week', TIMESTAMP '2020-04-30 04:05:06.789'), DATE_TRUNC('second', TIMESTAMP '2020-04-30 04:05:06.789'),
      DATE_TRUNC('month', TIMESTAMPTZ '2024-01-17 10:00:00+00')`)).toEqual([
      { type: 'timestamp', value: { stringValue: '2020-04-27 00:00:00' } },
      { type: 'timestamp', value: { stringValue: '2020-04-30 04:05:06' } },
      { type: 'timestamp', value: { stringValue: '2024-01-01 00:00:00' } },
    ]);
  });

  it('EXTRACT returns an INTEGER (DOUBLE PRECISION from a TIMESTAMPTZ), its milliseconds being the fraction of the second', async () => {
    expect(await typedRow(`SELECT EXTRACT(YEAR FROM order_date), EXTRACT(minute FROM TIMESTAMP '2009-09-09 12:08:43'),
      EXTRACT(ms FROM TIMESTAMP '2009-09-09 12:08:43.101'), EXTRACT(year FROM TIMESTAMPTZ '2024-03-05 10:00:00+00') FROM sales WHERE order_id = 'A'`)).toEqual([
      { type: 'int4', value: { longValue: 2024 } },
      { type: 'int4', value: { longValue: 8 } },
      { type: 'int4', value: { longValue: 101 } },
      { type: 'float8', value: { doubleValue: 2024 } },
    ]);
  });

  it('GETDATE, SYSDATE and CURRENT_DATE are in UTC, as a Redshift session is', async () => {
    const [getdate, sysdate, today] = await typedRow('SELECT GETDATE(), SYSDATE, CURRENT_DATE');
    const now = new Date();
    expect(getdate!.type).toBe('timestamp');
    expect(getdate!.value.stringValue).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(Math.abs(Date.parse(`${getdate!.value.stringValue!.replace(' ', 'T')}Z`) - now.getTime())).toBeLessThan(60_000);
    expect(sysdate!.type).toBe('timestamp');
    expect(today).toEqual({ type: 'date', value: { stringValue: now.toISOString().slice(0, 10) } });
  });

  it('SUM of integers is a BIGINT, SUM of a DECIMAL keeps its scale, COUNT is a BIGINT', async () => {
    expect(await typedRow('SELECT SUM(quantity), SUM(units), SUM(total_amount), COUNT(*), COUNT(DISTINCT order_date) FROM sales')).toEqual([
      { type: 'int8', value: { longValue: 8 } },
      { type: 'int8', value: { longValue: 8 } },
      { type: 'numeric', value: { stringValue: '55.12' } },
      { type: 'int8', value: { longValue: 3 } },
      { type: 'int8', value: { longValue: 3 } },
    ]);
  });

  it('AVG of integers is the BIGINT integer part; AVG of a DECIMAL keeps the argument\'s scale', async () => {
    expect(await typedRow('SELECT AVG(quantity), AVG(units), AVG(total_amount), AVG(unit_price) FROM sales')).toEqual([
      { type: 'int8', value: { longValue: 2 } },
      { type: 'int8', value: { longValue: 2 } },
      { type: 'numeric', value: { stringValue: '18.37' } },
      { type: 'numeric', value: { stringValue: '8.3450' } },
    ]);
  });

  it('PERCENTILE_CONT and MEDIAN of integers and decimals are DECIMALs, interpolated exactly', async () => {
    expect(await typedRow(`SELECT PERCENTILE_CONT(0.25) WITHIN GROUP (ORDER BY total_amount), MEDIAN(total_amount), MEDIAN(quantity),
      PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY quantity) FROM sales`)).toEqual([
      { type: 'numeric', value: { stringValue: '7.5700' } },
      { type: 'numeric', value: { stringValue: '15.00' } },
      { type: 'numeric', value: { stringValue: '3' } },
      { type: 'numeric', value: { stringValue: '3' } },
    ]);
    expect(await typedRow('SELECT MEDIAN(x), MEDIAN(x::DOUBLE PRECISION) FROM (VALUES (1), (2), (3), (4)) AS four(x)')).toEqual([
      { type: 'numeric', value: { stringValue: '2.5' } },
      { type: 'float8', value: { doubleValue: 2.5 } },
    ]);
  });

  it('DATEADD returns a TIMESTAMP and DATEDIFF counts the boundaries crossed, as a BIGINT', async () => {
    expect(await typedRow(`SELECT DATEADD(month, 1, DATE '2008-02-28'), DATEADD(day, 30, order_date), DATEDIFF(week, DATE '2009-01-01', DATE '2009-12-31'),
      DATEDIFF(month, DATE '2024-01-31', DATE '2024-02-01') FROM sales WHERE order_id = 'B'`)).toEqual([
      { type: 'timestamp', value: { stringValue: '2008-03-28 00:00:00' } },
      { type: 'timestamp', value: { stringValue: '2024-03-01 00:00:00' } },
      { type: 'int8', value: { longValue: 52 } },
      { type: 'int8', value: { longValue: 1 } },
    ]);
  });

  it('renders dates, timestamps, decimals, booleans and text as Redshift does, and NULL of any type as isNull', async () => {
    expect(await typedRow(`SELECT order_date, shipped_at, unit_price, total_amount, quantity > 2, TO_CHAR(order_date, 'YYYY-MM'), order_id,
      NULL::DATE, NULL::TIMESTAMP, NULL::DECIMAL(12,2), NULL::BOOLEAN, NULL::INTEGER, NULL::VARCHAR(4) FROM sales WHERE order_id = 'B'`)).toEqual([
      { type: 'date', value: { stringValue: '2024-01-31' } },
      { type: 'timestamp', value: { stringValue: '2024-02-01 00:00:00.5' } },
      { type: 'numeric', value: { stringValue: '5.0000' } },
      { type: 'numeric', value: { stringValue: '15.00' } },
      { type: 'bool', value: { booleanValue: true } },
      { type: 'varchar', value: { stringValue: '2024-01' } },
      { type: 'varchar', value: { stringValue: 'B' } },
      ...['date', 'timestamp', 'numeric', 'bool', 'int4', 'varchar'].map((type) => ({ type, value: { isNull: true } })),
    ]);
  });
});
