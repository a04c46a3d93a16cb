import { describe, expect, it } from 'vitest';
import { InvalidManifestError, parseRunManifest } from '../../lambda/loader/run-manifest.js';
import { failedManifest, rejectedFileManifest, succeededManifest } from '../lambda/run-manifests.js';

const succeeded = succeededManifest({ runId: 'r1', bucket: 'b' });

describe('parseRunManifest', () => {
  it('accepts a manifest that follows the contract', () => {
    expect(parseRunManifest(JSON.stringify(succeeded), 'r1')).toMatchObject({ run_id: 'r1', status: 'succeeded', counts: succeeded.counts });
  });

  it('accepts a rejected file, which has no counts and no COPY manifests', () => {
    const rejected = rejectedFileManifest({ runId: 'r1', reason: 'empty_file' });
    expect(parseRunManifest(JSON.stringify(rejected), 'r1')).toMatchObject({ status: 'rejected_file', reason: 'empty_file' });
  });

  it('reads the source profile of a run cleaned with one, and refuses one without a name', () => {
    const profiled = { ...succeeded, source_profile: { name: 'classic-cars', digest: `sha256:${'a'.repeat(64)}` } };
    expect(parseRunManifest(JSON.stringify(profiled), 'r1').source_profile).toEqual(profiled.source_profile);
    expect(() => parseRunManifest(JSON.stringify({ ...succeeded, source_profile: { digest: null } }), 'r1')).toThrow(/source_profile must have required property 'name'/);
  });

  it('gives a failed run without outputs empty output lists', () => {
    const failed = failedManifest({ runId: 'r1', error: 'boom' });
    expect(parseRunManifest(JSON.stringify(failed), 'r1').outputs).toEqual({ clean: [], rejected: [] });
  });

  it('lists every way a manifest breaks the contract', () => {
    const broken = { ...succeeded, run_id: 'other', counts: { ...succeeded.counts, rows_clean: '2' }, copy_manifests: { clean: 'manifests/x.json' } };
    expect(() => parseRunManifest(JSON.stringify(broken), 'r1')).toThrow(InvalidManifestError);
    expect(() => parseRunManifest(JSON.stringify(broken), 'r1')).toThrow(
      /counts\.rows_clean must be integer; copy_manifests must have required property 'rejected'; run_id is "other", expected "r1"; copy_manifests\.clean is not an s3:\/\/ URI; copy_manifests\.rejected is not an s3:\/\/ URI/,
    );
  });

  it('refuses a field the contract does not know, as the job never writes one', () => {
    expect(() => parseRunManifest(JSON.stringify({ ...succeeded, surprise: 1 }), 'r1')).toThrow(/must NOT have unevaluated properties \(surprise\)/);
  });

  it('accepts the manifest the job writes for a failed run, with an unknown source size and time', () => {
    const base = failedManifest({ runId: 'r1', error: 'boom' });
    const failed = { ...base, source: { ...base.source, size: null, modified_at: null } };
    expect(parseRunManifest(JSON.stringify(failed), 'r1')).toMatchObject({ status: 'failed', source: { size: null, modified_at: null } });
  });

  it('rejects, whatever the status, a field the audit row is built from that has the wrong type (found by the property tests)', () => {
    const failed = failedManifest({ runId: 'r1', error: 'boom' });
    const rejected = rejectedFileManifest({ runId: 'r1', reason: 'empty_file' });
    for (const [manifest, problem] of [
      [{ ...rejected, outputs: [] }, /outputs must be object/],
      [{ ...failed, source: { ...failed.source, version: 5 } }, /source\.version must be string,null/],
      [{ ...failed, error: { text: 'boom' } }, /error must be string/],
      [{ ...succeeded, counts: { ...succeeded.counts, rows_read: 'many' } }, /counts\.rows_read must be integer/],
    ] as const) {
      expect(() => parseRunManifest(JSON.stringify(manifest), 'r1'), String(problem)).toThrow(problem);
    }
  });

  it('rejects text that is not JSON', () => {
    expect(() => parseRunManifest('{', 'r1')).toThrow(/manifest of run r1 is not JSON/);
  });
});
