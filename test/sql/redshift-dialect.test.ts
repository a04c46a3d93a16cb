import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { projectRoot, venvPython } from '../../stage/python-env.js';
import { sentStatements, type SentStatement } from './warehouse-statements.js';
import { failOrSkip } from '../prerequisites.js';

const checker = fileURLToPath(new URL('./check_redshift_sql.py', import.meta.url));

function missingChecker(): string | undefined {
  if (!existsSync(venvPython)) return 'the project Python environment (.venv) is missing';
  const probe = spawnSync(venvPython, ['-c', 'import sqlfluff'], { encoding: 'utf8' });
  if (probe.status !== 0) return 'sqlfluff is not installed in .venv (glue/requirements-dev.txt pins it)';
  return undefined;
}

const missing = missingChecker();
if (missing) failOrSkip({ what: 'the Redshift dialect check of the warehouse SQL', missing: `${missing}: run \`npm run setup:python\`` });

interface CheckResult {
  name: string;
  problems: string[];
}

/** Runs test/sql/check_redshift_sql.py on the statements; one result per statement, in order. */
function checkRedshiftSql(statements: SentStatement[]): CheckResult[] {
  const run = spawnSync(venvPython, [checker], { input: JSON.stringify(statements), encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`${checker} exited ${run.status}: ${run.stderr}`);
  return JSON.parse(run.stdout) as CheckResult[];
}

/** Folders that hold no project source: tests, installed packages, generated state and output. */
const notSource = new Set(['.git', 'test', 'node_modules', '.venv', '.venv-checkov', '.dev', '.terraform', 'out', 'dist', 'test-artifacts']);

function projectSources(dir = ''): string[] {
  return readdirSync(join(projectRoot, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return notSource.has(entry.name) ? [] : projectSources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/**
 * The statement names of every Data API call in the project's own code: each `.query(` or
 * `.transaction(` in a module that imports the Data API wrapper, as the literal start of its name.
 */
function dataApiCallNames(): { file: string; name: string }[] {
  return projectSources().flatMap((file) => {
    const source = readFileSync(join(projectRoot, file), 'utf8');
    if (!/from '[^']*\/redshift-data\.js'/.test(source)) return [];
    return [...source.matchAll(/\.(?:query|transaction)\(\s*([^,)]*)/g)].map(([, argument]) => {
      const literal = /^(['`])([^'`$]*)/.exec(argument!);
      if (!literal) throw new Error(`${file} names a Data API statement with ${argument}: use a literal name so this test can match it`);
      return { file, name: literal[2]! };
    });
  });
}

describe('the SQL the project sends to Redshift', () => {
  let statements: SentStatement[];

  beforeAll(async () => {
    statements = await sentStatements();
  });

  it('is captured from every Data API call in the project code', () => {
    const calls = dataApiCallNames();
    expect(calls.map((call) => call.name)).toEqual(expect.arrayContaining(['migrations-table', 'load-', 'analytics-', 'audit-of-run']));
    const uncovered = calls.filter((call) => !statements.some((statement) => statement.name.startsWith(call.name)));
    expect(uncovered, 'Data API calls whose SQL test/sql/warehouse-statements.ts does not drive: add them there').toEqual([]);
  });

  it.skipIf(missing)('parses as Redshift SQL and uses no Postgres-only construct, statement by statement', () => {
    const results = checkRedshiftSql(statements);
    expect(results).toHaveLength(statements.length);
    const failures = results.flatMap((result, index) => (result.problems.length > 0
      ? [`${result.name}: ${statements[index]!.sql}\n  ${result.problems.join('\n  ')}`]
      : []));
    expect(failures).toEqual([]);
  });
});

/** Postgres-only SQL that the check must reject, with the problem it must name. */
const postgresOnly: [string, string, RegExp][] = [
  ['INSERT ... ON CONFLICT', 'INSERT INTO t (a) VALUES (1) ON CONFLICT (a) DO NOTHING', /unparsable section: 'ON CONFLICT/],
  ['INSERT ... RETURNING', 'INSERT INTO t (a) VALUES (1) RETURNING a', /unparsable/],
  ['DELETE ... RETURNING', 'DELETE FROM t WHERE a = 1 RETURNING a', /RETURNING clause/],
  ['a ::jsonb cast', 'SELECT payload::jsonb FROM t', /unparsable section: '::jsonb'/],
  ['a JSON operator', "SELECT payload ->> 'a' FROM t", /JSON, array or range operator/],
  ['GENERATED ALWAYS AS IDENTITY', 'CREATE TABLE t (id INT GENERATED ALWAYS AS IDENTITY, a INT)', /unparsable/],
  ['SERIAL', 'CREATE TABLE t (id SERIAL PRIMARY KEY)', /unparsable/],
  ['a TEXT[] column', 'CREATE TABLE t (tags TEXT[])', /unparsable/],
  ['a cast to TEXT[]', 'SELECT CAST(x AS TEXT[]) FROM t', /array constructor or array type/],
  ['CREATE INDEX', 'CREATE INDEX t_a ON t (a)', /CREATE INDEX/],
  ['CREATE EXTENSION', 'CREATE EXTENSION IF NOT EXISTS pgcrypto', /CREATE EXTENSION/],
  ['ILIKE ANY', "SELECT * FROM t WHERE name ILIKE ANY (ARRAY['a%', 'b%'])", /LIKE\/ILIKE ANY/],
  ['a dollar-quoted string', "SELECT $$it's$$ AS s", /dollar-quoted string/],
  ['DISTINCT ON', 'SELECT DISTINCT ON (a) a, b FROM t ORDER BY a, b', /DISTINCT ON/],
  ['an aggregate FILTER', 'SELECT COUNT(*) FILTER (WHERE a > 1) FROM t', /aggregate FILTER/],
  ['VALUES as a constant table', 'SELECT * FROM (VALUES (1), (2)) AS v (a)', /VALUES list used as a constant table/],
  ['SELECT ... FOR UPDATE', 'SELECT a FROM t WHERE a = 1 FOR UPDATE', /FOR UPDATE/],
  ['MERGE ... WHEN MATCHED AND', 'MERGE INTO t USING s ON t.a = s.a WHEN MATCHED AND s.b > t.b THEN UPDATE SET b = s.b', /WHEN \[NOT\] MATCHED AND/],
  ['MERGE ... USING (subquery)', 'MERGE INTO t USING (SELECT a, b FROM s) AS s ON t.a = s.a WHEN MATCHED THEN UPDATE SET b = s.b', /MERGE \.\.\. USING <subquery>/],
  ['a table partitioned by range', 'CREATE TABLE t (a INT, d DATE) PARTITION BY RANGE (d)', /unparsable/],
  ['two statements in one Data API entry', 'SELECT 1; SELECT 2', /holds 2 statements/],
];

/** Redshift-only SQL of the kinds the project sends, which the check must accept. */
const redshiftOnly: [string, string][] = [
  ['DISTSTYLE, DISTKEY and SORTKEY', 'CREATE TABLE t (a INT, b DATE) DISTSTYLE KEY DISTKEY (a) SORTKEY (b)'],
  ['COMPOUND SORTKEY', 'CREATE TABLE t (a INT, b DATE) COMPOUND SORTKEY (a, b)'],
  ['INTERLEAVED SORTKEY', 'CREATE TABLE t (a INT, b DATE) INTERLEAVED SORTKEY (a, b)'],
  ['column ENCODE and IDENTITY', 'CREATE TABLE t (id BIGINT IDENTITY(1, 1), a VARCHAR(10) ENCODE zstd, b INT ENCODE az64)'],
  ['DEFAULT GETDATE()', 'CREATE TABLE t (a TIMESTAMP NOT NULL DEFAULT GETDATE()) DISTSTYLE ALL'],
  ['COPY ... FORMAT AS PARQUET MANIFEST with IAM_ROLE',
    "COPY t FROM 's3://b/m.json' IAM_ROLE 'arn:aws:iam::123456789012:role/r' FORMAT AS PARQUET MANIFEST"],
  ['UNLOAD', "UNLOAD ('SELECT * FROM t') TO 's3://b/p/' IAM_ROLE 'arn:aws:iam::123456789012:role/r' FORMAT AS PARQUET"],
  ['MERGE from a table', 'MERGE INTO t USING s ON t.a = s.a WHEN MATCHED THEN UPDATE SET b = s.b WHEN NOT MATCHED THEN INSERT (a, b) VALUES (s.a, s.b)'],
  ['LOCK TABLE', 'LOCK TABLE t'],
  ['NVL, SYSDATE and DATEADD', 'SELECT NVL(a, 0), DATEADD(day, 1, SYSDATE) FROM t'],
  ['a function body in dollar quotes', 'CREATE OR REPLACE PROCEDURE p() AS $$ BEGIN NULL; END; $$ LANGUAGE plpgsql'],
];

describe.skipIf(missing)('the Redshift SQL check', () => {
  const parameterised = 'SELECT status FROM load_audit WHERE run_id = :run_id';
  let problems: Map<string, string[]>;

  beforeAll(() => {
    // One checker run for every example: most of a run is sqlfluff's start-up.
    const examples: SentStatement[] = [
      ...[...postgresOnly, ...redshiftOnly].map(([name, sql]) => ({ name, sql })),
      { name: 'parameter given', sql: parameterised, parameters: { run_id: "o'brien" } },
      { name: 'parameter absent', sql: parameterised },
    ];
    problems = new Map(checkRedshiftSql(examples).map((result) => [result.name, result.problems]));
  });

  it.each(postgresOnly)('rejects %s', (name, _, problem) => {
    expect(problems.get(name)!.join('\n')).toMatch(problem);
  });

  it.each(redshiftOnly)('accepts %s', (name) => {
    expect(problems.get(name)).toEqual([]);
  });

  it('renders Data API parameters before parsing, and rejects a parameter with no value', () => {
    expect(problems.get('parameter given')).toEqual([]);
    expect(problems.get('parameter absent')!.join('\n')).toMatch(/unparsable section: '= :run_id'/);
  });
});
