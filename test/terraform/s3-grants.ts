// Whether a role's statements allow an S3 action on a given path: object actions on the object
// ARNs, s3:ListBucket on the bucket ARN within any s3:prefix condition.
import type { PolicyStatement } from './stack-plan.js';
import { parseS3Uri } from '../../contract/s3-uri.js';

export interface S3Request {
  action: string;
  /** `s3://bucket/folder/` (any object below it, or listing that prefix) or `s3://bucket/key` (that object). */
  uri: string;
}

/** IAM's wildcard matching: `*` any run of characters, `?` one character. */
export function iamPatternMatches(pattern: string, value: string): boolean {
  const regex = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*').replaceAll('?', '.');
  return new RegExp(`^${regex}$`).test(value);
}

/**
 * Whether a statement's conditions hold for a request; only s3:prefix is modelled, any other condition makes it
 * not apply. A request without a prefix (not a listing) satisfies only the IfExists forms.
 */
function conditionsHold(statement: PolicyStatement, listPrefix: string | undefined): boolean {
  return statement.condition.every((condition) => {
    if (condition.variable !== 's3:prefix') return false;
    const ifExists = condition.test.endsWith('IfExists');
    if (listPrefix === undefined) return ifExists;
    const test = condition.test.replace(/IfExists$/, '');
    if (test === 'StringLike') return condition.values.some((value) => iamPatternMatches(value, listPrefix));
    if (test === 'StringEquals') return condition.values.includes(listPrefix);
    return false;
  });
}

/**
 * Whether the Allow statements grant the request. `bucketArn` maps a bucket name to the ARN the
 * policies use for it (with the mock provider the two are unrelated strings).
 */
export function allowsS3Request(options: { statements: PolicyStatement[]; request: S3Request; bucketArn: (bucket: string) => string }): boolean {
  const { statements, request, bucketArn } = options;
  const { bucket, key } = parseS3Uri(request.uri);
  const listing = request.action === 's3:ListBucket';
  const resource = listing ? bucketArn(bucket) : `${bucketArn(bucket)}/${key.endsWith('/') || key === '' ? `${key}any-object` : key}`;
  return statements.some((statement) =>
    (statement.effect ?? 'Allow') === 'Allow'
    && (statement.actions ?? []).includes(request.action)
    && (statement.resources ?? []).some((pattern) => iamPatternMatches(pattern, resource))
    && conditionsHold(statement, listing ? key : undefined));
}
