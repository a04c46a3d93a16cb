import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

/** The opening bytes of a file, decompressed when it is gzip. */
export interface FileSample {
  bytes: Buffer;
  gzip: boolean;
  /** True when the sample holds the whole (decompressed) file. */
  complete: boolean;
}

export class CorruptGzipError extends Error {
  override readonly name = 'CorruptGzipError';
}

/** Eight MiB hold thousands of records of any real export, enough to decide every format question. */
export const DEFAULT_SAMPLE_BYTES = 8 * 1024 * 1024;

async function startsWithGzipMagic(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

/** Reads up to maxBytes of the file's content; a gzip file (by its magic bytes, whatever its name) is decompressed on the way. */
export async function readFileSample(path: string, maxBytes: number = DEFAULT_SAMPLE_BYTES): Promise<FileSample> {
  const gzip = await startsWithGzipMagic(path);
  const file = createReadStream(path);
  const stream: Readable = gzip ? file.pipe(createGunzip()) : file;
  const chunks: Buffer[] = [];
  let total = 0;
  let complete = true;
  try {
    for await (const chunk of stream) {
      chunks.push(chunk as Buffer);
      total += (chunk as Buffer).length;
      if (total >= maxBytes) {
        complete = false;
        break;
      }
    }
  } catch (error) {
    if (gzip) throw new CorruptGzipError(`${path} starts like a gzip file but cannot be decompressed (${(error as Error).message}): upload it again or compress it anew`, { cause: error });
    throw error;
  } finally {
    file.destroy();
    stream.destroy();
  }
  const bytes = Buffer.concat(chunks);
  return { bytes: complete ? bytes : bytes.subarray(0, maxBytes), gzip, complete };
}
