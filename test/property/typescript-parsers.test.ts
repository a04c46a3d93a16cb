// Bad input at volume: property-based tests of the TypeScript parsers that take input from outside
// (S3 notifications, Glue state events, the emulator's SQL tokenizer, the run manifest). Each property
// runs a fixed number of generated cases, chosen so the file runs in a few seconds; the total is printed.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { InvalidGlueEventError, parseGlueJobStateChange } from '../../lambda/loader/glue-state-change.js';
import { InvalidManifestError, parseRunManifest, type OutputObject, type RunManifest } from '../../lambda/loader/run-manifest.js';
import { InvalidS3NotificationError, parseS3Notification } from '../../lambda/trigger/s3-notification.js';
import { bindNamedParameters } from '../../emulator/redshift/sql-parameters.js';
import { significant, SqlSyntaxError, stringValue, tokenize } from '../../emulator/redshift/sql-tokens.js';
import { sqlString } from '../../warehouse/sql-literal.js';
import { succeededManifest } from '../lambda/run-manifests.js';

let generatedCases = 0;

/** Runs a property with `numRuns` generated cases and counts them. */
function check<T>(arbitrary: fc.Arbitrary<T>, predicate: (value: T) => void, numRuns: number): void {
  fc.assert(fc.property(arbitrary, predicate), { numRuns });
  generatedCases += numRuns;
}

/** Either the parser's own typed error or a value: any other exception is a crash. */
function outcome<T>(parse: () => T, ownError: new (...args: never[]) => Error): { value?: T; error?: Error } {
  try {
    return { value: parse() };
  } catch (error) {
    if (error instanceof ownError) return { error };
    throw error;
  }
}

afterAll(() => console.log(`property tests: ${generatedCases} generated cases`));

/** Any text: JSON-looking or not, any code point. */
const anyText = fc.oneof(fc.string({ unit: 'binary' }), fc.json(), fc.jsonValue().map((value) => JSON.stringify(value)));
/** Keys as S3 allows them: 1 to 1024 bytes of UTF-8, any character. */
const s3Key = fc.string({ unit: 'binary', minLength: 1, maxLength: 200 });
const bucketName = fc.stringMatching(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/);

/** A key URL-encoded as S3 writes it in a notification: form encoding, `+` for a space, `/` kept. */
function formEncoded(key: string): string {
  return encodeURIComponent(key).replace(/%20/g, '+').replace(/%2F/g, '/');
}

/** Every byte percent-encoded, which a decoder must read the same way. */
function fullyEncoded(key: string): string {
  return [...new TextEncoder().encode(key)].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join('');
}

function notificationBody(records: unknown[]): string {
  return JSON.stringify({ Records: records });
}

function createdRecord(object: { bucket: string; encodedKey: string; versionId?: string; eTag?: string; size?: number }) {
  return {
    eventVersion: '2.1', eventSource: 'aws:s3', eventName: 'ObjectCreated:Put',
    s3: { bucket: { name: object.bucket }, object: { key: object.encodedKey, versionId: object.versionId, eTag: object.eTag, size: object.size } },
  };
}

describe('S3 notification parser, on generated input', () => {
  it('answers any text with a notification or InvalidS3NotificationError, never another error', () => {
    check(anyText, (body) => {
      outcome(() => parseS3Notification(body), InvalidS3NotificationError);
    }, 3000);
  });

  it('answers any JSON shaped like a notification, with fields of any type, without crashing', () => {
    const field = fc.oneof(fc.jsonValue(), fc.string(), fc.constantFrom('aws:s3', 'ObjectCreated:Put', 'ObjectRemoved:Delete'));
    const record = fc.record({
      eventSource: field, eventName: field,
      s3: fc.oneof(fc.jsonValue(), fc.record({ bucket: fc.oneof(fc.jsonValue(), fc.record({ name: field })), object: fc.oneof(fc.jsonValue(), fc.dictionary(fc.constantFrom('key', 'versionId', 'eTag', 'size'), field)) })),
    }, { requiredKeys: [] });
    check(fc.array(fc.oneof(record, fc.jsonValue()), { maxLength: 5 }), (records) => {
      const { value } = outcome(() => parseS3Notification(notificationBody(records)), InvalidS3NotificationError);
      if (value?.kind === 'records') {
        for (const created of value.created) {
          expect(typeof created.bucket).toBe('string');
          expect(typeof created.key).toBe('string');
          expect(typeof created.version).toBe('string');
          expect(created.version).not.toBe('');
        }
      }
    }, 3000);
  });

  it('gives back every key, bucket and version exactly, however S3 encoded the key', () => {
    const object = fc.record({
      bucket: bucketName, key: s3Key, versionId: fc.option(fc.string({ minLength: 1 }), { nil: undefined }),
      eTag: fc.stringMatching(/^[0-9a-f]{32}$/), size: fc.nat(), fully: fc.boolean(),
    });
    check(object, ({ bucket, key, versionId, eTag, size, fully }) => {
      const encodedKey = fully ? fullyEncoded(key) : formEncoded(key);
      const parsed = parseS3Notification(notificationBody([createdRecord({ bucket, encodedKey, versionId, eTag, size })]));
      expect(parsed).toEqual({ kind: 'records', created: [{ bucket, key, version: versionId ?? eTag, size }], otherEvents: [] });
    }, 2000);
  });
});

describe('Glue state event parser, on generated input', () => {
  it('answers any JSON value with a state change or InvalidGlueEventError, never another error', () => {
    const eventLike = fc.record({ 'detail-type': fc.oneof(fc.constant('Glue Job State Change'), fc.jsonValue()), detail: fc.oneof(fc.jsonValue(), fc.dictionary(fc.constantFrom('jobName', 'jobRunId', 'state', 'message'), fc.jsonValue())) }, { requiredKeys: [] });
    check(fc.oneof(fc.jsonValue(), eventLike, fc.anything()), (event) => {
      const { value } = outcome(() => parseGlueJobStateChange(event), InvalidGlueEventError);
      if (value) for (const field of [value.jobName, value.jobRunId, value.state, value.message]) expect(typeof field).toBe('string');
    }, 3000);
  });

  it('gives back the job, run, state and message of any well-formed event exactly', () => {
    const detail = fc.record({ jobName: fc.string({ unit: 'binary' }), jobRunId: fc.string({ unit: 'binary' }), state: fc.string({ unit: 'binary' }), message: fc.option(fc.string({ unit: 'binary' }), { nil: undefined }) });
    check(detail, (event) => {
      const parsed = parseGlueJobStateChange(JSON.parse(JSON.stringify({ source: 'aws.glue', 'detail-type': 'Glue Job State Change', detail: event })));
      expect(parsed).toEqual({ ...event, message: event.message ?? '' });
    }, 1000);
  });
});

describe('SQL tokenizer, on generated input', () => {
  const sqlish = fc.oneof(
    fc.string({ unit: 'binary' }),
    fc.array(fc.constantFrom("'", '"', '--', '/*', '*/', '\n', ' ', '$$', '$a$', '$a1$', "E'", '\\', ':', '::', ':name', '1.5e3', '.5', 'SELECT', ',', ';', 'é', '\u00a0', '𝔘'), { maxLength: 30 }).map((parts) => parts.join('')),
  );

  it('loses nothing: any text tokenizes to non-empty tokens that join back to it, or fails with SqlSyntaxError', () => {
    check(sqlish, (sql) => {
      const { value: tokens } = outcome(() => tokenize(sql), SqlSyntaxError);
      if (tokens) {
        expect(tokens.every((token) => token.text.length > 0)).toBe(true);
        expect(tokens.map((token) => token.text).join('')).toBe(sql);
      }
    }, 4000);
  });

  /** The value a literal built by sqlString spells: its quoted parts, joined by the CHR(92) between them. */
  function literalValue(sql: string): string {
    const tokens = significant(tokenize(sql));
    let value = '';
    for (let index = 0; index < tokens.length;) {
      const token = tokens[index]!;
      if (token.kind === 'string') {
        value += stringValue(token);
        index += 1;
      } else if (tokens.slice(index, index + 8).map((part) => part.text.toUpperCase()).join(' ') === '| | CHR ( 92 ) | |') {
        value += '\\';
        index += 8;
      } else throw new Error(`unexpected token ${token.kind} ${JSON.stringify(token.text)} in ${sql}`);
    }
    return value;
  }

  it("reads back every value the warehouse code inlines with sqlString, whatever quotes, comments or colons it holds", () => {
    const value = fc.oneof(fc.string({ unit: 'binary' }), fc.array(fc.constantFrom("'", "''", '\\', '--', '/*', ':id', '$$', '"', 'x'), { maxLength: 12 }).map((parts) => parts.join('')))
      .filter((text) => !text.includes('\u0000'));
    check(value, (text) => {
      const literal = sqlString(text);
      expect(literalValue(literal)).toBe(text);
      // In a statement, nothing inside the literal is taken for a parameter or a comment.
      const head = `SELECT ${literal} AS value -- :not_a_parameter\nFROM t WHERE id = `;
      expect(bindNamedParameters(`${head}:id`, [{ name: 'id', value: '1' }])).toEqual({ text: `${head}$1`, values: ['1'] });
    }, 2000);
  });

  it('reads an E-string and a dollar-quoted string back to the value they spell', () => {
    const tag = fc.stringMatching(/^(?:[A-Za-z_][A-Za-z0-9_]{0,8})?$/);
    check(fc.record({ text: fc.string({ unit: 'binary' }), tag }), ({ text, tag: name }) => {
      const escaped = `E'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\t/g, '\\t').replace(/\r/g, '\\r')}'`;
      expect(tokenize(escaped).map((token) => token.kind)).toEqual(['string']);
      expect(stringValue(tokenize(escaped)[0]!)).toBe(text);
      const delimiter = `$${name}$`;
      fc.pre(!`${text}$`.includes(delimiter));
      const dollar = `${delimiter}${text}${delimiter}`;
      expect(tokenize(dollar).map((token) => token.kind)).toEqual(['string']);
      expect(stringValue(tokenize(dollar)[0]!)).toBe(text);
    }, 2000);
  });
});

describe('run manifest parser, on generated input', () => {
  const uri = fc.tuple(bucketName, fc.string({ minLength: 1 })).map(([bucket, key]) => `s3://${bucket}/${key}`);
  const timestamp = fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((date) => date.toISOString());
  const counts = fc.record({ rows_read: fc.integer({ min: 1, max: 2 ** 31 }), rows_clean: fc.nat(), rows_rejected: fc.nat(), duplicates_dropped: fc.nat(), blank_lines: fc.nat() });
  const outputs = fc.array(fc.record({ uri, size: fc.nat() }), { maxLength: 3 });
  const source = fc.record({ uri, version: fc.option(fc.string()), size: fc.option(fc.nat()), modified_at: fc.option(timestamp) });
  const common = { run_id: fc.constant('run-1'), source, started_at: timestamp, ended_at: timestamp, run_date: timestamp.map((time) => time.slice(0, 10)) };
  const succeeded = succeededManifest({ runId: 'run-1' });
  const reasonCounts = fc.dictionary(fc.constantFrom('invalid_date', 'missing_required:order_id', 'duplicate_order_line'), fc.integer({ min: 1, max: 1000 }));
  const manifest: fc.Arbitrary<RunManifest> = fc.oneof(
    fc.record({
      ...common, status: fc.constant('succeeded' as const), counts, reasons: reasonCounts, outputs: fc.record({ clean: outputs, rejected: outputs }),
      copy_manifests: fc.record({ clean: uri, rejected: uri }), ignored_columns: fc.array(fc.string(), { maxLength: 3 }), has_line_id: fc.boolean(),
      quality: fc.constant(succeeded.quality!), checks: fc.constant(succeeded.checks!), sample_rejections: fc.constant(succeeded.sample_rejections!),
    }),
    fc.record({
      ...common, status: fc.constant('rejected_file' as const), counts: fc.constant(null),
      reason: fc.constantFrom('empty_file', 'not_text', 'malformed_header', 'no_data_rows', 'missing_required_columns:order_id,quantity'),
      outputs: fc.constant({ clean: [] as OutputObject[], rejected: [] as OutputObject[] }),
    }),
    fc.record({ ...common, status: fc.constant('failed' as const), error: fc.string({ minLength: 1, maxLength: 2000 }) }) as fc.Arbitrary<RunManifest>,
  );


  /** What the loader relies on after a successful parse: every field it reads has its declared type. */
  function expectTyped(parsed: RunManifest): void {
    expect(typeof parsed.run_id).toBe('string');
    expect(typeof parsed.source.uri).toBe('string');
    expect(parsed.source.version === null || parsed.source.version === undefined || typeof parsed.source.version === 'string').toBe(true);
    for (const name of ['started_at', 'ended_at'] as const) expect(typeof parsed[name]).toBe('string');
    for (const name of ['reason', 'error'] as const) expect(parsed[name] === undefined || typeof parsed[name] === 'string').toBe(true);
    expect(parsed.counts === null || parsed.counts === undefined || Object.values(parsed.counts).every(Number.isInteger)).toBe(true);
    for (const kind of ['clean', 'rejected'] as const) {
      expect(Array.isArray(parsed.outputs[kind])).toBe(true);
      expect(parsed.outputs[kind].every((item) => typeof item.uri === 'string' && typeof item.size === 'number')).toBe(true);
    }
  }

  it('gives back any manifest the contract allows, exactly (a failed run with empty output lists)', () => {
    check(manifest, (written) => {
      const outputs = written.outputs ?? { clean: [], rejected: [] };
      expect(parseRunManifest(JSON.stringify(written), 'run-1')).toEqual({ ...written, outputs });
    }, 1500);
  });

  it('answers any text with a manifest whose fields have their declared types, or InvalidManifestError', () => {
    check(anyText, (text) => {
      const { value } = outcome(() => parseRunManifest(text, 'run-1'), InvalidManifestError);
      if (value) expectTyped(value);
    }, 2000);
  });

  it('answers a manifest with any field replaced by any JSON value the same way', () => {
    const fields = ['run_id', 'source', 'started_at', 'ended_at', 'status', 'counts', 'outputs', 'copy_manifests', 'reason', 'error'] as const;
    const damaged = fc.tuple(manifest, fc.subarray([...fields], { minLength: 1 }), fc.array(fc.jsonValue(), { minLength: fields.length, maxLength: fields.length }))
      .map(([written, names, values]) => ({ ...written, ...Object.fromEntries(names.map((name, index) => [name, values[index]])) }));
    check(damaged, (written) => {
      const { value } = outcome(() => parseRunManifest(JSON.stringify(written), 'run-1'), InvalidManifestError);
      if (value) expectTyped(value);
    }, 3000);
  });
});
