import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { profileUri, sourceNameOfKey } from '../../contract/source-name.js';
import { parseS3Uri } from '../../contract/s3-uri.js';

/** The profile a raw object runs with: its URI when one exists, and a line for the log either way. */
export interface SourceProfileLookup {
  uri?: string;
  description: string;
}

export type SourceProfileFinder = (key: string) => Promise<SourceProfileLookup>;

/** Whether the object config/sources/<name>.json exists, by listing exactly that key (s3:ListBucket within the profile folder). */
export async function sourceProfileExists(s3: S3Client, uri: string): Promise<boolean> {
  const { bucket, key } = parseS3Uri(uri);
  const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: key, MaxKeys: 1 }));
  return (listed.Contents ?? []).some((object) => object.Key === key);
}

/**
 * Finds the profile of a file under raw/<name>/: config/sources/<name>.json when it exists. A file
 * directly under raw/, or under a folder without a profile, runs with the contract's own header
 * matching. A failed listing throws, so the message is retried rather than run without its profile.
 */
export function sourceProfileFinder(options: { s3: S3Client; profilesUri: string; rawPrefix: string }): SourceProfileFinder {
  return async (key) => {
    const name = sourceNameOfKey(key, options.rawPrefix);
    if (name === undefined) return { description: 'none: not under raw/<source name>/' };
    const uri = profileUri(options.profilesUri, name);
    if (await sourceProfileExists(options.s3, uri)) return { uri, description: uri };
    return { description: `none: ${uri} does not exist` };
  };
}
