import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { translateRedshiftSql } from '../../emulator/redshift/redshift-dialect.js';
import { analyticsColumns, AnalyticsSqlError, loadAnalyticsQueries, queryNames } from '../../report/analytics-queries.js';

function sqlFolder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'analytics-sql-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const everyQuery = Object.fromEntries(queryNames.map((name) => [`${name}.sql`, `-- ${name}\nSELECT 1;\n`]));

describe('loadAnalyticsQueries', () => {
  it('reads one statement per file of sql/analytics/, with its declared columns', () => {
    const queries = loadAnalyticsQueries();
    expect(queries.map((query) => query.name)).toEqual(queryNames);
    for (const query of queries) {
      expect(query.sql).toMatch(/^(WITH|SELECT) /);
      expect(query.sql).not.toMatch(/;|--/);
      expect(query.columns).toEqual(analyticsColumns[query.name]);
    }
  });

  it('needs no translation on the emulator: every query is in the subset Redshift and Postgres share', () => {
    // The emulator only routes EXTRACT to its Redshift-typed version (INTEGER, not Postgres' NUMERIC).
    const asWritten = (sql: string) => sql.replace(/redshift_compat\.extract_part\('(\w+)',/g, (_, part: string) => `EXTRACT(${part.toUpperCase()} FROM`);
    for (const query of loadAnalyticsQueries()) expect(asWritten(translateRedshiftSql(query.sql)), query.name).toBe(query.sql);
  });

  it('refuses a SQL file whose columns are not declared', () => {
    const dir = sqlFolder({ ...everyQuery, 'churn.sql': 'SELECT 1;' });
    expect(() => loadAnalyticsQueries(dir)).toThrow(new AnalyticsSqlError(`churn.sql in ${dir} has no columns in report/analytics-queries.ts: declare them there`));
  });

  it('refuses a missing file and a file with two statements', () => {
    const withoutMonthly = Object.fromEntries(Object.entries(everyQuery).filter(([file]) => file !== 'monthly_sales.sql'));
    expect(() => loadAnalyticsQueries(sqlFolder(withoutMonthly))).toThrow(/monthly_sales\.sql is missing/);
    expect(() => loadAnalyticsQueries(sqlFolder({ ...everyQuery, 'sales_totals.sql': 'SELECT 1; SELECT 2;' })))
      .toThrow('sales_totals.sql holds 2 statements: an analytics file holds exactly one query');
  });
});
