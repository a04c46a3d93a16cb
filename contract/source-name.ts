/**
 * Source names (docs/data-contract.md, Source profiles): a file uploaded under raw/<name>/ is cleaned
 * with the profile sources/<name>.json, which Terraform puts at config/sources/<name>.json.
 */

/** The profile schema's `name` rule (glue/sales_cleaning/source-profile.schema.json): lower-case letters, digits and '-'. */
export const SOURCE_NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;

export class InvalidSourceNameError extends Error {
  override readonly name = 'InvalidSourceNameError';
}

export function isSourceName(name: string): boolean {
  return SOURCE_NAME_PATTERN.test(name);
}

/** The source a raw object belongs to: the first folder below the raw prefix, when it is a source name. */
export function sourceNameOfKey(key: string, rawPrefix: string): string | undefined {
  if (!key.startsWith(rawPrefix)) return undefined;
  const [folder, ...rest] = key.slice(rawPrefix.length).split('/');
  return rest.length > 0 && folder !== undefined && isSourceName(folder) ? folder : undefined;
}

/** The key a file is uploaded to: raw/<source>/<file name>, or raw/<file name> without a source. */
export function rawObjectKey(options: { fileName: string; source?: string; rawPrefix?: string }): string {
  const prefix = options.rawPrefix ?? 'raw/';
  if (options.source === undefined) return `${prefix}${options.fileName}`;
  if (!isSourceName(options.source)) {
    throw new InvalidSourceNameError(`source name "${options.source}" is not a profile name: use lower-case letters, digits and '-' (the name of sources/<name>.json)`);
  }
  return `${prefix}${options.source}/${options.fileName}`;
}

/** Where a profile lives under the stack's profile folder (an s3:// URI ending in '/'). */
export function profileUri(profilesUri: string, name: string): string {
  return `${profilesUri.endsWith('/') ? profilesUri : `${profilesUri}/`}${name}.json`;
}

/** The source name of a profile URI (…/config/sources/<name>.json), or undefined for anything else. */
export function sourceNameOfProfileUri(uri: string | undefined): string | undefined {
  const name = /\/([^/]+)\.json$/.exec(uri ?? '')?.[1];
  return name !== undefined && isSourceName(name) ? name : undefined;
}
