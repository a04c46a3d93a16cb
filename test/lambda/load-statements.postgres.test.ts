import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLEAN_COLUMNS } from '../../contract/sales-contract.js';
import { auditOnlyStatements, loadRunStatements } from '../../lambda/loader/load-statements.js';
import type { RunManifest } from '../../lambda/loader/run-manifest.js';
import { postgresUrl, WarehouseOnPostgres, type FixtureRow } from './warehouse-postgres.js';
import { succeededManifest } from './run-manifests.js';

const copyRoleArn = 'arn:aws:iam::123456789012:role/sales-redshift-copy';

function cleanRow(runId: string, overrides: FixtureRow = {}): FixtureRow {
  const row: FixtureRow = {
    order_id: 'O-1', line_id: '1', line_key: '1', order_date: '2024-03-05', customer_id: 'C-1',
    customer_name: 'Ana Lima', customer_email: 'ana@example.com', product_id: 'P-1', product_name: 'Desk lamp',
    category: 'Home & Garden', quantity: 2, unit_price: '19.9900', discount: '0.1000', total_amount: '35.98',
    country: 'BR', city: 'Recife', payment_method: 'card', sales_channel: 'online',
    source_uri: `s3://sales-data/raw/${runId}.csv`, source_version: `v-${runId}`,
    source_modified_at: '2024-03-05 10:00:00', source_line: 2, run_id: runId,
    ...overrides,
  };
  expect(Object.keys(row)).toEqual([...CLEAN_COLUMNS]);
  return row;
}

function rejectedRow(runId: string, sourceLine: number, reasons: string): FixtureRow {
  return { run_id: runId, source_uri: `s3://sales-data/raw/${runId}.csv`, source_line: sourceLine, raw_record: 'O-9,,bad', reasons };
}

/** A succeeded run: its manifest, with the rows its COPY manifests point at registered in the warehouse. */
function succeededRun(warehouse: WarehouseOnPostgres, options: {
  runId: string; modifiedAt: string; clean: FixtureRow[]; rejected?: FixtureRow[]; source?: { uri: string; version: string };
}): RunManifest {
  const { runId } = options;
  const rejected = options.rejected ?? [];
  const copyManifests = {
    clean: `s3://sales-data/manifests/${runId}.clean.copy.json`,
    rejected: `s3://sales-data/manifests/${runId}.rejected.copy.json`,
  };
  warehouse.copySources.set(copyManifests.clean, options.clean.map((row) => ({ ...row, source_modified_at: options.modifiedAt })));
  warehouse.copySources.set(copyManifests.rejected, rejected);
  const part = (kind: string) => [{ uri: `s3://sales-data/${kind}/run_id=${runId}/part-0.parquet`, size: 1000 }];
  return succeededManifest({
    runId,
    overrides: {
      source: { uri: `s3://sales-data/raw/${runId}.csv`, version: `v-${runId}`, ...options.source, size: 5000, modified_at: options.modifiedAt },
      started_at: '2024-03-05T10:01:00.000Z',
      ended_at: '2024-03-05T10:02:30.500Z',
      counts: {
        rows_read: options.clean.length + rejected.length, rows_clean: options.clean.length, rows_rejected: rejected.length,
        duplicates_dropped: 0, blank_lines: 0,
      },
      outputs: { clean: options.clean.length ? part('cleaned/sales') : [], rejected: rejected.length ? part('rejected') : [] },
      copy_manifests: copyManifests,
    },
  });
}

const load = (warehouse: WarehouseOnPostgres, manifest: RunManifest) =>
  warehouse.transaction(loadRunStatements({ manifest, jobRunId: `jr_${manifest.run_id}`, copyRoleArn }));

let warehouse: WarehouseOnPostgres;

beforeEach(async () => {
  try {
    warehouse = await WarehouseOnPostgres.create();
  } catch (error) {
    throw new Error(`the loader SQL tests need Postgres 15+ at ${postgresUrl} (set SALES_TEST_POSTGRES_URL): ${(error as Error).message}`);
  }
});

afterEach(async () => warehouse?.close());

describe('loader SQL on Postgres', () => {
  it('merges clean rows, appends rejected rows and writes one audit row', async () => {
    await load(warehouse, succeededRun(warehouse, {
      runId: 'run-a', modifiedAt: '2024-03-05 10:00:00',
      clean: [cleanRow('run-a'), cleanRow('run-a', { line_id: '2', line_key: '2', source_line: 3 })],
      rejected: [rejectedRow('run-a', 4, 'invalid_date;invalid_price')],
    }));

    expect(await warehouse.rows('SELECT order_id, line_key, quantity, total_amount, run_id FROM sales ORDER BY line_key')).toEqual([
      { order_id: 'O-1', line_key: '1', quantity: 2, total_amount: '35.98', run_id: 'run-a' },
      { order_id: 'O-1', line_key: '2', quantity: 2, total_amount: '35.98', run_id: 'run-a' },
    ]);
    expect(await warehouse.rows('SELECT run_id, source_line, reasons FROM sales_rejected'))
      .toEqual([{ run_id: 'run-a', source_line: '4', reasons: 'invalid_date;invalid_price' }]);
    expect(await warehouse.rows("SELECT run_id, job_run_id, status, rows_read, rows_clean, rows_rejected, to_char(ended_at, 'HH24:MI:SS.MS') AS ended FROM load_audit"))
      .toEqual([{ run_id: 'run-a', job_run_id: 'jr_run-a', status: 'loaded', rows_read: '3', rows_clean: '2', rows_rejected: '1', ended: '10:02:30.500' }]);
  });

  it('keeps the row of the most recently modified source whatever order the runs load in', async () => {
    const older = () => succeededRun(warehouse, {
      runId: 'run-old', modifiedAt: '2024-03-05 09:00:00',
      clean: [cleanRow('run-old', { quantity: 1 }), cleanRow('run-old', { line_id: '2', line_key: '2', quantity: 7 })],
    });
    const newer = () => succeededRun(warehouse, { runId: 'run-new', modifiedAt: '2024-03-06 09:00:00', clean: [cleanRow('run-new', { quantity: 5 })] });

    await load(warehouse, newer());
    await load(warehouse, older());
    const reversed = await warehouse.rows('SELECT line_key, quantity, run_id FROM sales ORDER BY line_key');

    await warehouse.close();
    warehouse = await WarehouseOnPostgres.create();
    await load(warehouse, older());
    await load(warehouse, newer());
    const inOrder = await warehouse.rows('SELECT line_key, quantity, run_id FROM sales ORDER BY line_key');

    const expected = [{ line_key: '1', quantity: 5, run_id: 'run-new' }, { line_key: '2', quantity: 7, run_id: 'run-old' }];
    expect(reversed).toEqual(expected);
    expect(inOrder).toEqual(expected);
  });

  it('breaks a tie in modification time by run id, the same in both load orders', async () => {
    const run = (runId: string, quantity: number) =>
      succeededRun(warehouse, { runId, modifiedAt: '2024-03-05 09:00:00', clean: [cleanRow(runId, { quantity })] });
    await load(warehouse, run('run-b', 2));
    await load(warehouse, run('run-a', 1));
    expect(await warehouse.rows('SELECT run_id FROM sales')).toEqual([{ run_id: 'run-b' }]);
  });

  it('changes nothing when the same run is loaded a second time', async () => {
    const manifest = succeededRun(warehouse, {
      runId: 'run-a', modifiedAt: '2024-03-05 10:00:00', clean: [cleanRow('run-a')], rejected: [rejectedRow('run-a', 3, 'invalid_date')],
    });
    await load(warehouse, manifest);
    const loadedAt = await warehouse.rows('SELECT loaded_at FROM sales');
    await load(warehouse, manifest);

    expect(await warehouse.rows('SELECT loaded_at FROM sales')).toEqual(loadedAt);
    expect(await warehouse.rows('SELECT count(*)::int AS n FROM sales_rejected')).toEqual([{ n: 1 }]);
    expect(await warehouse.rows('SELECT count(*)::int AS n FROM load_audit')).toEqual([{ n: 1 }]);
  });

  it('loads the same run once when two loaders load it at the same moment, on two sessions', async () => {
    const lines = Array.from({ length: 40 }, (_, index) =>
      cleanRow('run-a', { line_id: String(index + 1), line_key: String(index + 1), source_line: index + 2 }));
    const rejected = [rejectedRow('run-a', 50, 'invalid_date'), rejectedRow('run-a', 51, 'invalid_price')];
    const manifest = succeededRun(warehouse, { runId: 'run-a', modifiedAt: '2024-03-05 10:00:00', clean: lines, rejected });
    const other = await warehouse.anotherSession();
    try {
      // Both pass any "already loaded?" check first, as two deliveries of one event would.
      await Promise.all([load(warehouse, manifest), load(other, manifest)]);
    } finally {
      await other.close();
    }
    expect(await warehouse.rows('SELECT run_id, status FROM load_audit')).toEqual([{ run_id: 'run-a', status: 'loaded' }]);
    expect(await warehouse.rows('SELECT line_key, count(*)::int AS n FROM sales GROUP BY line_key HAVING count(*) > 1')).toEqual([]);
    expect(await warehouse.rows('SELECT count(*)::int AS n FROM sales')).toEqual([{ n: 40 }]);
    expect(await warehouse.rows('SELECT source_line FROM sales_rejected ORDER BY source_line')).toEqual([{ source_line: '50' }, { source_line: '51' }]);
  });

  it('commits nothing when a statement fails in the middle, and the retry loads everything once', async () => {
    const manifest = succeededRun(warehouse, {
      runId: 'run-a', modifiedAt: '2024-03-05 10:00:00', clean: [cleanRow('run-a')], rejected: [rejectedRow('run-a', 3, 'invalid_date')],
    });
    warehouse.copySources.delete(manifest.copy_manifests!.rejected);

    await expect(load(warehouse, manifest)).rejects.toThrow(/rejected.copy.json does not exist/);
    for (const table of ['sales', 'sales_rejected', 'load_audit']) {
      expect(await warehouse.rows(`SELECT count(*)::int AS n FROM ${table}`)).toEqual([{ n: 0 }]);
    }

    warehouse.copySources.set(manifest.copy_manifests!.rejected, [rejectedRow('run-a', 3, 'invalid_date')]);
    await load(warehouse, manifest);
    for (const table of ['sales', 'sales_rejected', 'load_audit']) {
      expect(await warehouse.rows(`SELECT count(*)::int AS n FROM ${table}`)).toEqual([{ n: 1 }]);
    }
  });

  it('lets a reprocess of the same object version replace its earlier load, rows and rejected rows, and nothing else', async () => {
    const file = { uri: 's3://sales-data/raw/march.csv', version: 'v1' };
    const ofFile = (runId: string, overrides: FixtureRow = {}) => cleanRow(runId, { source_uri: file.uri, source_version: file.version, ...overrides });
    const rejectedOfFile = (runId: string, line: number, reasons: string) => ({ ...rejectedRow(runId, line, reasons), source_uri: file.uri });
    await load(warehouse, succeededRun(warehouse, {
      runId: 'march-first', modifiedAt: '2024-03-05 10:00:00', source: file,
      clean: [ofFile('march-first'), ofFile('march-first', { line_id: '2', line_key: '2', source_line: 3 })],
      rejected: [rejectedOfFile('march-first', 4, 'invalid_date')],
    }));
    // Another version of the same key, and another file: a reprocess of v1 leaves both alone.
    const older = { uri: file.uri, version: 'v0' };
    await load(warehouse, succeededRun(warehouse, {
      runId: 'march-v0', modifiedAt: '2024-03-01 10:00:00', source: older,
      clean: [cleanRow('march-v0', { order_id: 'O-0', source_uri: older.uri, source_version: older.version })],
      rejected: [{ ...rejectedRow('march-v0', 9, 'invalid_price'), source_uri: older.uri }],
    }));
    await load(warehouse, succeededRun(warehouse, { runId: 'april', modifiedAt: '2024-04-01 10:00:00', clean: [cleanRow('april', { order_id: 'O-4' })] }));

    // The reprocess cleans v1 anew: line 1 changed, line 2 now rejected.
    await load(warehouse, succeededRun(warehouse, {
      runId: 'march-again', modifiedAt: '2024-03-05 10:00:00', source: file,
      clean: [ofFile('march-again', { quantity: 3 })],
      rejected: [rejectedOfFile('march-again', 3, 'invalid_quantity'), rejectedOfFile('march-again', 4, 'invalid_date')],
    }));

    expect(await warehouse.rows('SELECT order_id, line_key, quantity, run_id FROM sales ORDER BY order_id, line_key')).toEqual([
      { order_id: 'O-0', line_key: '1', quantity: 2, run_id: 'march-v0' },
      { order_id: 'O-1', line_key: '1', quantity: 3, run_id: 'march-again' },
      { order_id: 'O-4', line_key: '1', quantity: 2, run_id: 'april' },
    ]);
    expect(await warehouse.rows('SELECT run_id, source_line, reasons FROM sales_rejected ORDER BY run_id, source_line')).toEqual([
      { run_id: 'march-again', source_line: '3', reasons: 'invalid_quantity' },
      { run_id: 'march-again', source_line: '4', reasons: 'invalid_date' },
      { run_id: 'march-v0', source_line: '9', reasons: 'invalid_price' },
    ]);
    expect(await warehouse.rows('SELECT run_id, status FROM load_audit ORDER BY run_id')).toEqual([
      { run_id: 'april', status: 'loaded' }, { run_id: 'march-again', status: 'loaded' },
      { run_id: 'march-first', status: 'loaded' }, { run_id: 'march-v0', status: 'loaded' },
    ]);
  });

  it('loads every line of an order with many lines', async () => {
    const lines = Array.from({ length: 60 }, (_, index) =>
      cleanRow('run-a', { line_id: String(index + 1), line_key: String(index + 1), source_line: index + 2 }));
    await load(warehouse, succeededRun(warehouse, { runId: 'run-a', modifiedAt: '2024-03-05 10:00:00', clean: lines }));
    expect(await warehouse.rows("SELECT count(*)::int AS n FROM sales WHERE order_id = 'O-1'")).toEqual([{ n: 60 }]);
  });

  it('loads a run without rejected rows and one without clean rows', async () => {
    await load(warehouse, succeededRun(warehouse, { runId: 'run-a', modifiedAt: '2024-03-05 10:00:00', clean: [cleanRow('run-a')] }));
    await load(warehouse, succeededRun(warehouse, { runId: 'run-b', modifiedAt: '2024-03-05 10:00:00', clean: [], rejected: [rejectedRow('run-b', 2, 'malformed_record')] }));
    expect(await warehouse.rows('SELECT run_id, status FROM load_audit ORDER BY run_id'))
      .toEqual([{ run_id: 'run-a', status: 'loaded' }, { run_id: 'run-b', status: 'loaded' }]);
    expect(await warehouse.rows('SELECT run_id FROM sales_rejected')).toEqual([{ run_id: 'run-b' }]);
  });

  it('records a failed run with its error text exactly, and a later successful load of the run replaces it', async () => {
    const error = "AnalysisException: path 's3://sales-data/raw/x.csv' not found; C:\\tmp\\x";
    const failure = { runId: 'run-a', jobRunId: 'jr_1', sourceUri: 's3://sales-data/raw/run-a.csv', status: 'failed' as const, error };
    await warehouse.transaction(auditOnlyStatements(failure));
    await warehouse.transaction(auditOnlyStatements({ ...failure, jobRunId: 'jr_2', error: 'a second report of the failure' }));
    expect(await warehouse.rows('SELECT job_run_id, status, error FROM load_audit')).toEqual([{ job_run_id: 'jr_1', status: 'failed', error }]);

    await load(warehouse, succeededRun(warehouse, { runId: 'run-a', modifiedAt: '2024-03-05 10:00:00', clean: [cleanRow('run-a')] }));
    expect(await warehouse.rows('SELECT status, error FROM load_audit')).toEqual([{ status: 'loaded', error: null }]);
    expect(await warehouse.rows('SELECT count(*)::int AS n FROM sales')).toEqual([{ n: 1 }]);
  });

  it('records a rejected file with its reason and loads nothing', async () => {
    await warehouse.transaction(auditOnlyStatements({
      runId: 'run-a', jobRunId: 'jr_1', sourceUri: 's3://sales-data/raw/run-a.csv', sourceVersion: 'v1',
      status: 'rejected_file', error: 'missing_required_columns:order_id', startedAt: '2024-03-05T10:00:00Z', endedAt: '2024-03-05T10:00:09Z',
    }));
    expect(await warehouse.rows('SELECT status, error, rows_read FROM load_audit'))
      .toEqual([{ status: 'rejected_file', error: 'missing_required_columns:order_id', rows_read: null }]);
  });

  it("records the source profile's name in load_audit: from the manifest, or for a run without one from its profile argument", async () => {
    const manifest = succeededRun(warehouse, { runId: 'run-shop', modifiedAt: '2024-03-05 10:00:00', clean: [cleanRow('run-shop')] });
    await load(warehouse, { ...manifest, source_profile: { name: 'shop-orders', digest: `sha256:${'0'.repeat(64)}` } });
    await load(warehouse, succeededRun(warehouse, { runId: 'run-plain', modifiedAt: '2024-03-05 10:00:00', clean: [cleanRow('run-plain', { order_id: 'O-2' })] }));
    await warehouse.transaction(auditOnlyStatements({
      runId: 'run-failed', jobRunId: 'jr_9', sourceUri: 's3://sales-data/raw/uk-online-retail/a.csv', sourceName: 'uk-online-retail', status: 'failed', error: 'boom',
    }));
    expect(await warehouse.rows('SELECT run_id, source_name FROM load_audit ORDER BY run_id')).toEqual([
      { run_id: 'run-failed', source_name: 'uk-online-retail' },
      { run_id: 'run-plain', source_name: null },
      { run_id: 'run-shop', source_name: 'shop-orders' },
    ]);
  });

  it('applies the table DDL a second time without error (later migrations run once, as db:migrate records them)', async () => {
    const { ddlMigrations } = await import('../../warehouse/migrate-warehouse.js');
    await expect(warehouse.transaction(ddlMigrations()[0]!.statements)).resolves.toBeUndefined();
  });
});
