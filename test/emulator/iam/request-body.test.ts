import { createServer, request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { peekBody } from '../../../emulator/iam/request-body.js';

let close: (() => void) | undefined;
afterEach(() => close?.());

/** Starts a server whose handler peeks at the body, then reads it again the way the gateway does. */
async function roundTrip(body: string, reread: (req: IncomingMessage) => Promise<string>): Promise<{ peeked?: string; reread: string }> {
  const server = createServer(async (req, res) => {
    const peeked = await peekBody(req);
    res.end(JSON.stringify({ peeked: peeked?.toString(), reread: await reread(req) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  close = () => server.close();
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: 'POST', headers: { 'content-length': Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString())));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const readByData = (req: IncomingMessage) => new Promise<string>((resolve) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => resolve(Buffer.concat(chunks).toString()));
});

describe('peekBody', () => {
  it('reads the body and leaves it in the request for the next reader', async () => {
    const body = JSON.stringify({ QueueUrl: 'x'.repeat(200_000) });
    expect(await roundTrip(body, readByData)).toEqual({ peeked: body, reread: body });
  });

  it('leaves the body for a pipe as well', async () => {
    const { PassThrough } = await import('node:stream');
    const viaPipe = (req: IncomingMessage) => {
      const sink = new PassThrough();
      req.pipe(sink);
      return readByData(sink as unknown as IncomingMessage);
    };
    expect(await roundTrip('Action=GetCallerIdentity', viaPipe)).toEqual({ peeked: 'Action=GetCallerIdentity', reread: 'Action=GetCallerIdentity' });
  });
});
