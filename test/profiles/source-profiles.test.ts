import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SOURCE_NAME_PATTERN } from '../../contract/source-name.js';
import { inputColumns, requiredColumns } from '../../profiles/contract-columns.js';
import { profileProblems, readSourceProfile, sourceProfileSchema, type SourceProfile } from '../../profiles/source-profile.js';
import { projectRoot } from '../../stage/python-env.js';

const sourcesDir = join(projectRoot, 'sources');
const profileFiles = readdirSync(sourcesDir).filter((file) => file.endsWith('.json')).sort();

const classicCars: SourceProfile = {
  name: 'classic-cars',
  format: { delimiter: ',', encoding: 'utf-8', decimal_separator: '.', date_formats: ['M/d/yyyy H:mm'] },
  line_key: 'line_id',
  columns: {
    order_id: 'ORDERNUMBER', line_id: 'ORDERLINENUMBER', order_date: 'ORDERDATE', customer_id: 'CUSTOMERNAME', customer_name: 'CUSTOMERNAME',
    product_id: 'PRODUCTCODE', quantity: 'QUANTITYORDERED', unit_price: 'PRICEEACH', category: 'PRODUCTLINE',
  },
};

/** The columns of classic-cars without some. */
function columnsWithout(...names: string[]): Record<string, string> {
  return Object.fromEntries(Object.entries(classicCars.columns!).filter(([column]) => !names.includes(column)));
}

/** The profile with some fields replaced (undefined removes one). */
function changed(changes: Record<string, unknown>, base: SourceProfile = classicCars): unknown {
  const copy: Record<string, unknown> = structuredClone(base) as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) delete copy[key];
    else copy[key] = value;
  }
  return copy;
}

describe('the source profiles in sources/', () => {
  it('are there: one example per kind of export the fixtures hold', () => {
    expect(profileFiles).toEqual(['classic-cars.json', 'eu-spreadsheet.json', 'mock-export.json', 'shop-orders.json', 'uk-online-retail.json']);
  });

  for (const file of profileFiles) {
    it(`${file} is valid: the schema, and the rules the schema cannot say`, () => {
      const profile = readSourceProfile(join(sourcesDir, file));
      expect(`${profile.name}.json`).toBe(file);
    });
  }
});

describe('the profile schema', () => {
  const schema = sourceProfileSchema as {
    properties: { name: { pattern: string }; columns: { properties: Record<string, unknown>; required: string[] }; order_level: { items: { enum: string[] } } };
  };

  it("names exactly the contract's input columns, and requires its required ones", () => {
    expect(Object.keys(schema.properties.columns.properties)).toEqual([...inputColumns]);
    expect(schema.properties.columns.required).toEqual([...requiredColumns]);
    expect(schema.properties.order_level.items.enum.every((column) => inputColumns.includes(column))).toBe(true);
  });

  it('allows the names the upload prefix raw/<name>/ and the trigger allow', () => {
    const schemaName = new RegExp(schema.properties.name.pattern);
    for (const name of ['classic-cars', 'uk2', '2024', 'a', 'shop-orders-de']) {
      expect(schemaName.test(name) && SOURCE_NAME_PATTERN.test(name), name).toBe(true);
    }
    for (const name of ['Classic', 'shop_orders', '-x', 'a/b', 'über', '']) {
      expect(profileProblems(changed({ name })), name).not.toEqual([]);
      expect(SOURCE_NAME_PATTERN.test(name), name).toBe(false);
    }
  });

  it('accepts the profile of the issue, a profile with only a name, and every format option', () => {
    expect(profileProblems(classicCars)).toEqual([]);
    expect(profileProblems({ name: 'contract-headers' })).toEqual([]);
    for (const delimiter of [',', ';', '\t', '|']) expect(profileProblems(changed({ format: { delimiter } }))).toEqual([]);
    for (const encoding of ['utf-8', 'utf-16', 'windows-1252', 'iso-8859-1']) expect(profileProblems(changed({ format: { encoding } }))).toEqual([]);
    for (const line_key of ['line_id', 'product', 'product_occurrence']) expect(profileProblems(changed({ line_key }))).toEqual([]);
    expect(profileProblems(changed({ format: { decimal_separator: ',' }, order_level: ['customer_id', 'country'], columns: { ...classicCars.columns, country: 'COUNTRY' } }))).toEqual([]);
  });

  it('rejects what the format does not allow, naming the field', () => {
    expect(profileProblems(changed({ format: { delimiter: ':' } }))).toEqual([expect.stringMatching(/^\/format\/delimiter: must be equal to one of the allowed values/)]);
    expect(profileProblems(changed({ format: { encoding: 'latin1' } }))).toEqual([expect.stringMatching(/^\/format\/encoding/)]);
    expect(profileProblems(changed({ format: { date_formats: [] } }))).toEqual([expect.stringMatching(/^\/format\/date_formats/)]);
    expect(profileProblems(changed({ line_key: 'order_line' }))).toEqual([expect.stringMatching(/^\/line_key/)]);
    expect(profileProblems(changed({ comment: 'x' }))).toEqual([expect.stringContaining('must NOT have additional properties "comment"')]);
    expect(profileProblems(changed({ columns: { ...classicCars.columns, total_amount: 'SALES' } }))).toEqual([expect.stringContaining('"total_amount"')]);
    expect(profileProblems(changed({ columns: { ...classicCars.columns, city: '  ' } }))).toEqual([expect.stringMatching(/^\/columns\/city/)]);
    expect(profileProblems(changed({ order_level: ['quantity'] }))).toEqual([expect.stringMatching(/^\/order_level\/0/)]);
  });
});

describe('the profile rules the schema cannot say', () => {
  it('a required contract column left unmapped makes the profile invalid', () => {
    expect(profileProblems(changed({ columns: columnsWithout('unit_price', 'quantity') }))).toEqual([expect.stringMatching(/^\/columns: must have required property '(quantity|unit_price)'$/), expect.any(String)]);
  });

  it('line_key line_id needs line_id mapped', () => {
    const columns = columnsWithout('line_id');
    expect(profileProblems(changed({ columns }))).toEqual([expect.stringContaining('/line_key: "line_id" needs columns.line_id')]);
    expect(profileProblems(changed({ columns, line_key: 'product' }))).toEqual([]);
  });

  it('order_level names columns the profile maps', () => {
    expect(profileProblems(changed({ order_level: ['customer_id', 'country'] }))).toEqual([expect.stringContaining('/order_level: "country" is not mapped in columns')]);
  });

  it("the name is the file's name", () => {
    expect(profileProblems(classicCars, { fileName: 'classic-cars.json' })).toEqual([]);
    expect(profileProblems(classicCars, { fileName: 'cars.json' })).toEqual([expect.stringContaining('/name: "classic-cars" differs from the file name cars.json')]);
  });

  it('date formats are Spark patterns that name a calendar date', () => {
    expect(profileProblems(changed({ format: { date_formats: ['M/d/yyyy H:mm', 'dd.MM.yy', "yyyy-MM-dd'T'HH:mm:ssXXX"] } }))).toEqual([]);
    expect(profileProblems(changed({ format: { date_formats: ['M/d/yyyy', 'YYYY-MM-dd'] } }))).toEqual([
      expect.stringMatching(/^\/format\/date_formats\/1: "Y" is not supported by Spark 3's datetime parser/),
      expect.stringMatching(/^\/format\/date_formats\/1: "YYYY-MM-dd" does not name a calendar date/),
    ]);
    expect(profileProblems(changed({ format: { date_formats: ['HH:mm'] } }))).toEqual([expect.stringContaining('does not name a calendar date')]);
    expect(profileProblems(changed({ format: { date_formats: ["yyyy-MM-dd'T"] } }))).toEqual([expect.stringContaining('unterminated quote')]);
  });
});

describe('readSourceProfile', () => {
  it('names the file and every problem of an invalid profile', () => {
    const dir = mkdtempSync(join(tmpdir(), 'profile-'));
    try {
      const file = join(dir, 'cars.json');
      writeFileSync(file, JSON.stringify({ ...classicCars, columns: columnsWithout('line_id') }));
      expect(() => readSourceProfile(file)).toThrow(new RegExp(`${file} is not a valid source profile:\n {2}/name: "classic-cars" differs from the file name cars.json.*\n {2}/line_key: "line_id" needs columns.line_id`));
      writeFileSync(file, '{"name": "cars",');
      expect(() => readSourceProfile(file)).toThrow(`${file} is not a JSON file`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
