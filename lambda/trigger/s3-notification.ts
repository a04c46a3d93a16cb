/** An object that S3 reported as created, with its key decoded. */
export interface CreatedObject {
  bucket: string;
  key: string;
  /** The object's version id on a versioned bucket, else its ETag: what tells two uploads of one key apart. */
  version: string;
  size?: number;
}

export type S3Notification =
  | { kind: 'test-event' }
  | { kind: 'records'; created: CreatedObject[]; otherEvents: string[] };

export class InvalidS3NotificationError extends Error {
  override readonly name = 'InvalidS3NotificationError';
}

/**
 * S3 URL-encodes keys in event notifications the way HTML forms do: `+` for a space, `%XX` for the
 * rest, so a literal `+` arrives as `%2B`.
 */
export function decodeS3Key(encoded: string): string {
  try {
    return decodeURIComponent(encoded.replace(/\+/g, ' '));
  } catch {
    throw new InvalidS3NotificationError(`object key "${encoded}" is not a valid URL-encoded S3 key`);
  }
}

interface RawRecord {
  eventSource?: unknown;
  eventName?: unknown;
  s3?: { bucket?: { name?: unknown }; object?: { key?: unknown; versionId?: unknown; eTag?: unknown; size?: unknown } };
}

function createdObject(record: RawRecord): CreatedObject {
  const bucket = record.s3?.bucket?.name;
  const object = record.s3?.object;
  if (typeof bucket !== 'string' || typeof object?.key !== 'string') {
    throw new InvalidS3NotificationError('an ObjectCreated record has no s3.bucket.name or s3.object.key');
  }
  const key = decodeS3Key(object.key);
  const version = [object.versionId, object.eTag].find((value) => typeof value === 'string' && value !== '');
  if (typeof version !== 'string') {
    throw new InvalidS3NotificationError(`the record of s3://${bucket}/${key} has neither versionId nor eTag`);
  }
  return { bucket, key, version, ...(typeof object.size === 'number' ? { size: object.size } : {}) };
}

/** Parses the body of one SQS message that S3 sent: a test event, or records of object events. */
export function parseS3Notification(body: string): S3Notification {
  let message: { Event?: unknown; Records?: unknown };
  try {
    message = JSON.parse(body) as typeof message;
  } catch {
    throw new InvalidS3NotificationError(`message body is not JSON: ${body.slice(0, 200)}`);
  }
  if (message?.Event === 's3:TestEvent') return { kind: 'test-event' };
  if (!Array.isArray(message?.Records)) {
    throw new InvalidS3NotificationError(`message body is neither an S3 event notification nor s3:TestEvent: ${body.slice(0, 200)}`);
  }
  const created: CreatedObject[] = [];
  const otherEvents: string[] = [];
  for (const record of message.Records as RawRecord[]) {
    // Not String(…): a JSON object such as {"toString": []} cannot be converted, and would crash the parse.
    const eventName = typeof record?.eventName === 'string' ? record.eventName : '';
    if (record?.eventSource === 'aws:s3' && eventName.startsWith('ObjectCreated:')) created.push(createdObject(record));
    else otherEvents.push(eventName || 'unnamed event');
  }
  return { kind: 'records', created, otherEvents };
}

export interface RawObjectFilter {
  prefix: string;
  /** Any one of these ends a raw object's key (`.csv`, `.csv.gz`): S3 has one notification rule per suffix. */
  suffixes: string[];
}

/** The same test S3's notification filters apply, repeated here because a queue can be fed by other sources. */
export function isRawObject(key: string, filter: RawObjectFilter): boolean {
  return key.startsWith(filter.prefix)
    && filter.suffixes.some((suffix) => key.endsWith(suffix) && key.length >= filter.prefix.length + suffix.length);
}
