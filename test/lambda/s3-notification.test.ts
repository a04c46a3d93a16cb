import { describe, expect, it } from 'vitest';
import { decodeS3Key, InvalidS3NotificationError, isRawObject, parseS3Notification } from '../../lambda/trigger/s3-notification.js';
import { s3CreatedBody, s3TestEventBody } from './aws-events.js';

describe('decodeS3Key', () => {
  it('turns + into spaces and decodes percent escapes as S3 encodes them', () => {
    expect(decodeS3Key('raw/2024/sales+data+%28March%29.csv')).toBe('raw/2024/sales data (March).csv');
    expect(decodeS3Key('raw/a%2Bb.csv')).toBe('raw/a+b.csv');
    expect(decodeS3Key('raw/caf%C3%A9.csv')).toBe('raw/café.csv');
  });

  it('rejects a key with a broken escape, naming the key', () => {
    expect(() => decodeS3Key('raw/bad%E0.csv')).toThrow(/raw\/bad%E0\.csv/);
  });
});

describe('parseS3Notification', () => {
  it('reads bucket, decoded key and the version id of a created object', () => {
    const body = s3CreatedBody({ key: 'raw/sales data+1.csv', versionId: 'v-123' });
    expect(parseS3Notification(body)).toEqual({
      kind: 'records',
      created: [{ bucket: 'sales-data', key: 'raw/sales data+1.csv', version: 'v-123', size: 1024 }],
      otherEvents: [],
    });
  });

  it('falls back to the ETag on an unversioned bucket', () => {
    const parsed = parseS3Notification(s3CreatedBody({ key: 'raw/a.csv', eTag: 'abc123' }));
    expect(parsed.kind === 'records' && parsed.created[0]?.version).toBe('abc123');
  });

  it('recognises the s3:TestEvent S3 sends when notifications are configured', () => {
    expect(parseS3Notification(s3TestEventBody)).toEqual({ kind: 'test-event' });
  });

  it('lists records of other event types instead of starting runs for them', () => {
    const body = JSON.stringify({ Records: [{ eventSource: 'aws:s3', eventName: 'ObjectRemoved:Delete', s3: {} }] });
    expect(parseS3Notification(body)).toEqual({ kind: 'records', created: [], otherEvents: ['ObjectRemoved:Delete'] });
  });

  it('names a record whose eventName is not a string an unnamed event, whatever JSON it holds (found by the property tests)', () => {
    const body = JSON.stringify({ Records: [{ eventName: { toString: [] } }, { eventName: 7 }] });
    expect(parseS3Notification(body)).toEqual({ kind: 'records', created: [], otherEvents: ['unnamed event', 'unnamed event'] });
  });

  it('rejects a body that is not JSON or not an S3 notification', () => {
    expect(() => parseS3Notification('hello')).toThrow(InvalidS3NotificationError);
    expect(() => parseS3Notification('{"foo":1}')).toThrow(/neither an S3 event notification nor s3:TestEvent/);
  });
});

describe('isRawObject', () => {
  const filter = { prefix: 'raw/', suffixes: ['.csv', '.csv.gz'] };

  it('accepts keys under the prefix with one of the suffixes and nothing else', () => {
    expect(isRawObject('raw/2024/sales.csv', filter)).toBe(true);
    expect(isRawObject('raw/shop/orders.csv.gz', filter)).toBe(true);
    expect(isRawObject('raw/orders.gz', filter)).toBe(false);
    expect(isRawObject('raw/.csv.gz', filter)).toBe(true);
    expect(isRawObject('raw/sales.json', filter)).toBe(false);
    expect(isRawObject('cleaned/sales.csv', filter)).toBe(false);
    expect(isRawObject('raw/sales.CSV', filter)).toBe(false);
  });
});
