import { formatUnits } from './money.js';
import { referenceData } from './reference-data.js';
import type { SeededRandom } from './seeded-random.js';

/**
 * Raw renderings of clean values: every form the job accepts (docs/data-contract.md), so that
 * cleaning each rendering gives back exactly the clean value it came from.
 */

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const NULL_TOKENS = ['', 'null', 'NULL', 'None', 'N/A', 'n/a', 'NA', '-', 'NaN', 'nan'];

export const nullToken = (random: SeededRandom): string => random.pick(NULL_TOKENS);

function randomCase(random: SeededRandom, value: string): string {
  const style = random.int(0, 2);
  return style === 0 ? value.toLowerCase() : style === 1 ? value.toUpperCase() : value;
}

function pad(random: SeededRandom, value: string): string {
  return random.chance(0.5) ? `  ${value} ` : ` ${value}`;
}

/** `2024-03-05` in one of the eight accepted date forms. */
export function renderDate(random: SeededRandom, isoDate: string): string {
  const [year, month, day] = isoDate.split('-') as [string, string, string];
  const time = `${String(random.int(0, 23)).padStart(2, '0')}:${String(random.int(0, 59)).padStart(2, '0')}:${String(random.int(0, 59)).padStart(2, '0')}`;
  const monthName = MONTHS[Number(month) - 1] as string;
  switch (random.int(0, 8)) {
    case 0: return `${isoDate}T${time}Z`;
    case 1: return `${isoDate} ${time}`;
    case 2: return `${month}/${day}/${year}`;
    case 3: return `${Number(month)}/${Number(day)}/${year}`;
    case 4: return `${year}/${month}/${day}`;
    case 5: return `${day}-${randomCase(random, monthName.slice(0, 3))}-${year}`;
    case 6: return `${random.chance(0.8) ? monthName : monthName.toUpperCase()} ${Number(day)}, ${year}`;
    case 7: return `${year}${month}${day}`;
    default: return `${isoDate}T${time}`;
  }
}

/** A price in the shortest plain form: `19.99`, `0.0450`, `1299.00`. */
export function plainPrice(units: number): string {
  const text = formatUnits(units);
  return text.endsWith('00') ? text.slice(0, -2) : text;
}

function withThousands(plain: string): string {
  const [whole, fraction] = plain.split('.') as [string, string];
  return `${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${fraction}`;
}

export function renderPrice(random: SeededRandom, units: number): string {
  const plain = plainPrice(units);
  switch (random.int(0, 5)) {
    case 0: return `$${plain}`;
    case 1: return `USD ${plain}`;
    case 2: return `US$${plain}`;
    case 3: return units >= 10_000_000 ? withThousands(plain) : `$${withThousands(plain)}`;
    case 4: return pad(random, plain);
    default: return `${plain}`;
  }
}

export function renderQuantity(random: SeededRandom, quantity: number): string {
  return random.pick([`${quantity}.0`, pad(random, String(quantity)), `${quantity}.00`]);
}

export function renderDiscount(random: SeededRandom, units: number): string {
  if (units === 0) return random.pick(['0', '0%', '0.0', nullToken(random)]);
  const fraction = formatUnits(units).replace(/0+$/, '');
  const percent = String(units / 100);
  return random.pick([fraction, `${percent}%`, `${percent} %`, formatUnits(units)]);
}

export function renderCategory(random: SeededRandom, category: string): string {
  switch (random.int(0, 3)) {
    case 0: return category.toLowerCase();
    case 1: return category.toUpperCase().replace(/ /g, '_');
    case 2: return pad(random, category.replace(/&/g, 'and'));
    default: return ` ${category.toLowerCase().replace(/ /g, '  ')}`;
  }
}

const countriesByCode = new Map(referenceData.countries.map((country) => [country.alpha2, country]));

export function renderCountry(random: SeededRandom, alpha2: string): string {
  const country = countriesByCode.get(alpha2);
  if (!country) throw new Error(`unknown country code ${alpha2} in the generator's catalogue`);
  const forms = [country.alpha2.toLowerCase(), country.alpha3, country.name, country.name.toUpperCase(), ...country.aliases];
  return randomCase(random, random.pick(forms));
}

export function renderVariant(random: SeededRandom, variants: Record<string, string[]>, canonical: string): string {
  const forms = [canonical, ...(variants[canonical] ?? [])];
  return randomCase(random, random.pick(forms));
}

export function renderEmail(random: SeededRandom, email: string): string {
  return random.chance(0.5) ? ` ${email.toUpperCase()}` : `${email[0]?.toUpperCase()}${email.slice(1)}  `;
}

export function renderName(random: SeededRandom, name: string): string {
  return random.chance(0.5) ? `  ${name.replace(' ', '   ')}` : `${name.toString()} `;
}
