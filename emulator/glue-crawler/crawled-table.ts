import { mergeColumns } from './catalog-columns.js';
import type { CrawledTable } from './catalog-table.js';
import type { FileSchema } from './file-schema.js';
import { tableNameFor, targetFolder, type PartitionLayout, type PartitionedFile } from './table-layout.js';

function majority<T>(values: T[]): T {
  const counts = new Map<T, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]![0];
}

/**
 * The table one target becomes, from the schemas of its sampled files (undefined: not recognised),
 * as Glue's CombineCompatibleSchemas grouping makes one table per target: the classification most
 * files share, the union of their columns (without those named like a partition key), and the files
 * that belong to it (sampled files of another classification are left out; unsampled ones stay).
 * Undefined when no file was recognised.
 */
export function crawledTable(options: {
  crawlerName: string;
  tablePrefix?: string;
  targetPath: string;
  layout: PartitionLayout;
  schemas: Map<string, FileSchema | undefined>;
}): { table: CrawledTable; files: PartitionedFile[] } | undefined {
  const { layout, schemas } = options;
  // In the files' order, whatever order their schemas were read in, so that columns keep a stable order.
  const classified = layout.files.map((file) => schemas.get(file.relativeKey)).filter((schema) => schema !== undefined);
  if (classified.length === 0) return undefined;
  const classification = majority(classified.map((schema) => schema.classification));
  const chosen = classified.filter((schema) => schema.classification === classification);
  const csvSchemas = chosen.flatMap((schema) => (schema.classification === 'csv' ? [schema.csv] : []));
  const partitionKeys = new Set(layout.keys);
  const folder = targetFolder(options.targetPath);
  const table: CrawledTable = {
    name: tableNameFor({ targetPath: options.targetPath, tablePrefix: options.tablePrefix }),
    location: `s3://${folder.bucket}/${folder.prefix}`,
    classification,
    columns: mergeColumns(chosen.map((schema) => schema.columns)).filter((column) => !partitionKeys.has(column.Name)),
    partitionKeys: layout.keys,
    crawlerName: options.crawlerName,
    ...(csvSchemas[0] && {
      csv: { delimiter: csvSchemas[0].delimiter, hasHeader: csvSchemas[0].hasHeader, quoted: csvSchemas.some((csv) => csv.quoted) },
    }),
  };
  const files = layout.files.filter((file) => !schemas.has(file.relativeKey) || schemas.get(file.relativeKey)?.classification === classification);
  return { table, files };
}
