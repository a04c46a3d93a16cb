import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { detectEncoding } from '../../profiles/detect-encoding.js';
import { readFileSample } from '../../profiles/file-sample.js';
import { decimalSeparatorOf } from '../../profiles/infer-decimal-separator.js';
import { inferProfile, UnmatchedRequiredColumnsError, type InferenceDecision } from '../../profiles/infer-profile.js';
import { normaliseHeader } from '../../profiles/match-headers.js';
import { readSourceProfile } from '../../profiles/source-profile.js';
import { projectRoot } from '../../stage/python-env.js';

const exportsDir = join(projectRoot, 'test', 'fixtures', 'exports');
const fixtures = readdirSync(exportsDir).filter((file) => /\.csv(\.gz)?$/.test(file)).sort();
const scratch = mkdtempSync(join(tmpdir(), 'infer-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const sourceName = (file: string) => file.replace(/\.csv(\.gz)?$/, '');

async function infer(path: string, options: { name?: string; overrides?: Record<string, string>; preferDayFirst?: boolean } = {}) {
  return inferProfile({ name: options.name ?? 'test-source', sample: await readFileSample(path), overrides: options.overrides, preferDayFirst: options.preferDayFirst });
}

function decision(decisions: InferenceDecision[], topic: string): InferenceDecision {
  const found = decisions.find((item) => item.topic === topic);
  if (!found) throw new Error(`no decision on ${topic}`);
  return found;
}

function writeCsv(name: string, text: string | Buffer): string {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
}

describe('sources:infer on every export fixture', () => {
  it('has the five kinds of export of the issue', () => {
    expect(fixtures).toEqual(['classic-cars.csv', 'eu-spreadsheet.csv', 'mock-export.csv.gz', 'shop-orders.csv', 'uk-online-retail.csv']);
  });

  for (const file of fixtures) {
    it(`infers exactly sources/${sourceName(file)}.json from ${file}`, async () => {
      const { profile } = await infer(join(exportsDir, file), { name: sourceName(file) });
      expect(profile).toEqual(readSourceProfile(join(projectRoot, 'sources', `${sourceName(file)}.json`)));
    });
  }
});

describe('the decisions and their evidence', () => {
  it('sample-sales export: Windows-1252 by its first non-UTF-8 byte, the customer name as id, month-first dates, line ids', async () => {
    const { decisions } = await infer(join(exportsDir, 'classic-cars.csv'));
    expect(decision(decisions, 'encoding')).toMatchObject({ choice: 'windows-1252', evidence: expect.stringMatching(/not UTF-8: byte 0xE9 at offset \d+ .*Québec/) });
    expect(decision(decisions, 'delimiter').evidence).toMatch(/^"," gives 25 header fields, 56 of 56 data records with as many/);
    expect(decisions.filter((item) => item.topic === 'column').map((item) => item.choice)).toContain('customer_id ← "CUSTOMERNAME"');
    expect(decisions.find((item) => item.choice === 'customer_id ← "CUSTOMERNAME"')?.evidence).toMatch(/no customer id column: the customer's name identifies/);
    expect(decision(decisions, 'ignored').evidence).toContain('"SALES", "STATUS"');
    expect(decision(decisions, 'date format')).toMatchObject({ choice: 'M/d/yyyy H:mm', evidence: expect.stringContaining('month-first: "2/24/2003 0:00" has a day above 12') });
    expect(decision(decisions, 'date format').warning).toBeUndefined();
  });

  it('UK online retail: two-digit years, and product_occurrence from a product on two lines of one invoice', async () => {
    const { decisions } = await infer(join(exportsDir, 'uk-online-retail.csv'));
    expect(decision(decisions, 'date format').choice).toBe('M/d/yy H:mm');
    expect(decision(decisions, 'line key')).toMatchObject({ choice: 'product_occurrence', evidence: expect.stringContaining('order 536378 lists product 21212 on 2 lines') });
    expect(decision(decisions, 'delimiter').evidence).toContain('65 of 66 data records');
  });

  it('European spreadsheet: ";", decimal comma, day-first dates, umlauts and typographic quotes decoded', async () => {
    const sample = await readFileSample(join(exportsDir, 'eu-spreadsheet.csv'));
    const { text } = detectEncoding(sample.bytes, { complete: true });
    expect(text).toContain('Kühlschrank-Magnet „Edelweiß“;');
    expect(text).toContain('Gutschein 25 €;');
    const { decisions } = await infer(join(exportsDir, 'eu-spreadsheet.csv'));
    expect(decision(decisions, 'encoding').evidence).toContain('in 0x80-0x9F, which only Windows-1252 reads as characters');
    expect(decision(decisions, 'decimal separator')).toMatchObject({ choice: '","', evidence: expect.stringContaining('1 read the other way (e.g. Einzelpreis "19.99")') });
    expect(decision(decisions, 'date format').evidence).toContain('1 value(s) no pattern reads, rejected as invalid_date: "31.02.2024"');
  });

  it('shop orders: the order number "Name", the e-mail as customer id, order-level columns, dates with an offset', async () => {
    const { decisions } = await infer(join(exportsDir, 'shop-orders.csv'));
    expect(decisions.find((item) => item.choice === 'order_id ← "Name"')?.evidence).toContain('"lineitemquantity"');
    expect(decision(decisions, 'date format').choice).toBe('yyyy-MM-dd HH:mm:ss Z');
    expect(decision(decisions, 'order level').evidence).toMatch(/^order_date \("Created at"\) is blank on 13 later line\(s\) of 8 order\(s\)/);
    expect(decision(decisions, 'sample').choice).toBe('23 data records');
  });

  it('a gzip file is read through its compression, whatever its name', async () => {
    const sample = await readFileSample(join(exportsDir, 'mock-export.csv.gz'));
    expect(sample).toMatchObject({ gzip: true, complete: true });
    const renamed = writeCsv('no-suffix.csv', readFileSync(join(exportsDir, 'mock-export.csv.gz')));
    const { decisions } = await infer(renamed);
    expect(decision(decisions, 'sample').evidence).toBe('the whole file, gzip-compressed');
    await expect(readFileSample(writeCsv('corrupt.csv.gz', readFileSync(join(exportsDir, 'mock-export.csv.gz')).subarray(0, 200)))).rejects.toThrow(/starts like a gzip file but cannot be decompressed/);
  });
});

describe('inference rules', () => {
  it('reports day-first against month-first as ambiguous when no value decides, and lets --dates decide', async () => {
    const path = writeCsv('ambiguous.csv', 'Order ID,Date,Customer ID,SKU,Qty,Price\n1,01/02/2024,c1,p1,1,2.00\n2,03/04/2024,c2,p2,1,2.00\n');
    const guessed = decision((await infer(path)).decisions, 'date format');
    expect(guessed.choice).toBe('MM/dd/yyyy');
    expect(guessed.warning).toMatch(/no sampled date has a number above 12 .* chose month-first \(the custom for "\/"\)/);
    const told = decision((await infer(path, { preferDayFirst: true })).decisions, 'date format');
    expect(told).toMatchObject({ choice: 'dd/MM/yyyy', warning: expect.stringContaining('as --dates said') });
  });

  it('takes a date pattern the user names when no candidate reads the dates, and says how many values it reads', async () => {
    const path = writeCsv('odd-dates.csv', 'order_id,order_date,customer_id,product_id,quantity,unit_price\n1,2024|03|05,c,p,1,1\n2,2024|3|6,c,p,1,1\n');
    await expect(infer(path)).rejects.toThrow(/no candidate pattern reads the dates of "order_date" .*name its Spark datetime pattern with --date-format PATTERN/);
    const { profile, decisions } = await inferProfile({ name: 'odd', sample: await readFileSample(path), dateFormat: 'yyyy|MM|dd' });
    expect(profile.format?.date_formats).toEqual(['yyyy|MM|dd']);
    expect(decision(decisions, 'date format').evidence).toBe('given with --date-format; "order_date": it reads 1 of the 2 distinct sampled values; not "2024|3|6", rejected as invalid_date');
  });

  it('prefers the pattern that documents the values: unpadded days need d, padded ones keep dd', async () => {
    const unpadded = writeCsv('unpadded.csv', 'order,date,customer,sku,qty,price\n1,5.3.2024,c,p,1,1\n2,15.03.2024,c,p,1,1\n');
    expect((await infer(unpadded)).profile.format?.date_formats).toEqual(['d.M.yyyy']);
  });

  it('exits with the candidates when a required column matches no header, and --map resolves it', async () => {
    const path = writeCsv('unknown.csv', 'Ref,Datum,Kunde,Artikel,Stk,Betrag\nR1,05.03.2024,Anna,A-1,2,"3,50"\n');
    const error = await infer(path).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UnmatchedRequiredColumnsError);
    expect((error as UnmatchedRequiredColumnsError).unmatched.map((item) => item.column)).toEqual(['order_id', 'product_id', 'quantity', 'unit_price']);
    expect((error as Error).message).toMatch(/^required column order_id matches no header; candidates: "Ref", /m);
    expect((error as Error).message).toContain('name the header with --map order_id=HEADER');
    const { profile } = await infer(path, { overrides: { order_id: 'Ref', product_id: 'artikel', quantity: 'STK', unit_price: 'Betrag' } });
    expect(profile.columns).toEqual({ order_id: 'Ref', order_date: 'Datum', customer_id: 'Kunde', customer_name: 'Kunde', product_id: 'Artikel', quantity: 'Stk', unit_price: 'Betrag' });
  });

  it('samples the first records of a long file and says so', async () => {
    const rows = Array.from({ length: 30 }, (_, index) => `${index},2024-03-0${(index % 9) + 1},c${index},p,1,2.50`);
    const path = writeCsv('long.csv', `order_id,order_date,customer_id,product_id,quantity,unit_price\n${rows.join('\n')}\n`);
    const { decisions } = await inferProfile({ name: 'long', sample: await readFileSample(path), maxRecords: 10 });
    expect(decision(decisions, 'sample')).toEqual({ topic: 'sample', choice: '10 data records', evidence: 'the first 10 records of the file (--sample-rows)' });
    expect(decision((await infer(path)).decisions, 'sample').evidence).toBe('the whole file');
  });

  it('reads byte order marks and refuses text with NUL bytes', () => {
    expect(detectEncoding(Buffer.from([0xef, 0xbb, 0xbf, 0x61]), { complete: true })).toMatchObject({ encoding: 'utf-8', text: 'a' });
    expect(detectEncoding(Buffer.from([0xff, 0xfe, 0x61, 0x00, 0xfc, 0x00]), { complete: true })).toMatchObject({ encoding: 'utf-16', text: 'aü' });
    expect(detectEncoding(Buffer.from([0xfe, 0xff, 0x00, 0x61]), { complete: true })).toMatchObject({ encoding: 'utf-16', text: 'a' });
    expect(() => detectEncoding(Buffer.from([0x61, 0x00, 0x62, 0x00]), { complete: true })).toThrow(/byte 1 is NUL/);
    // A partial sample that ends inside a multi-byte character is still UTF-8.
    expect(detectEncoding(Buffer.from('aé', 'utf8').subarray(0, 2), { complete: false }).encoding).toBe('utf-8');
    expect(detectEncoding(Buffer.from('aé', 'utf8').subarray(0, 2), { complete: true }).encoding).toBe('windows-1252');
  });

  it('tells the decimal separator from the last separator, and leaves "1,299" undecided', () => {
    expect(['19.99', '1,299.00', '$1,299.5', '1.299,00', '19,99', '1.234.567', '1,299', '12', '0,5%'].map(decimalSeparatorOf))
      .toEqual(['.', '.', '.', ',', ',', ',', undefined, undefined, ',']);
  });

  it('normalises headers to letters and digits, without notes in brackets, accents or a currency code', () => {
    expect(['Order ID', 'ORDER_ID', 'Unit Price (EUR)', 'Stückpreis', 'price_usd', 'Preis in EUR', 'Straße'].map(normaliseHeader))
      .toEqual(['orderid', 'orderid', 'unitprice', 'stuckpreis', 'price', 'preis', 'strasse']);
  });
});

describe('npm run sources:infer', () => {
  const run = (args: string[]) => spawnSync(join(projectRoot, 'node_modules', '.bin', 'tsx'), [join(projectRoot, 'scripts', 'infer-source.ts'), ...args], { cwd: projectRoot, encoding: 'utf8' });

  it('writes DIR/NAME.json, prints each decision with its evidence, and refuses to overwrite without --force', () => {
    const out = join(scratch, 'sources');
    const first = run(['--input', join(exportsDir, 'uk-online-retail.csv'), '--name', 'uk-online-retail', '--out', out]);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/line key +product_occurrence\n +order 536378 lists product 21212/);
    expect(readFileSync(join(out, 'uk-online-retail.json'), 'utf8')).toBe(readFileSync(join(projectRoot, 'sources', 'uk-online-retail.json'), 'utf8'));
    const again = run(['--input', join(exportsDir, 'uk-online-retail.csv'), '--name', 'uk-online-retail', '--out', out]);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('exists: review or remove it, or pass --force');
  });

  it('exits non-zero naming the candidates when a required column matches nothing, and writes nothing', () => {
    const out = join(scratch, 'none');
    const result = run(['--input', writeCsv('refs.csv', 'Ref,Date,Customer ID,SKU,Qty,Amount\nR1,2024-03-05,c1,p1,1,2.00\n'), '--name', 'refs', '--out', out]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('required column order_id matches no header; candidates: "Ref", "Amount"');
    expect(result.stderr).toContain('required column unit_price matches no header; candidates: "Amount", "Ref"');
    expect(result.stderr).toContain('nothing written');
    expect(() => readdirSync(out)).toThrow();
  });

  it('rejects a name that cannot be a profile name', () => {
    const result = run(['--input', join(exportsDir, 'shop-orders.csv'), '--name', 'Shop_Orders']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--name "Shop_Orders" is not a profile name');
  });
});

it('is what gzipSync writes too (no name-based detection)', async () => {
  const path = writeCsv('plain.bin', gzipSync('order_id,order_date,customer_id,product_id,quantity,unit_price\n1,2024-03-05,c,p,1,1.50\n'));
  expect((await infer(path)).profile.columns?.order_id).toBe('order_id');
});
