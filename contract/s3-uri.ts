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
