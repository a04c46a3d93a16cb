/**
 * How a crawler turns the objects under one S3 target into one table: its name, which objects are
 * data, and the partition columns of the folders between the target and the files (`key=value`
 * folders give `key`, other folders `partition_<level>`, all typed string).
 */
import { InvalidS3UriError, isS3Uri, parseS3Uri } from '../../contract/s3-uri.js';

export interface S3Folder {
  bucket: string;
  /** The key prefix, empty or ending with a slash. */
  prefix: string;
}

export function targetFolder(path: string): S3Folder {
  if (!isS3Uri(path.trim())) throw new InvalidS3UriError(`crawler target ${path} is not an S3 path: expected s3://bucket/folder/`);
  const { bucket, key } = parseS3Uri(path.trim());
  return { bucket, prefix: key === '' || key.endsWith('/') ? key : `${key}/` };
}

/** Glue's table name: the target's last folder (or the bucket) after the table prefix, lower-cased, other characters as underscores. */
export function tableNameFor(options: { targetPath: string; tablePrefix?: string }): string {
  const { bucket, prefix } = targetFolder(options.targetPath);
  const folder = prefix.split('/').filter(Boolean).pop() ?? bucket;
  return `${options.tablePrefix ?? ''}${folder}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
}

/** Hadoop's bookkeeping (`_SUCCESS`, `.crc`, `_temporary/`) and folder markers are not data. */
export function isDataKey(relativeKey: string): boolean {
  if (relativeKey === '' || relativeKey.endsWith('/')) return false;
  return relativeKey.split('/').every((segment) => segment !== '' && !segment.startsWith('_') && !segment.startsWith('.'));
}

export interface PartitionedFile {
  relativeKey: string;
  /** The folder holding the file, relative to the target, ending with a slash ('' at the top). */
  folder: string;
  values: string[];
}

export interface PartitionLayout {
  keys: string[];
  files: PartitionedFile[];
  /** Data files at another folder depth than the table's, left out of it. */
  skipped: string[];
}

function folderKey(folder: string): string | undefined {
  const equals = folder.indexOf('=');
  return equals > 0 ? folder.slice(0, equals) : undefined;
}

/**
 * The partition columns of a table from its files' keys relative to the target. The table's depth is
 * the folder depth most files share; files at other depths are reported as skipped.
 */
export function partitionLayout(relativeKeys: string[]): PartitionLayout {
  const split = relativeKeys.map((key) => ({ key, folders: key.split('/').slice(0, -1) }));
  const depthCounts = new Map<number, number>();
  for (const { folders } of split) depthCounts.set(folders.length, (depthCounts.get(folders.length) ?? 0) + 1);
  const depth = [...depthCounts].sort(([depthA, countA], [depthB, countB]) => countB - countA || depthA - depthB)[0]?.[0] ?? 0;
  const kept = split.filter(({ folders }) => folders.length === depth);
  const levelKeys = Array.from({ length: depth }, (_, level) => {
    const named = new Set(kept.map(({ folders }) => folderKey(folders[level]!)));
    const [only] = named;
    return named.size === 1 ? only : undefined;
  });
  return {
    keys: levelKeys.map((key, level) => key?.toLowerCase() ?? `partition_${level}`),
    files: kept.map(({ key, folders }) => ({
      relativeKey: key,
      folder: folders.map((folder) => `${folder}/`).join(''),
      values: folders.map((folder, level) => (levelKeys[level] === undefined ? folder : folder.slice(folder.indexOf('=') + 1))),
    })),
    skipped: split.filter(({ folders }) => folders.length !== depth).map(({ key }) => key),
  };
}

/** At most `sampleSize` files of each folder, as S3Target.SampleSize limits a crawl; all files when unset. */
export function sampleFiles(files: PartitionedFile[], sampleSize: number | undefined): PartitionedFile[] {
  if (!sampleSize) return files;
  const perFolder = new Map<string, number>();
  return files.filter((file) => {
    const taken = perFolder.get(file.folder) ?? 0;
    perFolder.set(file.folder, taken + 1);
    return taken < sampleSize;
  });
}

/**
 * An S3 target's exclude patterns as one test on keys relative to the target, with Glue's glob rules:
 * `*` and `?` stay within a folder name, `**` crosses folders, `[a-c]`/`[!a-c]` are character
 * classes, `{a,b}` alternatives, a backslash escapes.
 */
export function exclusionTest(patterns: readonly string[]): (relativeKey: string) => boolean {
  const expressions = patterns.map(globExpression);
  return (relativeKey) => expressions.some((expression) => expression.test(relativeKey));
}

function globExpression(pattern: string): RegExp {
  let source = '';
  let braceDepth = 0;
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern[index]!;
    if (char === '\\' && index + 1 < pattern.length) source += escapeRegExp(pattern[++index]!);
    else if (char === '*' && pattern[index + 1] === '*') {
      source += '.*';
      index++;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else if (char === '[' && pattern.indexOf(']', index + 2) > 0) {
      const close = pattern.indexOf(']', index + 2);
      const body = pattern.slice(index + 1, close);
      source += `[${body.startsWith('!') ? `^${body.slice(1)}` : body}]`;
      index = close;
    } else if (char === '{') {
      source += '(?:';
      braceDepth++;
    } else if (char === '}' && braceDepth > 0) {
      source += ')';
      braceDepth--;
    } else if (char === ',' && braceDepth > 0) source += '|';
    else source += escapeRegExp(char);
  }
  return new RegExp(`^${source}$`);
}

function escapeRegExp(char: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(char) ? `\\${char}` : char;
}
