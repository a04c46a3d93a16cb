import type { PartitionInput, StorageDescriptor, Table, TableInput } from '@aws-sdk/client-glue';
import { sameColumns, type CatalogColumn } from './catalog-columns.js';

/** What one crawl found under one target, ready to become a Data Catalog table and its partitions. */
export interface CrawledTable {
  name: string;
  /** The target folder, s3://bucket/prefix/. */
  location: string;
  classification: 'csv' | 'parquet';
  columns: CatalogColumn[];
  partitionKeys: string[];
  crawlerName: string;
  csv?: { delimiter: string; hasHeader: boolean; quoted: boolean };
}

const hiveText = {
  InputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
  OutputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
};

/** Input/output formats and SerDe as a Glue crawler writes them; quoted CSV gets OpenCSVSerde. */
function storageFormat(table: CrawledTable): Pick<StorageDescriptor, 'InputFormat' | 'OutputFormat' | 'SerdeInfo'> {
  if (table.classification === 'parquet') {
    return {
      InputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
      OutputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
      SerdeInfo: { SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe', Parameters: { 'serialization.format': '1' } },
    };
  }
  const delimiter = table.csv?.delimiter ?? ',';
  return {
    ...hiveText,
    SerdeInfo: table.csv?.quoted
      ? { SerializationLibrary: 'org.apache.hadoop.hive.serde2.OpenCSVSerde', Parameters: { separatorChar: delimiter, quoteChar: '"' } }
      : { SerializationLibrary: 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe', Parameters: { 'field.delim': delimiter } },
  };
}

function tableParameters(table: CrawledTable): Record<string, string> {
  const common = {
    classification: table.classification, compressionType: 'none', typeOfData: 'file',
    UPDATED_BY_CRAWLER: table.crawlerName, CrawlerSchemaDeserializerVersion: '1.0', CrawlerSchemaSerializerVersion: '1.0',
  };
  if (!table.csv) return common;
  return {
    ...common, delimiter: table.csv.delimiter, areColumnsQuoted: String(table.csv.quoted), columnsOrdered: 'true',
    ...(table.csv.hasHeader ? { 'skip.header.line.count': '1' } : {}),
  };
}

function storageDescriptor(table: CrawledTable, location: string): StorageDescriptor {
  return {
    Columns: table.columns, Location: location, ...storageFormat(table), Compressed: false, NumberOfBuckets: -1,
    BucketColumns: [], SortColumns: [], StoredAsSubDirectories: false, Parameters: tableParameters(table),
  };
}

export function tableInput(table: CrawledTable): TableInput {
  return {
    Name: table.name,
    TableType: 'EXTERNAL_TABLE',
    Retention: 0,
    StorageDescriptor: storageDescriptor(table, table.location),
    PartitionKeys: table.partitionKeys.map((key) => ({ Name: key, Type: 'string' })),
    Parameters: tableParameters(table),
  };
}

export function partitionInput(table: CrawledTable, partition: { values: string[]; folder: string }): PartitionInput {
  return { Values: partition.values, StorageDescriptor: storageDescriptor(table, `${table.location}${partition.folder}`), Parameters: tableParameters(table) };
}

/** Whether the catalog's table differs from the crawled one in what a crawler updates: columns, partition keys, format. */
export function schemaChanged(existing: Table, crawled: TableInput): boolean {
  const before = existing.StorageDescriptor ?? {};
  const after = crawled.StorageDescriptor!;
  const columns = (list: { Name?: string; Type?: string }[] | undefined) => (list ?? []).map(({ Name, Type }) => ({ Name: Name ?? '', Type: Type ?? '' }));
  return !sameColumns(columns(before.Columns), columns(after.Columns))
    || !sameColumns(columns(existing.PartitionKeys), columns(crawled.PartitionKeys))
    || before.InputFormat !== after.InputFormat
    || before.SerdeInfo?.SerializationLibrary !== after.SerdeInfo?.SerializationLibrary
    || before.Location !== after.Location;
}
