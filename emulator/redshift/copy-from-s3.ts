import type { S3Client } from '@aws-sdk/client-s3';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { parquetAsCsv } from './parquet-csv.js';
import { postgresLiteral } from './postgres-literal.js';
import { listObjects, objectSize, openObject, readObject } from './s3-objects.js';
import type { CopyCommand } from './statement-plan.js';

export class CopyLoadError extends Error {
  override readonly name = 'CopyLoadError';
}

interface ManifestEntry {
  url: string;
  mandatory?: boolean;
  meta?: { content_length?: unknown };
}

async function objectExists(s3: S3Client, uri: string): Promise<boolean> {
  return (await listObjects(s3, uri)).includes(uri);
}

/** The objects a COPY reads: a manifest's entries (optional ones may be missing), or every key under a prefix. */
async function sourceObjects(s3: S3Client, copy: CopyCommand): Promise<string[]> {
  if (!copy.manifest) {
    const uris = await listObjects(s3, copy.source);
    if (uris.length === 0) throw new CopyLoadError(`COPY ${copy.table}: no S3 object matches the prefix ${copy.source}`);
    return uris;
  }
  let entries: ManifestEntry[];
  try {
    entries = (JSON.parse((await readObject(s3, copy.source)).toString('utf8')) as { entries: ManifestEntry[] }).entries;
  } catch (error) {
    if (error instanceof SyntaxError) throw new CopyLoadError(`COPY ${copy.table}: the manifest ${copy.source} is not valid JSON (${error.message})`, { cause: error });
    throw error;
  }
  if (!Array.isArray(entries)) throw new CopyLoadError(`COPY ${copy.table}: the manifest ${copy.source} has no "entries" list`);
  const uris: string[] = [];
  for (const entry of entries) {
    if (!entry.mandatory && !await objectExists(s3, entry.url)) continue;
    if (copy.format === 'parquet') await assertContentLength({ s3, copy, entry });
    uris.push(entry.url);
  }
  return uris;
}

/**
 * Redshift requires `meta.content_length`, the object's actual size in bytes, in every entry of a
 * manifest for Parquet (or ORC) files, and reads the file by it ("Using a manifest to specify data
 * files", Redshift Database Developer Guide); text and CSV manifests need only `url`.
 */
async function assertContentLength(options: { s3: S3Client; copy: CopyCommand; entry: ManifestEntry }): Promise<void> {
  const { s3, copy, entry } = options;
  const declared = entry.meta?.content_length;
  if (typeof declared !== 'number' || !Number.isInteger(declared) || declared < 0) {
    throw new CopyLoadError(`COPY ${copy.table}: the manifest ${copy.source} gives ${entry.url} no meta.content_length; a manifest of Parquet files must give each file's size in bytes, as Redshift requires`);
  }
  const actual = await objectSize(s3, entry.url);
  if (actual !== declared) {
    throw new CopyLoadError(`COPY ${copy.table}: the manifest ${copy.source} gives ${entry.url} a content_length of ${declared} bytes, but the object has ${actual}: write the manifest after the file, with its real size`);
  }
}

async function tableColumns(client: pg.ClientBase, table: string): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    'SELECT quote_ident(attname) AS name FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum',
    [table],
  );
  return rows.map((row) => row.name);
}

/** Drops the first `count` lines of a stream, as IGNOREHEADER does per file. */
function skipLines(count: number): Transform {
  let remaining = count;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      let start = 0;
      while (remaining > 0 && start < chunk.length) {
        const newline = chunk.indexOf(10, start);
        if (newline < 0) return callback();
        start = newline + 1;
        remaining -= 1;
      }
      callback(null, chunk.subarray(start));
    },
  });
}

async function copyStream(client: pg.ClientBase, sql: string, source: Readable): Promise<number> {
  const target = client.query(copyFrom(sql));
  await pipeline(source, target);
  return target.rowCount;
}

/**
 * The CSV text of every Parquet object, in order, for one COPY of them all. The next object is fetched
 * while this one is converted, and Postgres parses each chunk while the next is built: a COPY per object
 * would leave Node and Postgres waiting on each other at every object's end.
 */
async function* parquetObjectsAsCsv(options: { s3: S3Client; copy: CopyCommand; uris: string[]; columns: string[]; objectRows: number[] }): AsyncGenerator<string> {
  const { s3, copy, uris, columns } = options;
  let next: Promise<Buffer> | undefined = readObject(s3, uris[0]!);
  for (let index = 0; index < uris.length; index++) {
    const body: Buffer = await next!;
    next = index + 1 < uris.length ? readObject(s3, uris[index + 1]!) : undefined;
    // Awaited on the next turn; until then a failed read must not count as unhandled.
    next?.catch(() => undefined);
    const parquet = parquetAsCsv(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer);
    if (parquet.columnNames.length !== columns.length) {
      throw new CopyLoadError(`COPY ${copy.table}: ${uris[index]} has ${parquet.columnNames.length} columns (${parquet.columnNames.join(', ')}) but the load targets ${columns.length} (${columns.join(', ')}); Parquet columns map to table columns by position`);
    }
    options.objectRows.push(parquet.rows);
    yield* parquet.chunks();
  }
}

/**
 * Where a Postgres error's line of the one COPY is: the object and its row (1-based), as Redshift's
 * load errors name the file and line. Undefined when the error names no line.
 */
function rowOfError(error: unknown, uris: string[], objectRows: number[]): string | undefined {
  const line = /\bline (\d+)/.exec((error as { where?: string }).where ?? '');
  if (!line) return undefined;
  let row = Number(line[1]);
  for (let index = 0; index < objectRows.length; index++) {
    if (row <= objectRows[index]!) return `${uris[index]}, row ${row}`;
    row -= objectRows[index]!;
  }
  return undefined;
}

async function copyParquet(options: { client: pg.ClientBase; s3: S3Client; copy: CopyCommand; uris: string[] }): Promise<number> {
  const { client, copy, uris } = options;
  const columns = copy.columns ?? await tableColumns(client, copy.table);
  const objectRows: number[] = [];
  const text = Readable.from(parquetObjectsAsCsv({ ...options, columns, objectRows }));
  try {
    return await copyStream(client, `COPY ${copy.table} (${columns.join(', ')}) FROM STDIN WITH (FORMAT csv)`, text);
  } catch (error) {
    const where = rowOfError(error, uris, objectRows);
    if (where === undefined) throw error;
    throw new CopyLoadError(`COPY ${copy.table}: ${(error as Error).message} (in ${where})`, { cause: error });
  }
}

function delimitedCopySql(copy: CopyCommand): string {
  const options = [`FORMAT ${copy.format === 'csv' ? 'csv' : 'text'}`];
  // Redshift's default for text (non-CSV) files is a pipe, Postgres's a tab.
  const delimiter = copy.delimiter ?? (copy.format === 'csv' ? ',' : '|');
  options.push(`DELIMITER ${postgresLiteral(delimiter)}`);
  if (copy.quote !== undefined) options.push(`QUOTE ${postgresLiteral(copy.quote)}`);
  if (copy.nullAs !== undefined) options.push(`NULL ${postgresLiteral(copy.nullAs)}`);
  const columns = copy.columns ? ` (${copy.columns.join(', ')})` : '';
  return `COPY ${copy.table}${columns} FROM STDIN WITH (${options.join(', ')})`;
}

/** Runs a Redshift COPY from S3 on a Postgres connection (inside the caller's transaction); returns the rows loaded. */
export async function copyFromS3(options: { client: pg.ClientBase; s3: S3Client; copy: CopyCommand }): Promise<number> {
  const { client, s3, copy } = options;
  const uris = await sourceObjects(s3, copy);
  if (uris.length === 0) throw new CopyLoadError(`COPY ${copy.table}: the manifest ${copy.source} lists no object to load`);
  if (copy.format === 'parquet') return copyParquet({ client, s3, copy, uris });
  let rows = 0;
  for (const uri of uris) {
    rows += await copyStream(client, delimitedCopySql(copy), (await openObject(s3, uri)).pipe(skipLines(copy.ignoreHeader)));
  }
  return rows;
}
