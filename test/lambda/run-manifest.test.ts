import { describe, expect, it } from 'vitest';
import { InvalidManifestError, parseRunManifest } from '../../lambda/loader/run-manifest.js';

const succeeded = {
  run_id: 'r1',
  source: { uri: 's3://b/raw/a.csv', version: 'v1', size: 10, modified_at: '2024-03-05T10:00:00Z' },
  started_at: '2024-03-05T10:01:00Z',
  ended_at: '2024-03-05T10:02:00Z',
  status: 'succeeded',
  counts: { rows_read: 3, rows_clean: 2, rows_rejected: 1, duplicates_dropped: 0, blank_lines: 1 },
  outputs: { clean: [{ uri: 's3://b/cleaned/x.parquet', size: 5 }], rejected: [] },
  copy_manifests: { clean: 's3://b/manifests/r1.clean.copy.json', rejected: 's3://b/manifests/r1.rejected.copy.json' },
  checks: [],
};

describe('parseRunManifest', () => {
  it('accepts a manifest that follows the contract', () => {
    expect(parseRunManifest(JSON.stringify(succeeded), 'r1')).toMatchObject({ run_id: 'r1', status: 'succeeded', counts: succeeded.counts });
  });

  it('accepts a rejected file, which has no counts and no COPY manifests', () => {
    const rejected = { ...succeeded, status: 'rejected_file', reason: 'empty_file', counts: null, copy_manifests: undefined };
    expect(parseRunManifest(JSON.stringify(rejected), 'r1')).toMatchObject({ status: 'rejected_file', reason: 'empty_file' });
  });

  it('reads the source profile of a run cleaned with one, and refuses one without a name', () => {
    const profiled = { ...succeeded, source_profile: { name: 'classic-cars', digest: `sha256:${'a'.repeat(64)}` } };
    expect(parseRunManifest(JSON.stringify(profiled), 'r1').source_profile).toEqual(profiled.source_profile);
    expect(() => parseRunManifest(JSON.stringify({ ...succeeded, source_profile: { digest: null } }), 'r1')).toThrow(/source_profile\.name is missing/);
  });

  it('gives a failed run without outputs empty output lists', () => {
    const failed = { ...succeeded, status: 'failed', error: 'boom', outputs: undefined };
    expect(parseRunManifest(JSON.stringify(failed), 'r1').outputs).toEqual({ clean: [], rejected: [] });
  });

  it('lists every way a manifest breaks the contract', () => {
    const broken = { ...succeeded, run_id: 'other', counts: { ...succeeded.counts, rows_clean: '2' }, copy_manifests: { clean: 'manifests/x.json' } };
    expect(() => parseRunManifest(JSON.stringify(broken), 'r1')).toThrow(InvalidManifestError);
    expect(() => parseRunManifest(JSON.stringify(broken), 'r1')).toThrow(
      /run_id is "other", expected "r1"; counts.rows_clean is not an integer; copy_manifests.clean is not an s3:\/\/ URI; copy_manifests.rejected is not an s3:\/\/ URI/,
    );
  });

  it('rejects text that is not JSON', () => {
    expect(() => parseRunManifest('{', 'r1')).toThrow(/manifest of run r1 is not JSON/);
  });
});
