import { createHash } from 'node:crypto';

const SLUG_LENGTH = 40;
const HASH_LENGTH = 16;
/** The S3 object version a run cleans. */
export interface ObjectVersion {
  bucket: string;
  key: string;
  version: string;
}

export const RUN_ID_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;

/**
 * One run id per object version, so every delivery of the same S3 event maps to the same run. The id
 * becomes an S3 path segment and a Glue argument, hence the narrow alphabet; the readable part is the
 * file's name, the hash keeps ids of different objects and versions apart.
 */
export function deriveRunId(object: ObjectVersion): string {
  return runIdOf(object, [object.bucket, object.key, object.version]);
}

/**
 * The run id of a reprocess (`npm run reprocess`): a new id for the same object version, so that the run
 * is loaded although the version's first run is in load_audit (the loader then replaces that version's
 * earlier load); the request time keeps two reprocesses of one version apart.
 */
export function deriveReprocessRunId(object: ObjectVersion, requestedAt: Date): string {
  return runIdOf(object, [object.bucket, object.key, object.version, `reprocess ${requestedAt.toISOString()}`]);
}

function runIdOf(object: ObjectVersion, identity: string[]): string {
  const hash = createHash('sha256')
    .update(identity.join('\n'))
    .digest('hex')
    .slice(0, HASH_LENGTH);
  const fileName = object.key.slice(object.key.lastIndexOf('/') + 1).replace(/\.[^.]*$/, '');
  const slug = fileName
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9_.-]+/g, '_')
    .slice(0, SLUG_LENGTH)
    .replace(/^[._-]+|[._-]+$/g, '');
  return slug ? `${slug}-${hash}` : hash;
}
