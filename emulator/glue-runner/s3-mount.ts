import { createReadStream, createWriteStream, mkdirSync, readdirSync, rmSync, statSync, utimesSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { keyPathProblem } from '../../contract/s3-uri.js';

type Snapshot = Map<string, string>;

export class S3AccessError extends Error {
  override readonly name = 'S3AccessError';
}

export class UnmountableObjectError extends Error {
  override readonly name = 'UnmountableObjectError';
}

/** Bucket names as S3 allows them (legacy ones included): a single path segment that is a name. */
const BUCKET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** A local folder standing in for S3 during a run: <dir>/<bucket>/<key>. */
export class S3Mount {
  private before: Snapshot = new Map();
  readonly dir: string;

  constructor(private readonly s3: S3Client, dir: string) {
    this.dir = resolve(dir);
  }

  /**
   * The local path of s3://bucket/key (a prefix when `prefix`). Refuses a key with an empty, `.` or `..`
   * segment, which would alias another key or resolve outside the mount, and anything else that resolves
   * outside it: keys are data, and anyone who can upload chooses them.
   */
  path(bucket: string, key: string, options: { prefix?: boolean } = {}): string {
    const uri = `s3://${bucket}/${key}`;
    const problem = BUCKET_NAME.test(bucket) ? keyPathProblem(key, options) : `a bucket name that is not one (${JSON.stringify(bucket)})`;
    if (problem) {
      throw new UnmountableObjectError(
        `${uri} cannot be mounted for the Glue run: it has ${problem}, which Spark would read as another object `
        + '(and a local path would leave the mount); copy the object to a key without empty, "." or ".." segments',
      );
    }
    const target = resolve(this.dir, bucket, ...key.split('/'));
    const inside = relative(this.dir, target);
    if (inside === '' || inside.startsWith(`..${sep}`) || inside === '..' || isAbsolute(inside)) {
      throw new UnmountableObjectError(`${uri} resolves to ${target}, outside the run's S3 mount ${this.dir}; the run is refused`);
    }
    return target;
  }

  /** `text` with local paths under the mount written as the s3:// URIs they stand for: what the job named. */
  userPaths(text: string): string {
    return [`file://${this.dir}/`, `file:${this.dir}/`, `${this.dir}/`].reduce((result, local) => result.replaceAll(local, 's3://'), text);
  }

  /** Downloads one object to its mounted path, or to `target`; returns false when it does not exist. */
  async download(bucket: string, key: string, target?: string): Promise<boolean> {
    const mounted = this.path(bucket, key);
    target ??= mounted;
    try {
      const object = await this.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      mkdirSync(dirname(target), { recursive: true });
      // Streamed to disk: a run's input can be gigabytes.
      await pipeline(object.Body as Readable, createWriteStream(target));
      // The job records the source's modification time as lineage: keep S3's, not the download's.
      if (object.LastModified) utimesSync(target, object.LastModified, object.LastModified);
      return true;
    } catch (error) {
      if (error instanceof NoSuchKey || (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false;
      throw error;
    }
  }

  /** Remembers the mounted files, so that upload() sends only what the run wrote. */
  snapshot(): void {
    this.before = this.files();
  }

  /**
   * Uploads every file the run created or changed, leaving out Hadoop's bookkeeping files, a few at a
   * time (a partitioned write makes hundreds of small files); returns the keys, in file order. Each file,
   * and the folder it is written into, is first looked at as an S3 connector does before it writes there
   * (Spark checks its output folder, Hadoop's create() the file), with the same credentials, so the run
   * needs the permissions those requests need on AWS. The bucket's top-level areas are not looked at: the
   * stack creates them as folder markers, and the connector does not walk up to them when it creates a file.
   */
  async uploadChanges(concurrency = 8): Promise<string[]> {
    const changed = [...this.files()].filter(([path, signature]) => this.before.get(path) !== signature).map(([path]) => path);
    const uploaded: string[] = [];
    const probedFolders = new Set<string>();
    let next = 0;
    const worker = async () => {
      for (let index = next++; index < changed.length; index = next++) {
        const path = changed[index]!;
        const [bucket, ...parts] = relative(this.dir, path).split(sep);
        const key = parts.join('/');
        const folder = parts.slice(0, -1).join('/');
        if (folder.includes('/') && !probedFolders.has(`${bucket}/${folder}`)) {
          probedFolders.add(`${bucket}/${folder}`);
          await this.probe(bucket!, folder);
        }
        await this.probe(bucket!, key);
        await this.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: createReadStream(path), ContentLength: statSync(path).size }));
        uploaded[index] = `s3://${bucket}/${key}`;
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, changed.length) }, worker));
    return uploaded;
  }

  /**
   * What Hadoop's S3 connectors do for getFileStatus/exists of a path before creating it: a HEAD of the key,
   * then a listing of it as a folder. A HEAD of a missing key answers 403 to a caller without s3:ListBucket on the
   * bucket; like the connector, the run then fails.
   */
  private async probe(bucket: string, key: string): Promise<void> {
    try {
      await this.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return;
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === 403) {
        throw new S3AccessError(`getFileStatus on s3://${bucket}/${key}: 403 Forbidden (AccessDenied): the job role may not read the key or, `
          + "for a missing key, may not list the bucket (s3:ListBucket); the emulator's logs/iam.log names the missing grant");
      }
      if (status !== 404) throw error;
    }
    await this.s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `${key}/`, Delimiter: '/', MaxKeys: 2 }));
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  private files(): Snapshot {
    const found: Snapshot = new Map();
    const walk = (dir: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (isHadoopBookkeeping(entry.name)) continue;
        if (entry.isDirectory()) walk(path);
        else if (entry.isFile()) {
          const stat = statSync(path);
          found.set(path, `${stat.size}:${stat.mtimeMs}`);
        }
      }
    };
    mkdirSync(this.dir, { recursive: true });
    walk(this.dir);
    return found;
  }
}

function isHadoopBookkeeping(name: string): boolean {
  return name === '_SUCCESS' || name === '_temporary' || name.endsWith('.crc') || name.startsWith('.');
}
