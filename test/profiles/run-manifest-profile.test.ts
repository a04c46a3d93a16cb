// What the job side writes into the run manifest for source profiles (glue/sales_cleaning/run-manifest.schema.json):
// source_profile {name, digest} on every status, and the reasons a profile can reject a file whole.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../stage/python-env.js';

const schema = JSON.parse(readFileSync(join(projectRoot, 'glue', 'sales_cleaning', 'run-manifest.schema.json'), 'utf8')) as object;
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);

const base = {
  run_id: 'classic-cars-0123456789abcdef',
  source: { uri: 's3://data/raw/classic-cars/sales.csv', version: 'v1', size: 100, modified_at: '2026-12-01T10:00:00Z' },
  started_at: '2026-12-01T10:00:01Z',
  ended_at: '2026-12-01T10:00:30Z',
  run_date: '2026-12-01',
};
const rejected = (reason: string, sourceProfile?: unknown) => ({
  ...base, status: 'rejected_file', reason, counts: null, outputs: { clean: [], rejected: [] }, ...(sourceProfile ? { source_profile: sourceProfile } : {}),
});
const digest = `sha256:${'ab'.repeat(32)}`;

describe('the run manifest schema and source profiles', () => {
  it('accepts the profile name and digest, and a null digest for a profile that could not be read', () => {
    expect(validate(rejected('profile_column_not_found:PRICEEACH', { name: 'classic-cars', digest })), JSON.stringify(validate.errors)).toBe(true);
    expect(validate(rejected('profile_not_found:classic-cars', { name: 'classic-cars', digest: null }))).toBe(true);
    expect(validate(rejected('missing_required_columns:order_id'))).toBe(true);
    expect(validate({ ...rejected('invalid_profile:classic-cars', { name: 'classic-cars', digest }), detail: "/columns: must have required property 'quantity'" })).toBe(true);
  });

  it('accepts the reasons a profile or a compressed file rejects a file with, and no other', () => {
    for (const reason of ['corrupt_gzip', 'invalid_profile:classic-cars', 'profile_not_found:uk-online-retail', 'profile_column_not_found:Unit Price (EUR)']) {
      expect(validate(rejected(reason, { name: 'classic-cars', digest })), reason).toBe(true);
    }
    for (const reason of ['profile_not_found', 'invalid_profile:Classic_Cars', 'gzip_broken']) expect(validate(rejected(reason)), reason).toBe(false);
  });

  it('refuses a profile without digest, with another field, or with a name that is not a profile name', () => {
    expect(validate(rejected('corrupt_gzip', { name: 'classic-cars' }))).toBe(false);
    expect(validate(rejected('corrupt_gzip', { name: 'classic-cars', digest, uri: 's3://x' }))).toBe(false);
    expect(validate(rejected('corrupt_gzip', { name: 'Classic Cars', digest }))).toBe(false);
    expect(validate(rejected('corrupt_gzip', { name: 'classic-cars', digest: 'md5:abc' }))).toBe(false);
  });
});
