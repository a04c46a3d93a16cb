import { parquetMetadata, parquetRead, type DecodedArray, type ParquetParsers } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';

/**
 * Parquet → CSV text that Postgres `COPY … (FORMAT csv)` reads, one row group at a time, in slices of
 * at most `SLICE_ROWS` rows so that Postgres parses one slice while the next is built.
 *
 * hyparquet (pure JavaScript, with hyparquet-compressors for Spark's snappy) was chosen over
 * @duckdb/node-api: no native binary to install. Values are written in the text form Postgres parses:
 * dates and timestamps from their raw day/microsecond counts (exact, in UTC as Spark stores them),
 * decimals with their declared scale (hyparquet decodes them to a float; toFixed(scale) puts the exact
 * digits back). A row group is decoded column by column and each column formatted on its own, without
 * building an object per row: building the text, not decoding, was most of a load's time in Node.
 */

const MICROS_PER_SECOND = 1_000_000n;
/** Rows per chunk of text: about 2 MB for the sales table. */
export const SLICE_ROWS = 8192;
/** Distinct dates and timestamps remembered per file; a file's rows share few (one source_modified_at). */
const CACHED_VALUES = 4096;

function timestampText(micros: bigint): string {
  let seconds = micros / MICROS_PER_SECOND;
  let fraction = micros % MICROS_PER_SECOND;
  if (fraction < 0n) {
    fraction += MICROS_PER_SECOND;
    seconds -= 1n;
  }
  const wholeSeconds = new Date(Number(seconds) * 1000).toISOString().slice(0, 19).replace('T', ' ');
  return `${wholeSeconds}.${fraction.toString().padStart(6, '0')}`;
}

function cached<K, V>(compute: (key: K) => V): (key: K) => V {
  const values = new Map<K, V>();
  return (key) => {
    let value = values.get(key);
    if (value === undefined) {
      value = compute(key);
      if (values.size < CACHED_VALUES) values.set(key, value);
    }
    return value;
  };
}

/** Parsers that give dates and timestamps as the text Postgres reads; one set per file, for its caches. */
function textParsers(): Partial<ParquetParsers> {
  const timestamp = cached(timestampText);
  return {
    timestampFromMilliseconds: (millis) => timestamp(millis * 1000n),
    timestampFromMicroseconds: (micros) => timestamp(micros),
    timestampFromNanoseconds: (nanos) => timestamp(nanos / 1000n),
    dateFromDays: cached((days: number) => new Date(days * 86_400_000).toISOString().slice(0, 10)),
  };
}

/** A text value as a quoted CSV field: quoted even when empty, which COPY reads as '' and not NULL. */
function quoted(text: string): string {
  return text.includes('"') ? `"${text.replaceAll('"', '""')}"` : `"${text}"`;
}

function csvField(value: unknown, decimalScale: number | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return quoted(value);
  if (typeof value === 'number') return decimalScale === undefined ? String(value) : value.toFixed(decimalScale);
  if (typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value instanceof Uint8Array) return `"\\x${Buffer.from(value).toString('hex')}"`;
  return quoted(JSON.stringify(value));
}

/** The fields of rows [start, end) of one column, as CSV text. */
function formatColumn(values: DecodedArray, options: { start: number; end: number; scale: number | undefined }): string[] {
  const fields = new Array<string>(options.end - options.start);
  for (let row = options.start; row < options.end; row++) fields[row - options.start] = csvField(values[row], options.scale);
  return fields;
}

/** CSV lines of rows [0, rows) of the formatted columns; joins of flat strings, as V8 builds long text fastest. */
function csvLines(columns: string[][], rows: number): string {
  const lines = new Array<string>(rows + 1);
  const fields = new Array<string>(columns.length);
  for (let row = 0; row < rows; row++) {
    for (let column = 0; column < columns.length; column++) fields[column] = columns[column]![row]!;
    lines[row] = fields.join(',');
  }
  lines[rows] = '';
  return lines.join('\n');
}

export interface ParquetCsv {
  columnNames: string[];
  /** Rows in the file: lines of CSV text. */
  rows: number;
  /** CSV text, in chunks of at most SLICE_ROWS rows. */
  chunks(): AsyncGenerator<string>;
}

export function parquetAsCsv(file: ArrayBuffer): ParquetCsv {
  const parsers = textParsers();
  const metadata = parquetMetadata(file, { parsers });
  const leaves = metadata.schema.slice(1).filter((element) => !element.num_children);
  const columnNames = leaves.map((element) => element.name);
  const scales = leaves.map((element) => (element.converted_type === 'DECIMAL' ? element.scale ?? 0 : undefined));

  /** Every column of one row group, as hyparquet decodes it. */
  async function readGroup(rowStart: number, rowEnd: number): Promise<DecodedArray[]> {
    const columns = new Map<string, unknown[]>(columnNames.map((name) => [name, new Array<unknown>(rowEnd - rowStart)]));
    const filled = new Map<string, number>(columnNames.map((name) => [name, 0]));
    await parquetRead({
      file, metadata, compressors, parsers, rowStart, rowEnd,
      onChunk: ({ columnName, columnData, rowStart: chunkStart }) => {
        const target = columns.get(columnName);
        if (!target) return;
        // A chunk may hold rows outside the range asked for.
        const from = Math.max(rowStart, chunkStart);
        const to = Math.min(rowEnd, chunkStart + columnData.length);
        for (let row = from; row < to; row++) target[row - rowStart] = columnData[row - chunkStart];
        filled.set(columnName, filled.get(columnName)! + Math.max(0, to - from));
      },
    });
    const missing = columnNames.filter((name) => filled.get(name) !== rowEnd - rowStart);
    if (missing.length > 0) throw new Error(`Parquet rows ${rowStart} to ${rowEnd} came without values of ${missing.join(', ')}`);
    return columnNames.map((name) => columns.get(name)!);
  }

  return {
    columnNames,
    rows: Number(metadata.num_rows),
    async *chunks() {
      let rowStart = 0;
      for (const group of metadata.row_groups) {
        const rowEnd = rowStart + Number(group.num_rows);
        const columns = await readGroup(rowStart, rowEnd);
        for (let start = 0; start < rowEnd - rowStart; start += SLICE_ROWS) {
          const end = Math.min(start + SLICE_ROWS, rowEnd - rowStart);
          yield csvLines(columns.map((values, index) => formatColumn(values, { start, end, scale: scales[index] })), end - start);
        }
        rowStart = rowEnd;
      }
    },
  };
}
