import { describe, expect, it } from 'vitest';
import { deriveReprocessRunId, deriveRunId, RUN_ID_PATTERN } from '../../contract/run-id.js';

const object = { bucket: 'sales-data', key: 'raw/2024/sales_data.csv', version: 'v1' };

describe('deriveRunId', () => {
  it('gives the same id for every delivery of one object version', () => {
    expect(deriveRunId(object)).toBe(deriveRunId({ ...object }));
  });

  it('starts with the file name and ends with a short hash', () => {
    expect(deriveRunId(object)).toMatch(/^sales_data-[0-9a-f]{16}$/);
  });

  it('gives different ids to different versions, keys and buckets', () => {
    const ids = new Set([
      deriveRunId(object),
      deriveRunId({ ...object, version: 'v2' }),
      deriveRunId({ ...object, key: 'raw/2025/sales_data.csv' }),
      deriveRunId({ ...object, bucket: 'other-bucket' }),
    ]);
    expect(ids.size).toBe(4);
  });

  it('keeps to the alphabet and length of an S3 path segment and a Glue argument', () => {
    const awkward = ['raw/Ventes été (copie) #2.csv', `raw/${'x'.repeat(900)}.csv`, 'raw/.csv', 'raw/日本語.csv', 'raw/--..--.csv'];
    for (const key of awkward) expect(deriveRunId({ ...object, key })).toMatch(RUN_ID_PATTERN);
    expect(deriveRunId({ ...object, key: 'raw/Ventes été (copie).csv' })).toMatch(/^Ventes_ete_copie-[0-9a-f]{16}$/);
  });
});

describe('deriveReprocessRunId', () => {
  it('gives a reprocess of an object version an id of the same form, other than the version\'s own and other than earlier reprocesses\'', () => {
    const first = deriveReprocessRunId(object, new Date('2026-01-02T10:00:00Z'));
    const second = deriveReprocessRunId(object, new Date('2026-01-02T10:00:01Z'));
    expect(first).toMatch(/^sales_data-[0-9a-f]{16}$/);
    expect(first).toMatch(RUN_ID_PATTERN);
    expect(new Set([deriveRunId(object), first, second]).size).toBe(3);
    expect(deriveReprocessRunId(object, new Date('2026-01-02T10:00:00Z'))).toBe(first);
  });
});
