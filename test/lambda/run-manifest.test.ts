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

  it('accepts the manifest the job writes for a failed run, with an unknown source size and time', () => {
    const failed = { ...succeeded, status: 'failed', error: 'boom', counts: undefined, outputs: undefined, source: { ...succeeded.source, size: null, modified_at: null } };
    expect(parseRunManifest(JSON.stringify(failed), 'r1')).toMatchObject({ status: 'failed', source: { size: null, modified_at: null } });
  });

  it('rejects, whatever the status, a field the audit row is built from that has the wrong type (found by the property tests)', () => {
    const failed = { ...succeeded, status: 'failed', error: 'boom', counts: null };
    for (const [damage, problem] of [
      [{ outputs: [] }, 'outputs.clean is not a list of {uri, size}'],
      [{ source: { ...succeeded.source, version: 5 } }, 'source.version is neither a string nor null'],
      [{ error: { text: 'boom' } }, 'error is not a string'],
      [{ counts: { rows_read: 'many' } }, 'counts.rows_read is not an integer'],
    ] as const) {
      expect(() => parseRunManifest(JSON.stringify({ ...failed, ...damage }), 'r1'), problem).toThrow(problem);
    }
  });

  it('rejects text that is not JSON', () => {
    expect(() => parseRunManifest('{', 'r1')).toThrow(/manifest of run r1 is not JSON/);
  });
});
