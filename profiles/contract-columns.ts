import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The data contract's input columns and null tokens, from the files the Glue job reads (docs/data-contract.md). */
interface ContractFile {
  clean_columns: { name: string; from: string; required?: boolean }[];
}

const glueData = (file: string) => fileURLToPath(new URL(`../glue/sales_cleaning/${file}`, import.meta.url));
const contract = JSON.parse(readFileSync(glueData('contract.json'), 'utf8')) as ContractFile;
const reference = JSON.parse(readFileSync(glueData('reference_data.json'), 'utf8')) as { null_tokens: string[] };

/** The columns a raw file can hold, in the contract's column order. */
export const inputColumns: readonly string[] = contract.clean_columns.filter((column) => column.from === 'input').map((column) => column.name);

/** The columns every file must have: a profile that leaves one unmapped is invalid. */
export const requiredColumns: readonly string[] = contract.clean_columns.filter((column) => column.from === 'input' && column.required).map((column) => column.name);

export const sourceProfileSchemaPath = glueData('source-profile.schema.json');

const nullTokens = new Set(reference.null_tokens);

/** A value the contract reads as null: a null token after trimming, in any case. */
export function isNullToken(value: string | undefined): boolean {
  return value === undefined || nullTokens.has(value.trim().toLowerCase());
}
