import { parquetSchema, type FileMetaData, type SchemaElement, type SchemaTree } from 'hyparquet';
import type { CatalogColumn } from './catalog-columns.js';

/**
 * Parquet footer schema → Data Catalog columns with the Hive types a Glue crawler writes: logical
 * annotations first (string, decimal(p,s), date, timestamp, sized integers), then the physical type
 * (INT96, as Spark writes timestamps by default, is a timestamp); groups become array, map or struct.
 */

function integerType(bitWidth: number, signed: boolean): string {
  const width = signed ? bitWidth : bitWidth * 2;
  if (width <= 8) return 'tinyint';
  if (width <= 16) return 'smallint';
  if (width <= 32) return 'int';
  return 'bigint';
}

const convertedTypes: Partial<Record<NonNullable<SchemaElement['converted_type']>, string>> = {
  UTF8: 'string', ENUM: 'string', JSON: 'string', BSON: 'binary', DATE: 'date',
  TIMESTAMP_MILLIS: 'timestamp', TIMESTAMP_MICROS: 'timestamp',
  INT_8: 'tinyint', INT_16: 'smallint', INT_32: 'int', INT_64: 'bigint',
  UINT_8: 'smallint', UINT_16: 'int', UINT_32: 'bigint', UINT_64: 'bigint',
};

const physicalTypes: Record<NonNullable<SchemaElement['type']>, string> = {
  BOOLEAN: 'boolean', INT32: 'int', INT64: 'bigint', INT96: 'timestamp',
  FLOAT: 'float', DOUBLE: 'double', BYTE_ARRAY: 'binary', FIXED_LEN_BYTE_ARRAY: 'binary',
};

function primitiveType(element: SchemaElement): string {
  const logical = element.logical_type;
  switch (logical?.type) {
    case 'STRING': case 'ENUM': case 'JSON': case 'UUID': return 'string';
    case 'DECIMAL': return `decimal(${logical.precision},${logical.scale})`;
    case 'DATE': return 'date';
    case 'TIMESTAMP': return 'timestamp';
    case 'INTEGER': return integerType(logical.bitWidth, logical.isSigned);
    case 'FLOAT16': return 'float';
    default: break;
  }
  if (element.converted_type === 'DECIMAL') return `decimal(${element.precision ?? 38},${element.scale ?? 0})`;
  const converted = element.converted_type && convertedTypes[element.converted_type];
  if (converted) return converted;
  if (!element.type) throw new Error(`Parquet column ${element.name} has no physical type`);
  return physicalTypes[element.type];
}

function isAnnotated(element: SchemaElement, ...kinds: ('LIST' | 'MAP' | 'MAP_KEY_VALUE')[]): boolean {
  return kinds.some((kind) => element.logical_type?.type === kind || element.converted_type === kind);
}

/** The element type of a LIST group, following Parquet's backward-compatibility rules for 2- and 3-level lists. */
function listElementType(list: SchemaTree): string {
  const repeated = list.children[0];
  if (!repeated) throw new Error(`Parquet list ${list.element.name} has no element`);
  const twoLevel = repeated.children.length !== 1 || repeated.element.name === 'array' || repeated.element.name === `${list.element.name}_tuple`;
  return twoLevel ? valueType(repeated, { ignoreRepetition: true }) : valueType(repeated.children[0]!);
}

function valueType(node: SchemaTree, options: { ignoreRepetition?: boolean } = {}): string {
  const { element, children } = node;
  const type = (() => {
    if (children.length === 0) return primitiveType(element);
    if (isAnnotated(element, 'LIST')) return `array<${listElementType(node)}>`;
    if (isAnnotated(element, 'MAP', 'MAP_KEY_VALUE')) {
      const entry = children[0]!;
      const [key, value] = entry.children;
      if (!key || !value) throw new Error(`Parquet map ${element.name} needs a key and a value`);
      return `map<${valueType(key)},${valueType(value)}>`;
    }
    return `struct<${children.map((child) => `${child.element.name}:${valueType(child)}`).join(',')}>`;
  })();
  return element.repetition_type === 'REPEATED' && !options.ignoreRepetition ? `array<${type}>` : type;
}

export function parquetColumns(metadata: FileMetaData): CatalogColumn[] {
  return parquetSchema(metadata).children.map((child) => ({ Name: child.element.name.toLowerCase(), Type: valueType(child) }));
}
