import type { IncomingMessage } from 'node:http';

/** Bodies past this size are not read for authorization: no JSON or query request of an AWS API comes close. */
const maxBodyBytes = 8 * 1024 * 1024;

/**
 * Reads a request's body and puts it back (readable.unshift, before the stream has ended), so whoever
 * handles the request next reads or pipes it as if nobody had. Needs a Content-Length: without one the end
 * of the body cannot be told before the stream ends, and undefined is returned without reading anything.
 */
export function peekBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const length = Number(req.headers['content-length']);
  if (!Number.isInteger(length) || length > maxBodyBytes) return Promise.resolve(undefined);
  if (length === 0) return Promise.resolve(Buffer.alloc(0));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const finish = (body: Buffer | undefined) => {
      req.off('readable', onReadable);
      req.off('error', onError);
      req.off('end', onEnd);
      resolve(body);
    };
    const onReadable = () => {
      let chunk: Buffer | null;
      while (received < length && (chunk = req.read() as Buffer | null) !== null) {
        chunks.push(chunk);
        received += chunk.length;
      }
      if (received >= length) {
        const body = Buffer.concat(chunks);
        req.unshift(body);
        finish(body);
      }
    };
    const onError = (error: Error) => {
      req.off('readable', onReadable);
      reject(error);
    };
    // The body was shorter than announced: nothing can be put back after 'end'.
    const onEnd = () => finish(undefined);
    req.on('readable', onReadable);
    req.on('error', onError);
    req.on('end', onEnd);
  });
}
