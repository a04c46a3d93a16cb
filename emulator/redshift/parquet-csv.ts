import { parquetMetadata, parquetRead, type ParquetParsers } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';

/**
 * Parquet → CSV text that Postgres `COPY … (FORMAT csv)` reads, one row group at a time.
 *
 * hyparquet (pure JavaScript, with hyparquet-compressors for Spark's snappy) was chosen over
 * @duckdb/node-api: no native binary to install, and COPY into Postgres, not Parquet decoding, is the
 * slow part of a load. Values are written in the text form Postgres parses: dates and timestamps
 * from their raw day/microsecond counts (exact, in UTC as Spark stores them), decimals with their
 * declared scale (hyparquet decodes them to a float; toFixed(scale) puts the exact digits back).
 */

const MICROS_PER_SECOND = 1_000_000n;

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

const textParsers: Partial<ParquetParsers> = {
  timestampFromMilliseconds: (millis) => timestampText(millis * 1000n),
  timestampFromMicroseconds: (micros) => timestampText(micros),
  timestampFromNanoseconds: (nanos) => timestampText(nanos / 1000n),
  dateFromDays: (days) => new Date(days * 86_400_000).toISOString().slice(0, 10),
};

function csvField(value: unknown, decimalScale: number | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return decimalScale === undefined ? String(value) : value.toFixed(decimalScale);
  if (typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value instanceof Uint8Array) return `"\\x${Buffer.from(value).toString('hex')}"`;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return `"${text.replace(/"/g, '""')}"`;
}

export interface ParquetCsv {
  columnNames: string[];
  /** CSV text, one chunk per row group. */
  chunks(): AsyncGenerator<string>;
}

export function parquetAsCsv(file: ArrayBuffer): ParquetCsv {
  const metadata = parquetMetadata(file, { parsers: textParsers });
  const leaves = metadata.schema.slice(1).filter((element) => !element.num_children);
  const scales = leaves.map((element) => (element.converted_type === 'DECIMAL' ? element.scale ?? 0 : undefined));
  return {
    columnNames: leaves.map((element) => element.name),
    async *chunks() {
      let rowStart = 0;
      for (const group of metadata.row_groups) {
        const rowEnd = rowStart + Number(group.num_rows);
        let rows: unknown[][] = [];
        await parquetRead({
          file, metadata, compressors, parsers: textParsers, rowStart, rowEnd, rowFormat: 'array',
          onComplete: (result) => { rows = result; },
        });
        yield rows.map((row) => row.map((value, index) => csvField(value, scales[index])).join(',')).join('\n') + '\n';
        rowStart = rowEnd;
      }
    },
  };
}
