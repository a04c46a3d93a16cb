import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The countries the generator's customers live in and the spellings it writes for each
 * (country-spellings.json): a fixed list of its own, so the generated files stay the same when the job's
 * ISO 3166-1 list (glue/sales_cleaning/countries.json) is regenerated. glue/tests/test_countries.py checks
 * that the job reads every spelling as its country.
 */
export interface CountrySpelling {
  alpha2: string;
  alpha3: string;
  name: string;
  aliases: string[];
}

const spellingsPath = fileURLToPath(new URL('./country-spellings.json', import.meta.url));

export const countrySpellings: CountrySpelling[] = (JSON.parse(readFileSync(spellingsPath, 'utf8')) as { countries: CountrySpelling[] }).countries;
