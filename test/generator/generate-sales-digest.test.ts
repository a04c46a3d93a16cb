import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateSales, type GenerateOptions } from '../../generator/generate-sales.js';

const folders: string[] = [];

/** SHA-256 of every file one seeded run writes, by file name. */
function digests(options: Omit<GenerateOptions, 'out'>): Record<string, string> {
  const folder = mkdtempSync(join(tmpdir(), 'generate-digest-'));
  folders.push(folder);
  generateSales({ ...options, out: join(folder, 'sales_data.csv') });
  return Object.fromEntries(readdirSync(folder).sort().map((name) => [name, createHash('sha256').update(readFileSync(join(folder, name))).digest('hex')]));
}

// The generator is the job's test oracle: a speed-up or refactoring must not change a byte of its
// output. When a change to the data is intended, say so in the commit and pin the new digests.
describe('generateSales output', () => {
  afterAll(() => {
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });

  it('writes the pinned bytes for a seeded run with the default options', () => {
    expect(digests({ rows: 2_000, seed: 42 })).toEqual({
      'sales_data.csv': '832418d54787cdcb219eb674ada913017af3c29ebf842bf489db77ab62804ca8',
      'sales_data.truth.clean.jsonl': '2093b6b1457b6d9ac66917caafee2b1ed5b6516e3da8ebe15b76a019708ef1f1',
      'sales_data.truth.json': '18b6869a115ac28a02d452f3d5acfb442b0aec04454b589aec798f1a2d30f15e',
      'sales_data.truth.rejected.jsonl': 'df61f32c20c15aee4b51384ebec66762d20c145762e2f2d6411bff29e9838acf',
    });
  });

  it('writes the pinned bytes for a seeded run with line ids, a BOM, CRLF and much dirt', () => {
    expect(digests({ rows: 2_000, seed: 7, lineId: 'yes', bom: 'yes', lineEnding: 'crlf', dirtyRate: 0.3 })).toEqual({
      'sales_data.csv': '19a46cb2a698bca4ee4020d63604b8c7eb1587a976a6370b16d91fd85eca6d2f',
      'sales_data.truth.clean.jsonl': '5b7b37573e7fb0386bd898cb7c862d488e067ed33785ea3845eaa3e087c344d0',
      'sales_data.truth.json': 'd5b235b9efc0550e7b873013d88f9fbb55a7cc14a4a5362580bcff5d5447687d',
      'sales_data.truth.rejected.jsonl': '1a8754811ceccb08b103bb5b4dc0f5e79061cd542ef4e3896a9c3cd2f1db37e1',
    });
  });
});
