import type { IncomingMessage } from 'node:http';
import type { RequestCredential } from './access-check.js';

const headerCredential = /Credential=([^/,\s]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/;
const queryCredential = /^([^/]+)\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request$/;

/** The SigV4 credential scope of a request (Authorization header or presigned query), or undefined when unsigned. */
export function requestCredential(req: Pick<IncomingMessage, 'headers' | 'url'>): RequestCredential | undefined {
  const header = headerCredential.exec(String(req.headers.authorization ?? ''));
  if (header) return { accessKeyId: header[1]!, region: header[2]!, signingService: header[3]! };
  const presigned = new URL(req.url ?? '/', 'http://gateway').searchParams.get('X-Amz-Credential');
  const query = presigned ? queryCredential.exec(presigned) : null;
  return query ? { accessKeyId: query[1]!, region: query[2]!, signingService: query[3]! } : undefined;
}
