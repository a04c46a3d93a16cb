import type { S3Client } from '@aws-sdk/client-s3';
import { parquetMetadata, parquetMetadataAsync } from 'hyparquet';
import type { CatalogColumn } from './catalog-columns.js';
import { inferCsvSchema, type CsvSchema } from './csv-schema.js';
import { parquetColumns } from './parquet-schema.js';
import { objectBuffer, readRange } from './s3-listing.js';

export type FileSchema =
  | { classification: 'parquet'; columns: CatalogColumn[] }
  | { classification: 'csv'; columns: CatalogColumn[]; csv: CsvSchema };

const parquetMagic = 'PAR1';

/**
 * Classifies one object by its content, as Glue's built-in classifiers do, and returns its schema:
 * Parquet from the footer, delimited text from a sample of its first bytes. Undefined when neither
 * recognises it (Glue's UNKNOWN classification).
 */
export async function readFileSchema(s3: S3Client, object: { bucket: string; key: string; size: number; sampleBytes: number }): Promise<FileSchema | undefined> {
  const head = await readRange(s3, { ...object, start: 0, end: Math.min(object.size, object.sampleBytes) });
  const complete = head.length >= object.size;
  if (head.subarray(0, 4).toString('latin1') === parquetMagic) {
    const metadata = complete
      ? parquetMetadata(head.buffer.slice(head.byteOffset, head.byteOffset + head.byteLength) as ArrayBuffer)
      : await parquetMetadataAsync(objectBuffer(s3, object));
    return { classification: 'parquet', columns: parquetColumns(metadata) };
  }
  const csv = inferCsvSchema(head.toString('utf8'), { complete });
  return csv && { classification: 'csv', columns: csv.columns, csv };
}
