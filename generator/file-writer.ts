import { closeSync, openSync, writeSync } from 'node:fs';

/**
 * Appends text to a file through an in-memory buffer: few system calls, memory bounded by the buffer.
 * The buffer is small on purpose: pending text outlives young-generation collections, so a buffer of
 * megabytes is copied and promoted over and over and the collector costs more than the writes save.
 */
export class FileWriter {
  private readonly fd: number;
  private buffer = '';

  constructor(
    path: string,
    private readonly flushAt = 1 << 16,
  ) {
    this.fd = openSync(path, 'w');
  }

  write(text: string): void {
    this.buffer += text;
    if (this.buffer.length > this.flushAt) this.flush();
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }

  private flush(): void {
    if (this.buffer) writeSync(this.fd, this.buffer);
    this.buffer = '';
  }
}
