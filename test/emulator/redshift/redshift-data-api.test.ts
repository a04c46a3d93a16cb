import {
  ActiveStatementsExceededException, BatchExecuteStatementCommand, CancelStatementCommand, DescribeStatementCommand,
  ExecuteStatementCommand, GetStatementResultCommand, ListStatementsCommand, ResourceNotFoundException, ValidationException,
} from '@aws-sdk/client-redshift-data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedshiftHarness, type RedshiftHarness } from './redshift-harness.js';

let harness: RedshiftHarness;

beforeAll(async () => {
  harness = await startRedshiftHarness({ resultPageRows: 2 });
});

afterAll(async () => {
  await harness?.close();
});

describe('Redshift Data API on Postgres', () => {
  it('returns an id at once and runs the statement in the background', async () => {
    const { Id, Database, ClusterIdentifier } = await harness.client.send(new ExecuteStatementCommand({ ...harness.target, Sql: 'SELECT 1' }));
    expect(Id).toMatch(/^[0-9a-f-]{36}$/);
    expect({ Database, ClusterIdentifier }).toEqual({ Database: harness.database, ClusterIdentifier: 'sales-warehouse' });
    const described = await harness.settled(Id!);
    expect(described).toMatchObject({ Status: 'FINISHED', HasResultSet: true, ResultRows: 1, QueryString: 'SELECT 1' });
    expect(described.Duration).toBeGreaterThan(0);
  });

  it('types result fields like AWS and pages them with NextToken', async () => {
    const described = await harness.execute(`SELECT * FROM (VALUES
      (1::int, 10000000000::bigint, 1.5::float8, 12.3400::decimal(12,4), true, 'a''b'::varchar(20), DATE '2024-03-05', TIMESTAMP '2024-03-05 14:22:00'),
      (2, NULL, NULL, NULL, false, NULL, NULL, NULL),
      (3, 3, 0.25, 0.0000, NULL, '', DATE '2000-01-01', TIMESTAMP '2000-01-01 00:00:00.5')
    ) AS t(i, big, f, d, b, s, day, ts) ORDER BY i`);
    const first = await harness.client.send(new GetStatementResultCommand({ Id: described.Id }));
    expect(first.Records).toHaveLength(2);
    expect(first.TotalNumRows).toBe(3);
    expect(first.NextToken).toBeTruthy();
    expect(first.ColumnMetadata!.map((column) => [column.name, column.typeName])).toEqual([
      ['i', 'int4'], ['big', 'int8'], ['f', 'float8'], ['d', 'numeric'], ['b', 'bool'], ['s', 'varchar'], ['day', 'date'], ['ts', 'timestamp'],
    ]);
    expect(first.Records![0]).toEqual([
      { longValue: 1 }, { longValue: 10_000_000_000 }, { doubleValue: 1.5 }, { stringValue: '12.3400' }, { booleanValue: true },
      { stringValue: "a'b" }, { stringValue: '2024-03-05' }, { stringValue: '2024-03-05 14:22:00' },
    ]);
    expect(first.Records![1]!.slice(1).every((field) => field.isNull === true)).toBe(false);
    expect(first.Records![1]!.slice(1, 4)).toEqual([{ isNull: true }, { isNull: true }, { isNull: true }]);
    const second = await harness.client.send(new GetStatementResultCommand({ Id: described.Id, NextToken: first.NextToken }));
    expect(second.NextToken).toBeUndefined();
    expect(second.Records).toEqual([[
      { longValue: 3 }, { longValue: 3 }, { doubleValue: 0.25 }, { stringValue: '0.0000' }, { isNull: true },
      { stringValue: '' }, { stringValue: '2000-01-01' }, { stringValue: '2000-01-01 00:00:00.5' },
    ]]);
  });

  it('reports precision and scale of decimal and varchar columns', async () => {
    const described = await harness.execute("SELECT 12.34::decimal(12,4) AS amount, 'x'::varchar(32) AS code");
    const { ColumnMetadata } = await harness.client.send(new GetStatementResultCommand({ Id: described.Id }));
    expect(ColumnMetadata!.map((column) => [column.typeName, column.precision, column.scale])).toEqual([['numeric', 12, 4], ['varchar', 32, 0]]);
  });

  it('binds :name parameters, leaving ::casts and colons in strings alone', async () => {
    const described = await harness.execute("SELECT :n::int + 1 AS next, :label AS label, ':not_a_parameter' AS text, :n AS again", [
      { name: 'n', value: '41' }, { name: 'label', value: "it's" },
    ]);
    expect(described.Status).toBe('FINISHED');
    expect(await harness.records(described.Id!)).toEqual([[{ longValue: 42 }, { stringValue: "it's" }, { stringValue: ':not_a_parameter' }, { stringValue: '41' }]]);
  });

  it('fails a statement whose parameter is missing, naming it', async () => {
    const described = await harness.execute('SELECT :missing');
    expect(described.Status).toBe('FAILED');
    expect(described.Error).toMatch(/:missing/);
  });

  it('creates tables from Redshift DDL: DISTKEY, SORTKEY, DISTSTYLE, ENCODE, IDENTITY and GETDATE', async () => {
    const ddl = await harness.execute(`CREATE TABLE orders (
      id BIGINT IDENTITY(1, 1),
      customer_id VARCHAR(32) NOT NULL ENCODE zstd DISTKEY,
      order_date DATE NOT NULL ENCODE az64 SORTKEY,
      loaded_at TIMESTAMP NOT NULL DEFAULT GETDATE()
    ) DISTSTYLE KEY DISTKEY (customer_id) COMPOUND SORTKEY (order_date, customer_id)`);
    expect(ddl.Error).toBeUndefined();
    expect(ddl.Status).toBe('FINISHED');
    const insert = await harness.execute("INSERT INTO orders (customer_id, order_date) VALUES ('C-1', '2024-03-05'), ('C-2', '2024-03-06')");
    expect(insert).toMatchObject({ Status: 'FINISHED', HasResultSet: false, ResultRows: 2 });
    const rows = await harness.execute('SELECT id, customer_id, loaded_at <= GETDATE() AS loaded_before_now FROM orders ORDER BY id');
    expect(await harness.records(rows.Id!)).toEqual([
      [{ longValue: 1 }, { stringValue: 'C-1' }, { booleanValue: true }],
      [{ longValue: 2 }, { stringValue: 'C-2' }, { booleanValue: true }],
    ]);
  });

  it('runs a batch in one transaction: a SQL error inside it commits nothing', async () => {
    await harness.execute('CREATE TABLE ledger (id INT PRIMARY KEY, note VARCHAR(10))');
    const failed = await harness.batch([
      "INSERT INTO ledger VALUES (1, 'first')",
      'CREATE TABLE ledger_copy (id INT) DISTSTYLE EVEN',
      'INSERT INTO no_such_table VALUES (1)',
      "INSERT INTO ledger VALUES (2, 'never')",
    ]);
    expect(failed.Status).toBe('FAILED');
    expect(failed.Error).toMatch(/no_such_table/);
    expect(failed.SubStatements!.map((sub) => [sub.Id, sub.Status])).toEqual([
      [`${failed.Id}:1`, 'FINISHED'], [`${failed.Id}:2`, 'FINISHED'], [`${failed.Id}:3`, 'FAILED'], [`${failed.Id}:4`, 'ABORTED'],
    ]);
    const count = await harness.execute("SELECT count(*) AS n, to_regclass('ledger_copy') IS NULL AS no_copy FROM ledger");
    expect(await harness.records(count.Id!)).toEqual([[{ longValue: 0 }, { booleanValue: true }]]);
  });

  it('commits a successful batch and serves each sub-statement result by <id>:<n>', async () => {
    const done = await harness.batch([
      'CREATE TEMP TABLE staged AS SELECT 7 AS v',
      'INSERT INTO ledger SELECT v, \'seven\' FROM staged',
      'SELECT id, note FROM ledger',
    ]);
    expect(done).toMatchObject({ Status: 'FINISHED', HasResultSet: true });
    expect(done.SubStatements![1]).toMatchObject({ Status: 'FINISHED', ResultRows: 1, HasResultSet: false });
    expect(await harness.records(`${done.Id}:3`)).toEqual([[{ longValue: 7 }, { stringValue: 'seven' }]]);
    await expect(harness.client.send(new GetStatementResultCommand({ Id: `${done.Id}:1` }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    // A Data API statement is a session of its own: the batch's temporary table is gone.
    expect((await harness.execute('SELECT * FROM staged')).Status).toBe('FAILED');
  });

  it('cancels a running statement: it ends ABORTED', async () => {
    const { Id } = await harness.client.send(new ExecuteStatementCommand({ ...harness.target, Sql: 'SELECT pg_sleep(20)' }));
    for (let status = ''; status !== 'STARTED';) {
      status = (await harness.client.send(new DescribeStatementCommand({ Id }))).Status!;
    }
    expect(await harness.client.send(new CancelStatementCommand({ Id }))).toMatchObject({ Status: true });
    const described = await harness.settled(Id!);
    expect(described.Status).toBe('ABORTED');
    await expect(harness.client.send(new CancelStatementCommand({ Id }))).rejects.toThrow(/already in ABORTED state/);
  });

  it('lists statements newest first, filtered by name prefix and status', async () => {
    const named = await harness.client.send(new ExecuteStatementCommand({ ...harness.target, Sql: 'SELECT 2', StatementName: 'report-daily' }));
    await harness.settled(named.Id!);
    await harness.client.send(new BatchExecuteStatementCommand({ ...harness.target, Sqls: ['SELECT 3', 'SELECT 4'], StatementName: 'report-batch' }));
    const listed = await harness.client.send(new ListStatementsCommand({ StatementName: 'report-', Status: 'ALL' }));
    expect(listed.Statements!.map((statement) => [statement.StatementName, statement.IsBatchStatement])).toEqual([
      ['report-batch', true], ['report-daily', false],
    ]);
    expect(listed.Statements![0]!.QueryStrings).toEqual(['SELECT 3', 'SELECT 4']);
    const page = await harness.client.send(new ListStatementsCommand({ MaxResults: 1 }));
    expect(page.Statements).toHaveLength(1);
    expect(page.NextToken).toBeTruthy();
    const failed = await harness.client.send(new ListStatementsCommand({ Status: 'FAILED' }));
    expect(failed.Statements!.length).toBeGreaterThan(0);
    expect(failed.Statements!.every((statement) => statement.Status === 'FAILED')).toBe(true);
  });

  it('answers with AWS-shaped errors', async () => {
    await expect(harness.client.send(new DescribeStatementCommand({ Id: '00000000-0000-4000-8000-000000000000' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(harness.client.send(new DescribeStatementCommand({ Id: 'not-an-id' }))).rejects.toBeInstanceOf(ValidationException);
    await expect(harness.client.send(new ExecuteStatementCommand({ Database: harness.database, Sql: 'SELECT 1' }))).rejects.toThrow(/ClusterIdentifier or WorkgroupName/);
    await expect(harness.client.send(new BatchExecuteStatementCommand({ ...harness.target, Sqls: [] }))).rejects.toBeInstanceOf(ValidationException);
    const failed = await harness.execute('SELEC 1');
    expect(failed).toMatchObject({ Status: 'FAILED', HasResultSet: false });
    expect(failed.Error).toMatch(/^ERROR: syntax error/);
    await expect(harness.client.send(new GetStatementResultCommand({ Id: failed.Id }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('refuses statements past the active-statement quota', async () => {
    const limited = await startRedshiftHarness({ maxActiveStatements: 1 });
    try {
      const running = await limited.client.send(new ExecuteStatementCommand({ ...limited.target, Sql: 'SELECT pg_sleep(0.5)' }));
      await expect(limited.client.send(new ExecuteStatementCommand({ ...limited.target, Sql: 'SELECT 1' }))).rejects.toBeInstanceOf(ActiveStatementsExceededException);
      expect((await limited.settled(running.Id!)).Status).toBe('FINISHED');
      expect((await limited.execute('SELECT 1')).Status).toBe('FINISHED');
    } finally {
      await limited.close();
    }
  });
});

describe('Redshift Data API bounds', () => {
  it('refuses a SQL text over 100 kB, as AWS does', async () => {
    const sql = `SELECT '${'x'.repeat(100 * 1024)}'`;
    await expect(harness.client.send(new ExecuteStatementCommand({ ...harness.target, Sql: sql }))).rejects.toThrow(ValidationException);
    await expect(harness.client.send(new BatchExecuteStatementCommand({ ...harness.target, Sqls: ['SELECT 1', sql] }))).rejects.toThrow(/Cannot process query string larger than 100kB/);
  });

  it('fails a statement whose result passes the size limit, or whose row passes the row limit, keeping none of it', async () => {
    const limited = await startRedshiftHarness({ resultLimits: { maxResultBytes: 10_000, maxRowBytes: 1_000 } });
    try {
      const large = await limited.execute('SELECT n, repeat(\'x\', 20) FROM generate_series(1, 1000) AS n');
      expect(large.Status).toBe('FAILED');
      expect(large.Error).toMatch(/^ERROR: Database response exceeded size limit/);
      await expect(limited.client.send(new GetStatementResultCommand({ Id: large.Id }))).rejects.toBeInstanceOf(ResourceNotFoundException);
      const wide = await limited.execute("SELECT repeat('x', 2000)");
      expect(wide.Error).toMatch(/^ERROR: Packet for query is too large/);
      const fits = await limited.execute('SELECT n FROM generate_series(1, 100) AS n');
      expect(fits).toMatchObject({ Status: 'FINISHED', ResultRows: 100 });
      // Only the last statement of a multi-statement text is the result, so only it counts.
      const last = await limited.execute("SELECT repeat('x', 20) FROM generate_series(1, 1000); SELECT 1");
      expect(last).toMatchObject({ Status: 'FINISHED', ResultRows: 1 });
      const empty = await limited.execute("SELECT repeat('x', 20) FROM generate_series(1, 1000); SELECT 1 WHERE false");
      expect(empty).toMatchObject({ Status: 'FINISHED', ResultRows: 0 });
    } finally {
      await limited.close();
    }
  });

  it('forgets the oldest finished statements past the retention bounds', async () => {
    const bounded = await startRedshiftHarness({ maxRetainedStatements: 2 });
    try {
      const first = await bounded.execute('SELECT 1');
      const second = await bounded.execute('SELECT 2');
      const third = await bounded.execute('SELECT 3');
      await expect(bounded.client.send(new DescribeStatementCommand({ Id: first.Id }))).rejects.toBeInstanceOf(ResourceNotFoundException);
      expect(await bounded.records(second.Id!)).toEqual([[{ longValue: 2 }]]);
      expect(await bounded.records(third.Id!)).toEqual([[{ longValue: 3 }]]);
    } finally {
      await bounded.close();
    }
  });
});
