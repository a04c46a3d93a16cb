import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The reference values the Glue job uses (glue/sales_cleaning/reference_data.json): one source for both. Countries: country-spellings.ts. */
export interface ReferenceData {
  null_tokens: string[];
  categories: string[];
  payment_methods: Record<string, string[]>;
  sales_channels: Record<string, string[]>;
}

const referencePath = fileURLToPath(new URL('../glue/sales_cleaning/reference_data.json', import.meta.url));

export const referenceData: ReferenceData = JSON.parse(readFileSync(referencePath, 'utf8')) as ReferenceData;
