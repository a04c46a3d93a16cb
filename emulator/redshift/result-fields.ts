import type { ColumnMetadata, Field } from '@aws-sdk/client-redshift-data';
import type pg from 'pg';

const BOOL = 16;
const INTEGER_TYPES = new Set([20, 21, 23, 26]);
const FLOAT_TYPES = new Set([700, 701]);
const NUMERIC = 1700;
const CHARACTER_TYPES = new Set([25, 1042, 1043]);

/** Query options that leave every value as the text Postgres sent, which is what the Data API returns for most types. */
export const rawTextTypes = { getTypeParser: () => (value: string) => value };

/**
 * One value as the Data API types it: integers as longValue, floating point as doubleValue, booleans as
 * booleanValue, NULL as isNull, and everything else (numeric/decimal included, to keep its digits) as
 * stringValue in the database's text form.
 */
export function toField(value: string | null, typeId: number): Field {
  if (value === null) return { isNull: true };
  if (typeId === BOOL) return { booleanValue: value === 't' };
  if (INTEGER_TYPES.has(typeId)) return { longValue: Number(value) };
  if (FLOAT_TYPES.has(typeId)) return { doubleValue: Number(value) };
  return { stringValue: value };
}

function precisionAndScale(field: pg.FieldDef): { precision: number; scale: number } {
  const modifier = field.dataTypeModifier - 4;
  if (field.dataTypeID === NUMERIC && modifier >= 0) return { precision: (modifier >> 16) & 0xffff, scale: modifier & 0xffff };
  if (CHARACTER_TYPES.has(field.dataTypeID) && modifier >= 0) return { precision: modifier, scale: 0 };
  return { precision: 0, scale: 0 };
}

/** Redshift has no TEXT type (it stores TEXT columns as VARCHAR(256)), so text results are varchar there. */
const redshiftTypeNames: Record<string, string> = { text: 'varchar' };

export function toColumnMetadata(field: pg.FieldDef, typeName: string): ColumnMetadata {
  const numeric = field.dataTypeID === NUMERIC || INTEGER_TYPES.has(field.dataTypeID) || FLOAT_TYPES.has(field.dataTypeID);
  return {
    name: field.name, label: field.name, typeName: redshiftTypeNames[typeName] ?? typeName, ...precisionAndScale(field), length: 0, nullable: 1,
    isSigned: numeric, isCurrency: false, isCaseSensitive: CHARACTER_TYPES.has(field.dataTypeID), schemaName: '', tableName: '',
  };
}
