import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLEAN_COLUMNS as contractColumns } from '../../../contract/sales-contract.js';
import { splitSqlScript } from '../../../warehouse/sql-script.js';
import { startRedshiftHarness, type RedshiftHarness } from './redshift-harness.js';

const bucket = 'warehouse-data';
const role = "IAM_ROLE 'arn:aws:iam::123456789012:role/redshift-copy'";
const ddl = readFileSync(new URL('../../../sql/ddl/001_warehouse_tables.sql', import.meta.url), 'utf8');
const parquetFixture = readFileSync(new URL('../../fixtures/redshift/clean-sales.snappy.parquet', import.meta.url));
// 10,000 rows in row groups of 9,000 and 1,000; each value follows from the row number (see its writer).
const rowGroupsFixture = readFileSync(new URL('../../fixtures/redshift/row-groups.snappy.parquet', import.meta.url));
const CLEAN_COLUMNS = contractColumns.join(', ');

let harness: RedshiftHarness;

async function put(key: string, body: string | Buffer): Promise<void> {
  await harness.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
}

async function text(key: string): Promise<string> {
  return (await harness.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString();
}

async function rows(sql: string): Promise<unknown[][]> {
  const described = await harness.execute(sql);
  expect(described.Error).toBeUndefined();
  return (await harness.records(described.Id!)).map((record) => record.map((field) => (field.isNull ? null : Object.values(field)[0])));
}

function manifest(entries: { url: string; mandatory: boolean; meta?: { content_length?: number } }[]): string {
  return JSON.stringify({ entries });
}

/** Puts each Parquet object and a manifest listing them all with their lengths, as the job writes one; returns their URLs. */
async function putParquetManifest(manifestKey: string, objects: { key: string; body: Buffer }[]): Promise<string[]> {
  const urls = objects.map(({ key }) => `s3://${bucket}/${key}`);
  for (const { key, body } of objects) await put(key, body);
  await put(manifestKey, manifest(objects.map(({ body }, index) => ({ url: urls[index]!, mandatory: true, meta: { content_length: body.length } }))));
  return urls;
}

beforeAll(async () => {
  harness = await startRedshiftHarness({ withMoto: true });
  await harness.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const created = await harness.batch(splitSqlScript(ddl));
  expect(created.Error).toBeUndefined();
});

afterAll(async () => {
  await harness?.close();
});

describe('COPY from S3 and UNLOAD to S3', () => {
  it('loads Spark Parquet through a manifest into a staging table and merges it, as the loader does', async () => {
    await put('cleaned/run-1/part-00000.snappy.parquet', parquetFixture);
    await put('manifests/run-1.clean.manifest', manifest([{
      url: `s3://${bucket}/cleaned/run-1/part-00000.snappy.parquet`, mandatory: true, meta: { content_length: parquetFixture.length },
    }]));
    const load = await harness.batch([
      `CREATE TEMP TABLE staging AS SELECT ${CLEAN_COLUMNS} FROM sales WHERE 1 = 0`,
      `COPY staging FROM 's3://${bucket}/manifests/run-1.clean.manifest' ${role} FORMAT AS PARQUET MANIFEST`,
      `MERGE INTO sales USING staging ON sales.order_id = staging.order_id AND sales.line_key = staging.line_key
       WHEN MATCHED THEN UPDATE SET quantity = staging.quantity
       WHEN NOT MATCHED THEN INSERT (${CLEAN_COLUMNS}, loaded_at) VALUES (${CLEAN_COLUMNS.split(', ').map((column) => `staging.${column}`).join(', ')}, GETDATE())`,
    ]);
    expect(load.Error).toBeUndefined();
    expect(load.SubStatements![1]).toMatchObject({ Status: 'FINISHED', ResultRows: 3 });
    expect(await rows(`SELECT order_id, line_id, order_date, customer_name, customer_email, product_name, quantity, unit_price, discount,
      total_amount, country, city, source_modified_at, source_line FROM sales ORDER BY order_id, line_key`)).toEqual([
      ['O-1', '1', '2024-03-05', 'Ann Lee', 'ann@example.com', 'Desk, "oak"', 3, '19.9900', '0.1500', '50.97', 'US', 'Boston', '2024-03-06 09:30:15.123456', 2],
      ['O-1', '2', '2024-03-05', null, null, 'Lamp', 1, '1299.0000', '0.0000', '1299.00', null, null, '2024-03-06 09:30:15.123456', 3],
      ['O-2', null, '1999-12-31', 'Zoë Ünal', '', 'Ink', 12, '0.0450', '1.0000', '0.00', 'DE', 'Köln', '2024-03-06 09:30:15.123456', 4],
    ]);
  });

  it('refuses a Parquet manifest entry without meta.content_length, or with one that is not the object\'s size, as Redshift does', async () => {
    const url = `s3://${bucket}/cleaned/run-2/part-00000.snappy.parquet`;
    await put('cleaned/run-2/part-00000.snappy.parquet', parquetFixture);
    const copy = (manifestKey: string) => harness.batch([
      `CREATE TEMP TABLE staging AS SELECT ${CLEAN_COLUMNS} FROM sales WHERE 1 = 0`,
      `COPY staging FROM 's3://${bucket}/${manifestKey}' ${role} FORMAT AS PARQUET MANIFEST`,
    ]);
    await put('manifests/run-2.no-length.manifest', manifest([{ url, mandatory: true }]));
    expect((await copy('manifests/run-2.no-length.manifest')).Error).toMatch(/gives s3:\/\/warehouse-data\/cleaned\/run-2\/part-00000.snappy.parquet no meta.content_length/);
    await put('manifests/run-2.wrong-length.manifest', manifest([{ url, mandatory: true, meta: { content_length: parquetFixture.length - 1 } }]));
    expect((await copy('manifests/run-2.wrong-length.manifest')).Error)
      .toMatch(new RegExp(`a content_length of ${parquetFixture.length - 1} bytes, but the object has ${parquetFixture.length}`));
  });

  it('loads every Parquet object of a manifest in one COPY, across row groups and the conversion\'s slices, value for value', async () => {
    await putParquetManifest('manifests/row-groups.manifest', ['a', 'b'].map((name) => ({ key: `row-groups/${name}.snappy.parquet`, body: rowGroupsFixture })));
    await harness.execute('CREATE TABLE grouped (id BIGINT, label VARCHAR(40), amount DECIMAL(12,2), day DATE, at TIMESTAMP)');
    const copy = await harness.execute(`COPY grouped FROM 's3://${bucket}/manifests/row-groups.manifest' ${role} FORMAT AS PARQUET MANIFEST`);
    expect(copy.Error).toBeUndefined();
    expect(copy.ResultRows).toBe(20_000);
    const ids = Array.from({ length: 10_000 }, (_, i) => i);
    const nulls = ids.filter((i) => i % 5 === 0).length;
    const empty = ids.filter((i) => i % 5 !== 0 && i % 11 === 0).length;
    expect(await rows(`SELECT count(*), count(DISTINCT id), count(label), sum(CASE WHEN label = '' THEN 1 ELSE 0 END), sum(amount),
      min(day), max(day), max(at) FROM grouped`)).toEqual([
      [20_000, 10_000, 2 * (10_000 - nulls), 2 * empty, (2 * ids.reduce((sum, i) => sum + i, 0) / 100).toFixed(2), '2024-01-01', '2024-12-31', '2024-03-06 12:16:54.123456'],
    ]);
    // Rows either side of the first slice's end (8,192 rows), the first row group's end (9,000) and the file's.
    expect(await rows('SELECT DISTINCT id, label, amount, day, at FROM grouped WHERE id IN (0, 8191, 8192, 8197, 8999, 9000, 9999) ORDER BY id')).toEqual([
      [0, null, '0.00', '2024-01-01', '2024-03-06 09:30:15.123456'],
      [8191, 'l8191', '81.91', '2024-05-19', '2024-03-06 11:46:46.123456'],
      [8192, 'l8192', '81.92', '2024-05-20', '2024-03-06 11:46:47.123456'],
      [8197, 'l8197 "q"', '81.97', '2024-05-25', '2024-03-06 11:46:52.123456'],
      [8999, 'l8999', '89.99', '2024-08-03', '2024-03-06 12:00:14.123456'],
      [9000, null, '90.00', '2024-08-04', '2024-03-06 12:00:15.123456'],
      [9999, '', '99.99', '2024-04-27', '2024-03-06 12:16:54.123456'],
    ]);
  });

  it('fails a Parquet COPY whose later object has another shape, naming it, and loads none of the objects before it', async () => {
    const urls = await putParquetManifest('manifests/mixed.manifest', [
      { key: 'row-groups/a.snappy.parquet', body: rowGroupsFixture },
      { key: 'row-groups/wide.snappy.parquet', body: parquetFixture },
    ]);
    await harness.execute('CREATE TABLE narrow (id BIGINT, label VARCHAR(40), amount DECIMAL(12,2), day DATE, at TIMESTAMP)');
    const load = await harness.batch([
      'INSERT INTO narrow (id) VALUES (-1)',
      `COPY narrow FROM 's3://${bucket}/manifests/mixed.manifest' ${role} FORMAT AS PARQUET MANIFEST`,
    ]);
    expect(load.Status).toBe('FAILED');
    expect(load.Error).toContain(`${urls[1]} has 23 columns`);
    expect(await rows('SELECT count(*) FROM narrow')).toEqual([[0]]);
  });

  it('fails a Parquet COPY on a value Postgres refuses, naming the object and its row', async () => {
    const urls = await putParquetManifest('manifests/twice.manifest', ['a', 'b'].map((name) => ({ key: `row-groups/${name}.snappy.parquet`, body: rowGroupsFixture })));
    await harness.execute('CREATE TABLE unique_ids (id BIGINT PRIMARY KEY, label VARCHAR(40), amount DECIMAL(12,2), day DATE, at TIMESTAMP)');
    // The second object repeats the first's ids: its first row is the first to fail.
    const copy = await harness.execute(`COPY unique_ids FROM 's3://${bucket}/manifests/twice.manifest' ${role} FORMAT AS PARQUET MANIFEST`);
    expect(copy.Status).toBe('FAILED');
    expect(copy.Error).toMatch(/duplicate key value violates unique constraint/);
    expect(copy.Error).toContain(`(in ${urls[1]}, row 1)`);
  });

  it('loads CSV through a manifest with IGNOREHEADER, DELIMITER, QUOTE and NULL AS, skipping optional entries that are missing', async () => {
    await harness.execute('CREATE TABLE events (id INT, label VARCHAR(40), happened_on DATE)');
    await put('csv/a.csv', 'id;label;happened_on\n1;~semi;colon~;2024-03-05\n2;NONE;2024-03-06\n');
    await put('csv/b.csv', 'id;label;happened_on\n3;plain;NONE\n');
    await put('csv/events.manifest', manifest([
      { url: `s3://${bucket}/csv/a.csv`, mandatory: true },
      { url: `s3://${bucket}/csv/b.csv`, mandatory: true },
      { url: `s3://${bucket}/csv/missing.csv`, mandatory: false },
    ]));
    const copy = await harness.execute(`COPY events (id, label, happened_on) FROM 's3://${bucket}/csv/events.manifest' ${role}
      FORMAT AS CSV DELIMITER ';' QUOTE AS '~' NULL AS 'NONE' IGNOREHEADER 1 DATEFORMAT 'auto' TIMEFORMAT 'auto' MANIFEST`);
    expect(copy.Error).toBeUndefined();
    expect(copy.ResultRows).toBe(3);
    expect(await rows('SELECT id, label, happened_on FROM events ORDER BY id')).toEqual([
      [1, 'semi;colon', '2024-03-05'], [2, null, '2024-03-06'], [3, 'plain', null],
    ]);
  });

  it('loads every object under a prefix when there is no manifest', async () => {
    await harness.execute('CREATE TABLE prefixed (id INT, name VARCHAR(10))');
    await put('prefix/part-1.csv', '1,"a, b"\n');
    await put('prefix/part-2.csv', '2,c\n');
    const copy = await harness.execute(`COPY prefixed FROM 's3://${bucket}/prefix/part-' ${role} CSV`);
    expect(copy).toMatchObject({ Status: 'FINISHED', ResultRows: 2 });
    expect(await rows('SELECT id, name FROM prefixed ORDER BY id')).toEqual([[1, 'a, b'], [2, 'c']]);
  });

  it('fails a batch whose COPY names a missing mandatory object, and rolls back what came before it', async () => {
    await harness.execute('CREATE TABLE rolled_back (id INT, label VARCHAR(40), happened_on DATE)');
    await put('csv/broken.manifest', manifest([{ url: `s3://${bucket}/csv/nowhere.csv`, mandatory: true }]));
    const load = await harness.batch([
      "INSERT INTO rolled_back VALUES (99, 'before copy', NULL)",
      `COPY rolled_back FROM 's3://${bucket}/csv/broken.manifest' ${role} CSV MANIFEST`,
    ]);
    expect(load.Status).toBe('FAILED');
    expect(load.Error).toContain(`s3://${bucket}/csv/nowhere.csv`);
    expect(await rows('SELECT count(*) FROM rolled_back WHERE id = 99')).toEqual([[0]]);
  });

  it('rejects COPY options the emulator does not implement, naming them', async () => {
    await harness.execute('CREATE TABLE json_target (id INT)');
    const copy = await harness.execute(`COPY json_target FROM 's3://${bucket}/csv/a.csv' ${role} JSON 'auto'`);
    expect(copy.Status).toBe('FAILED');
    expect(copy.Error).toMatch(/COPY option JSON is not supported/);
  });

  it('unloads a query as one CSV object with a header, and refuses to overwrite without ALLOWOVERWRITE', async () => {
    await harness.execute('CREATE TABLE unloaded (id INT, label VARCHAR(40))');
    await harness.execute("INSERT INTO unloaded VALUES (1, 'semi;colon'), (2, NULL), (3, 'plain')");
    const unload = `UNLOAD ('SELECT id, label FROM unloaded WHERE label <> ''plain'' ORDER BY id') TO 's3://${bucket}/exports/events_' ${role} FORMAT AS CSV HEADER PARALLEL OFF`;
    const first = await harness.execute(unload);
    expect(first.Error).toBeUndefined();
    expect(first.ResultRows).toBe(1);
    expect(await text('exports/events_000')).toBe('id,label\n1,semi;colon\n');
    const again = await harness.execute(unload);
    expect(again.Status).toBe('FAILED');
    expect(again.Error).toMatch(/not empty.*ALLOWOVERWRITE/);
    expect((await harness.execute(`${unload} ALLOWOVERWRITE`)).Status).toBe('FINISHED');
    const listed = await harness.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'exports/' }));
    expect(listed.Contents!.map((object) => object.Key)).toEqual(['exports/events_000']);
  });
});
