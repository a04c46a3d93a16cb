import { closeSync, openSync, writeSync } from 'node:fs';

/** Appends text to a file through a large in-memory buffer: few system calls, memory bounded by the buffer. */
export class FileWriter {
  private readonly fd: number;
  private buffer = '';

  constructor(
    path: string,
    private readonly flushAt = 1 << 21,
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
