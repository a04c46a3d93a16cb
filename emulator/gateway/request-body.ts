import type { IncomingMessage } from 'node:http';
import { commonErrors } from './aws-api-error.js';

/** The declared length of a request body, when the client sent one. */
export function declaredLength(req: IncomingMessage): number | undefined {
  const header = req.headers['content-length'];
  return header === undefined ? undefined : Number(header);
}

/**
 * Reads a whole request body into memory, refusing it past `limit` bytes: up front when Content-Length
 * says so, else as soon as the bytes received pass the limit (a chunked upload has no length). Only
 * bodies an own service answers, or the IAM hook asks for, are read this way; every other body streams
 * to the control plane untouched.
 */
export function readRequestBody(req: IncomingMessage, options: { limit: number; operation: string; tooLarge?: { code: string; operation: string } }): Promise<Buffer> {
  const { limit } = options;
  // AWS's own wording, as Lambda answers an oversized Invoke.
  const operation = options.tooLarge?.operation ?? options.operation;
  const tooLarge = () => commonErrors.tooLarge(`Request must be smaller than ${limit} bytes for the ${operation} operation`, options.tooLarge?.code);
  const length = declaredLength(req);
  if (length !== undefined && length > limit) {
    req.resume();
    return Promise.reject(tooLarge());
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received <= limit) return void chunks.push(chunk);
      // The rest is read and dropped, so the connection stays usable for the error answer.
      req.off('data', onData);
      req.resume();
      reject(tooLarge());
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
