import { createReadStream, mkdirSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { GetObjectCommand, NoSuchKey, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

type Snapshot = Map<string, string>;

/** A local folder standing in for S3 during a run: <dir>/<bucket>/<key>. */
export class S3Mount {
  private before: Snapshot = new Map();

  constructor(private readonly s3: S3Client, readonly dir: string) {}

  /** Downloads one object to its mounted path; returns false when it does not exist. */
  async download(bucket: string, key: string, target = join(this.dir, bucket, key)): Promise<boolean> {
    try {
      const object = await this.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, await object.Body!.transformToByteArray());
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

  /** Uploads every file the run created or changed, leaving out Hadoop's bookkeeping files; returns the keys. */
  async uploadChanges(): Promise<string[]> {
    const uploaded: string[] = [];
    for (const [path, signature] of this.files()) {
      if (this.before.get(path) === signature) continue;
      const [bucket, ...key] = relative(this.dir, path).split(sep);
      const size = statSync(path).size;
      await this.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key.join('/'), Body: createReadStream(path), ContentLength: size }));
      uploaded.push(`s3://${bucket}/${key.join('/')}`);
    }
    return uploaded;
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
