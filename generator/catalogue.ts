import { en, Faker } from '@faker-js/faker';
import { cumulativeWeights, type SeededRandom } from './seeded-random.js';
import { referenceData } from './reference-data.js';

export interface Product {
  id: string;
  name: string;
  category: string;
  /** Unit price in 1/10,000 of a currency unit (the warehouse keeps 4 decimals). */
  priceUnits: number;
}

export interface Customer {
  id: string;
  name: string;
  email: string;
  country: string;
  city: string;
}

export interface Catalogue {
  products: Product[];
  productWeights: number[];
  customers: Customer[];
  customerWeights: number[];
}

/** Price ranges per category, in whole currency units. */
const PRICE_RANGES: Record<string, [number, number]> = {
  Electronics: [15, 1800], Computers: [40, 3500], 'Home & Kitchen': [5, 400], Clothing: [8, 180], Shoes: [25, 260],
  Beauty: [4, 120], 'Sports & Outdoors': [10, 900], 'Toys & Games': [5, 150], Books: [4, 60], Grocery: [1, 40],
  'Office Supplies': [1, 300], Garden: [5, 700], Automotive: [8, 1200], 'Pet Supplies': [3, 150], Health: [3, 90],
};

/** Where customers live: the first countries are the big markets. */
const COUNTRY_WEIGHTS: Record<string, number> = {
  US: 40, GB: 12, DE: 10, CA: 8, FR: 7, AU: 5, NL: 4, ES: 4, IT: 4, JP: 3, IN: 3, MX: 2, IE: 2, KR: 1, AE: 1, TR: 1, BR: 1,
};

/** Bounded pools, so a 10M-row file needs no more memory than a 1M-row one. */
export function buildCatalogue(options: { seed: number; random: SeededRandom; products?: number; customers?: number }): Catalogue {
  const faker = new Faker({ locale: [en] });
  faker.seed(options.seed);
  const random = options.random;
  const products: Product[] = [];
  for (let index = 1; index <= (options.products ?? 400); index++) {
    const category = random.pick(referenceData.categories);
    const [low, high] = PRICE_RANGES[category] ?? [1, 100];
    // Most prices end in .99/.49/.00; a few have four decimals, like bulk or unit-priced goods.
    const whole = random.int(low, high);
    const cents = random.pick([99, 99, 49, 0, 95, 25]);
    const priceUnits = random.chance(0.03) ? random.int(1, 9999) : (whole * 100 + cents) * 100;
    products.push({ id: `P-${String(index).padStart(5, '0')}`, name: faker.commerce.productName(), category, priceUnits });
  }
  const countryCodes = Object.keys(COUNTRY_WEIGHTS);
  const countryCumulative = cumulativeWeights(Object.values(COUNTRY_WEIGHTS));
  // faker draws surnames slowly, so names and cities come from smaller faker-built pools, combined by the PRNG.
  const pool = (size: number, draw: () => string): string[] => Array.from({ length: size }, draw);
  const firstNames = pool(1_500, () => faker.person.firstName());
  const lastNames = pool(1_500, () => faker.person.lastName());
  const cities = pool(2_000, () => faker.location.city());
  const domains = pool(40, () => faker.internet.domainName());
  const customers: Customer[] = [];
  for (let index = 1; index <= (options.customers ?? 20_000); index++) {
    const first = random.pick(firstNames);
    const last = random.pick(lastNames);
    const local = `${first}.${last}`.toLowerCase().replace(/[^a-z0-9.]/g, '');
    customers.push({
      id: `C-${String(index).padStart(6, '0')}`,
      name: `${first} ${last}`,
      email: `${local}${random.chance(0.4) ? random.int(1, 99) : ''}@${random.pick(domains)}`,
      country: countryCodes[random.pickCumulative(countryCumulative)] as string,
      city: random.pick(cities),
    });
  }
  // A long tail: a few products and customers account for much of the sales.
  const productWeights = cumulativeWeights(products.map((_, index) => 1 / (index + 5)));
  const customerWeights = cumulativeWeights(customers.map((_, index) => 1 / Math.sqrt(index + 10)));
  return { products, productWeights, customers, customerWeights };
}
