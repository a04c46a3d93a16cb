/** An object or a prefix in S3. */
export interface S3Location {
  bucket: string;
  /** The key or key prefix; empty for the bucket itself. */
  key: string;
}

export class InvalidS3UriError extends Error {
  override readonly name = 'InvalidS3UriError';
}

const S3_URI = /^s3a?:\/\/([^/\s]+)(?:\/(.*))?$/s;

/** Whether a value is an `s3://` (or Hadoop's `s3a://`) URI. */
export function isS3Uri(value: string): boolean {
  return S3_URI.test(value);
}

/**
 * `s3://bucket/key` (or Hadoop's `s3a://`) as bucket and key. The key is taken as written: S3 keys
 * are data, so no percent-decoding and no path normalisation happen here.
 */
export function parseS3Uri(uri: string): S3Location {
  const match = S3_URI.exec(uri);
  if (!match) throw new InvalidS3UriError(`${uri} is not an S3 URI: expected s3://bucket/key`);
  return { bucket: match[1]!, key: match[2] ?? '' };
}

/**
 * Why a key cannot stand for a path (it has an empty, `.` or `..` segment), or undefined when it can.
 *
 * S3 stores such keys as written, but Hadoop's Path (hence Spark, on Glue as offline) normalises them,
 * so a job given `raw/../x.csv` would read or write another object than the one named; and a local
 * folder standing in for S3 would resolve them outside itself. A prefix's one trailing `/` is allowed.
 */
export function keyPathProblem(key: string, options: { prefix?: boolean } = {}): string | undefined {
  const path = options.prefix && key.endsWith('/') ? key.slice(0, -1) : key;
  if (options.prefix && path === '') return undefined;
  for (const segment of path.split('/')) {
    if (segment === '') return 'an empty segment (a leading, trailing or doubled "/")';
    if (segment === '.' || segment === '..') return `a "${segment}" segment`;
  }
  return undefined;
}
