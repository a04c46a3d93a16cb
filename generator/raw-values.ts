import { countrySpellings } from './country-spellings.js';
import { formatUnits } from './money.js';
import { referenceData } from './reference-data.js';
import type { SeededRandom } from './seeded-random.js';

/**
 * Raw renderings of clean values: every form the job accepts (docs/data-contract.md), each chosen so
 * that cleaning it gives back exactly the clean value it came from.
 */

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const NULL_TOKEN_FORMS = referenceData.null_tokens.flatMap((token) => [token, token.toUpperCase(), ` ${token} `]);

export const nullToken = (random: SeededRandom): string => random.pick(NULL_TOKEN_FORMS);

function randomCase(random: SeededRandom, value: string): string {
  const style = random.int(0, 2);
  return style === 0 ? value.toLowerCase() : style === 1 ? value.toUpperCase() : value;
}

const PADDINGS = [['  ', ' '], [' ', ''], ['', '  ']] as const;

/** Leading/trailing spaces, which every column's rule trims (tabs are not used: "trim" is read as spaces only). */
export function pad(random: SeededRandom, value: string): string {
  const [before, after] = random.pick(PADDINGS);
  return `${before}${value}${after}`;
}

const two = (value: number): string => (value < 10 ? `0${value}` : String(value));

/** `2024-03-05` in one of the eight accepted date forms (with and without the optional parts). */
export function renderDate(random: SeededRandom, isoDate: string): string {
  const year = isoDate.slice(0, 4);
  const month = isoDate.slice(5, 7);
  const day = isoDate.slice(8, 10);
  const time = `${two(random.int(0, 23))}:${two(random.int(0, 59))}:${two(random.int(0, 59))}`;
  const monthName = MONTHS[Number(month) - 1] as string;
  switch (random.int(0, 10)) {
    case 0: return `${isoDate}T${time}Z`;
    case 1: return `${isoDate}T${time}`;
    case 2: return `${isoDate} ${time}`;
    case 3: return `${month}/${day}/${year}`;
    case 4: return `${Number(month)}/${Number(day)}/${year}`;
    case 5: return `${year}/${month}/${day}`;
    case 6: return `${day}-${randomCase(random, monthName.slice(0, 3))}-${year}`;
    case 7: return `${randomCase(random, monthName)} ${Number(day)}, ${year}`;
    case 8: return `${year}${month}${day}`;
    case 9: return pad(random, isoDate);
    default: return isoDate;
  }
}

/** A price in its shortest plain form: `19.99`, `0.0450`, `1299.00`. */
export function plainPrice(units: number): string {
  const text = formatUnits(units);
  return text.endsWith('00') ? text.slice(0, -2) : text;
}

function withThousands(plain: string): string {
  const point = plain.indexOf('.');
  const whole = point < 0 ? plain : plain.slice(0, point);
  return whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (point < 0 ? '' : plain.slice(point));
}

/** More than four decimals that round half up to `units`: `19.98995` → 19.9900 (the job rounds to 4 places). */
function withExtraDecimals(random: SeededRandom, units: number): string {
  if (units > 0 && random.chance(0.5)) return `${formatUnits(units - 1)}5${random.pick(['', '0', '9'])}`;
  return `${formatUnits(units)}${random.int(0, 4)}${random.pick(['', '1', '99'])}`;
}

function priceNumber(random: SeededRandom, units: number): string {
  switch (random.int(0, 5)) {
    case 0: return withThousands(plainPrice(units));
    case 1: return formatUnits(units);
    case 2: return withExtraDecimals(random, units);
    case 3: return units % 10_000 === 0 ? String(units / 10_000) : plainPrice(units).replace(/0$/, '');
    default: return plainPrice(units);
  }
}

export function renderPrice(random: SeededRandom, units: number): string {
  const number = priceNumber(random, units);
  switch (random.int(0, 6)) {
    case 0: return `$${number}`;
    case 1: return `$ ${number}`;
    case 2: return `USD ${number}`;
    case 3: return `usd${number}`;
    case 4: return `US$${number}`;
    case 5: return pad(random, `Us$ ${number}`);
    default: return random.chance(0.5) ? pad(random, number) : number;
  }
}

export function renderQuantity(random: SeededRandom, quantity: number): string {
  return random.pick([`${quantity}.0`, pad(random, String(quantity)), `${quantity}.00`, `+${quantity}`, `0${quantity}`]);
}

/** Discount in 1/10,000 → `0.15` (its plain text when nothing is dirty). */
export function plainDiscount(units: number): string {
  return units === 0 ? '' : formatUnits(units).replace(/0+$/, '');
}

export function renderDiscount(random: SeededRandom, units: number): string {
  if (units === 0) return random.pick(['0', '0%', '0.0', '0 %', nullToken(random)]);
  const percent = String(units / 100);
  switch (random.int(0, 5)) {
    case 0: return `${percent}%`;
    case 1: return ` ${percent} %`;
    case 2: return formatUnits(units);
    // Half a unit below: the job rounds `12.345%` = 0.12345 half up to 0.1235.
    case 3: return `${Math.floor((units * 10 - 5) / 1000)}.${String((units * 10 - 5) % 1000).padStart(3, '0')}%`;
    case 4: return `${formatUnits(units)}${random.int(0, 4)}`;
    default: return plainDiscount(units);
  }
}

export function renderCategory(random: SeededRandom, category: string): string {
  switch (random.int(0, 4)) {
    case 0: return category.toLowerCase();
    case 1: return category.toUpperCase().replace(/ /g, '_');
    case 2: return pad(random, category.replace(/&/g, 'and'));
    case 3: return category.replace(/ & /g, '-&-').replace(/ /g, '-');
    default: return ` ${category.toLowerCase().replace(/ /g, '  ')}`;
  }
}

/** The accepted spellings of each country, built once rather than per rendering. */
const countryForms = new Map(
  countrySpellings.map((country) => [country.alpha2, [country.alpha2.toLowerCase(), country.alpha3, country.name, country.name.replaceAll(' ', '  '), ...country.aliases]]),
);

export function renderCountry(random: SeededRandom, alpha2: string): string {
  const forms = countryForms.get(alpha2);
  if (!forms) throw new Error(`country code ${alpha2} of the generator's customer pool is not in generator/country-spellings.json: add it there or drop it from the pool`);
  const form = randomCase(random, random.pick(forms));
  return random.chance(0.3) ? pad(random, form) : form;
}

const SEPARATORS = [' ', '-', '_', '  '];
const SEPARATOR = /[ _]/g;

/** A payment method or channel variant, with case and separator noise (`Credit-Card`, `bank__transfer`). */
export function renderVariant(random: SeededRandom, variants: Record<string, string[]>, canonical: string): string {
  const form = randomCase(random, random.pick([canonical, ...(variants[canonical] ?? [])]));
  const separated = form.replace(SEPARATOR, () => random.pick(SEPARATORS));
  return random.chance(0.3) ? pad(random, separated) : separated;
}

export function renderEmail(random: SeededRandom, email: string): string {
  return random.chance(0.5) ? pad(random, email.toUpperCase()) : `${email.charAt(0).toUpperCase()}${email.slice(1)}  `;
}

/** Free text (names, cities): padding and doubled inner spaces, which the job collapses. */
export function renderText(random: SeededRandom, text: string): string {
  return random.chance(0.5) ? pad(random, text.replaceAll(' ', '   ')) : `${text} `;
}
