import { InvokeCommand, LambdaClient, ResourceNotFoundException as LambdaNotFound } from '@aws-sdk/client-lambda';
import { DescribeStatementCommand, ListTablesCommand, RedshiftDataClient, ResourceNotFoundException } from '@aws-sdk/client-redshift-data';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GatewayServer, type Authorizer, type GatewayOptions } from '../../../emulator/gateway/gateway-server.js';
import type { OperationInput, OwnService } from '../../../emulator/gateway/service-registry.js';
import { DataApiError } from '../../../emulator/redshift/data-api-error.js';
import { rawRequest } from '../http-request.js';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const region = 'us-east-1';

/** A stand-in for moto that records what reaches it. */
interface Upstream {
  url: string;
  received: { method: string; url: string; headers: IncomingHttpHeaders; bytes: number }[];
  close(): Promise<void>;
}

async function startUpstream(): Promise<Upstream> {
  const received: Upstream['received'] = [];
  const server: Server = createServer((req, res) => {
    let bytes = 0;
    req.on('data', (chunk: Buffer) => { bytes += chunk.length; });
    req.on('end', () => {
      received.push({ method: req.method!, url: req.url!, headers: req.headers, bytes });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ from: 'moto', bytes }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

let upstream: Upstream;
const gateways: GatewayServer[] = [];

async function startGateway(services: OwnService[], options: { authorizer?: Authorizer; limits?: GatewayOptions['limits'] } = {}): Promise<string> {
  const gateway = new GatewayServer({ port: 0, motoUrl: upstream.url, services, ...options });
  gateways.push(gateway);
  return gateway.start();
}

beforeAll(async () => {
  upstream = await startUpstream();
});

afterEach(async () => {
  await Promise.all(gateways.splice(0).map((gateway) => gateway.stop()));
  upstream.received.length = 0;
});

afterAll(async () => upstream?.close());

const dataApi = (operations: OwnService['operations']): OwnService => ({ model: 'redshift-data', others: 'not-implemented', operations });

async function post(url: string, target: string, body: unknown) {
  const response = await fetch(url, { method: 'POST', headers: { 'x-amz-target': target, 'content-type': 'application/x-amz-json-1.1' }, body: JSON.stringify(body) });
  return { status: response.status, headers: response.headers, body: await response.json() as Record<string, unknown> };
}

describe('the gateway', () => {
  it('answers an own operation\'s error in AWS\'s JSON format: __type, message, the modeled members, x-amzn-errortype, the model\'s status', async () => {
    const url = await startGateway([dataApi({
      DescribeStatement: { serve: (input: OperationInput) => { throw new DataApiError('ResourceNotFoundException', `Query does not exist: ${input.Id}`, { ResourceId: input.Id }); } },
    })]);
    const id = '00000000-0000-4000-8000-000000000abc';
    const raw = await post(url, 'RedshiftData.DescribeStatement', { Id: id });
    expect(raw.status).toBe(400);
    expect(raw.headers.get('x-amzn-errortype')).toBe('ResourceNotFoundException');
    expect(raw.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(raw.body).toEqual({ __type: 'ResourceNotFoundException', message: `Query does not exist: ${id}`, Message: `Query does not exist: ${id}`, ResourceId: id });
    const client = new RedshiftDataClient({ endpoint: url, region, credentials });
    const error = await client.send(new DescribeStatementCommand({ Id: id })).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect(error).toMatchObject({ message: `Query does not exist: ${id}`, ResourceId: id });
  });

  it('answers operations the emulator lacks as not implemented, and names that are no operation as unknown, for a service it owns whole', async () => {
    const url = await startGateway([dataApi({})]);
    const client = new RedshiftDataClient({ endpoint: url, region, credentials });
    await expect(client.send(new ListTablesCommand({ ClusterIdentifier: 'c', Database: 'dev' }))).rejects.toMatchObject({ name: 'NotImplementedException', $metadata: { httpStatusCode: 501 } });
    const unknown = await post(url, 'RedshiftData.DropEverything', {});
    expect(unknown).toMatchObject({ status: 400, body: { __type: 'UnknownOperationException' } });
    expect(upstream.received).toEqual([]);
  });

  it('routes REST operations by the model\'s method and path: labels, query, headers and a blob payload in, status code, headers and payload out', async () => {
    const seen: OperationInput[] = [];
    const url = await startGateway([{
      model: 'lambda',
      operations: {
        Invoke: {
          serve(input: OperationInput) {
            seen.push(input);
            return { StatusCode: 200, ExecutedVersion: '$LATEST', FunctionError: 'Unhandled', Payload: Buffer.from('{"errorType":"Error"}') };
          },
        },
      },
    }]);
    const lambda = new LambdaClient({ endpoint: url, region, credentials });
    const answer = await lambda.send(new InvokeCommand({
      FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:loader', Qualifier: '$LATEST', LogType: 'None', Payload: Buffer.from('{"a":1}'),
    }));
    expect(seen).toEqual([{ FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:loader', Qualifier: '$LATEST', LogType: 'None', Payload: Buffer.from('{"a":1}') }]);
    expect(answer).toMatchObject({ StatusCode: 200, ExecutedVersion: '$LATEST', FunctionError: 'Unhandled' });
    expect(Buffer.from(answer.Payload!).toString()).toBe('{"errorType":"Error"}');
    // Other Lambda operations are moto's.
    await fetch(`${url}/2015-03-31/functions/loader/configuration`);
    expect(upstream.received.map((call) => call.url)).toEqual(['/2015-03-31/functions/loader/configuration']);
  });

  it('passes a control plane error of an own operation on with its status and members', async () => {
    const missing = new LambdaNotFound({ message: 'Function not found: arn:aws:lambda:us-east-1:123456789012:function:nope', Type: 'User', $metadata: { httpStatusCode: 404 } });
    Object.assign(missing, { $metadata: { httpStatusCode: 404 } });
    const url = await startGateway([{ model: 'lambda', operations: { Invoke: { serve: () => { throw missing; } } } }]);
    const response = await fetch(`${url}/2015-03-31/functions/nope/invocations`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(404);
    expect(response.headers.get('x-amzn-errortype')).toBe('ResourceNotFoundException');
    expect(await response.json()).toMatchObject({ __type: 'ResourceNotFoundException', Type: 'User', Message: missing.message });
  });

  it('passes every other call to the control plane unchanged, body and headers', async () => {
    const url = await startGateway([dataApi({})]);
    const body = Buffer.alloc(3 * 1024 * 1024, 7);
    const response = await fetch(`${url}/bucket/raw/key.csv?x-id=PutObject`, { method: 'PUT', body, headers: { 'x-amz-meta-kind': 'sales' } });
    expect(await response.json()).toEqual({ from: 'moto', bytes: body.length });
    expect(upstream.received).toMatchObject([{ method: 'PUT', url: '/bucket/raw/key.csv?x-id=PutObject', headers: { 'x-amz-meta-kind': 'sales' }, bytes: body.length }]);
  });

  it('refuses an own operation\'s body past its cap with 413 before serving it', async () => {
    let served = 0;
    const url = await startGateway([{ model: 'lambda', operations: { Invoke: { maxBodyBytes: 1024, serve: () => { served += 1; return { StatusCode: 200 }; } } } }]);
    const response = await fetch(`${url}/2015-03-31/functions/f/invocations`, { method: 'POST', body: JSON.stringify({ big: 'x'.repeat(2048) }) });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ __type: 'RequestEntityTooLargeException' });
    expect(served).toBe(0);
  });

  it('asks the authorizer about every call, served or passed on, before anything happens, and lets it answer a refusal', async () => {
    const asked: string[] = [];
    const authorizer: Authorizer = {
      async authorize(req, res) {
        asked.push(`${req.method} ${req.url} ${String(req.headers['x-amz-target'] ?? '')}`.trim());
        if (!req.url?.startsWith('/secret-bucket') && req.headers['x-amz-target'] !== 'RedshiftData.DescribeStatement') return false;
        if (req.headers['x-amz-target']) res.writeHead(403, { 'content-type': 'application/x-amz-json-1.1' }).end('{"__type":"AccessDeniedException","message":"User: r is not authorized"}');
        else res.writeHead(403, { 'content-type': 'application/xml' }).end('<Error><Code>AccessDenied</Code><Message>User: r is not authorized</Message></Error>');
        return true;
      },
    };
    let served = 0;
    const url = await startGateway([dataApi({ DescribeStatement: { serve: () => { served += 1; return {}; } } })], { authorizer });
    expect((await post(url, 'RedshiftData.DescribeStatement', { Id: 'x' })).status).toBe(403);
    const s3 = await fetch(`${url}/secret-bucket/key`);
    expect(s3.status).toBe(403);
    expect(await s3.text()).toMatch(/<Error><Code>AccessDenied<\/Code>/);
    expect(asked).toEqual(['POST / RedshiftData.DescribeStatement', 'GET /secret-bucket/key']);
    expect(served).toBe(0);
    expect(upstream.received).toEqual([]);
  });
});

describe('the gateway, to web pages', () => {
  const served: string[] = [];
  const recording = () => dataApi({ ExecuteStatement: { serve: (input: OperationInput) => { served.push(String(input.Sql)); return { Id: '00000000-0000-4000-8000-000000000000' }; } } });

  it('refuses a CORS preflight from a foreign origin, with no CORS header, and passes nothing on', async () => {
    const url = await startGateway([recording()]);
    const answer = await rawRequest(`${url}/bucket/key`, {
      method: 'OPTIONS', headers: { origin: 'http://evil.example', 'access-control-request-method': 'PUT' },
    });
    expect(answer.status).toBe(403);
    expect(answer.body).toMatch(/<Code>AccessDenied<\/Code><Message>the emulator refuses requests from web pages: this one carries Origin: http:\/\/evil.example/);
    expect(answer.headers['access-control-allow-origin']).toBeUndefined();
    expect(upstream.received).toEqual([]);
  });

  it('refuses a POST from a foreign origin in the service\'s own error format, before serving it', async () => {
    const url = await startGateway([recording()]);
    const answer = await rawRequest(url, {
      method: 'POST', body: '{"Sql":"DROP TABLE sales"}',
      headers: { origin: 'http://evil.example', 'x-amz-target': 'RedshiftData.ExecuteStatement', 'content-type': 'application/x-amz-json-1.1' },
    });
    expect(answer.status).toBe(403);
    expect(answer.headers['x-amzn-errortype']).toBe('AccessDeniedException');
    expect(JSON.parse(answer.body)).toMatchObject({ __type: 'AccessDeniedException' });
    expect(served).toEqual([]);
  });

  it('refuses a request addressed to a foreign Host (DNS rebinding) and one a page sent without Origin', async () => {
    const url = await startGateway([recording()]);
    const rebound = await rawRequest(`${url}/bucket/key`, { headers: { host: 'evil.example:4566' } });
    expect(rebound.status).toBe(403);
    expect(rebound.body).toMatch(/Host evil.example:4566 is refused/);
    const image = await rawRequest(`${url}/?Action=DeleteQueue&QueueUrl=q`, { headers: { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors' } });
    expect(image.status).toBe(403);
    expect(upstream.received).toEqual([]);
  });

  it('answers this machine\'s names: 127.0.0.1, localhost and its subdomains, [::1], and an address typed by the user', async () => {
    const url = await startGateway([recording()]);
    const port = new URL(url).port;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `bucket.localhost:${port}`, `[::1]:${port}`]) {
      expect((await rawRequest(`${url}/bucket/key`, { headers: { host } })).status).toBe(200);
    }
    expect((await rawRequest(`${url}/bucket/key`, { headers: { 'sec-fetch-site': 'none' } })).status).toBe(200);
  });
});

describe('the gateway, to large bodies', () => {
  it('streams a large upload to the control plane without holding it in memory', async () => {
    const url = await startGateway([dataApi({})]);
    const chunk = Buffer.alloc(1024 * 1024, 1);
    const total = 256;
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === total) return controller.close();
        sent += 1;
        controller.enqueue(chunk);
      },
    });
    const memory = () => process.memoryUsage().arrayBuffers;
    const before = memory();
    let peak = before;
    const sampler = setInterval(() => { peak = Math.max(peak, memory()); }, 5);
    try {
      const response = await fetch(`${url}/bucket/big.bin`, { method: 'PUT', body, duplex: 'half' } as RequestInit);
      expect(await response.json()).toEqual({ from: 'moto', bytes: total * chunk.length });
    } finally {
      clearInterval(sampler);
    }
    // A buffering proxy would hold all 256 MiB at once.
    expect(peak - before).toBeLessThan(64 * 1024 * 1024);
  });

  it('refuses a streamed body past the cap, by its declared length before forwarding or by counting a chunked one', async () => {
    const url = await startGateway([dataApi({})], { limits: { proxiedBodyBytes: 1024 * 1024 } });
    const declared = await rawRequest(`${url}/bucket/declared.bin`, { method: 'PUT', body: Buffer.alloc(2 * 1024 * 1024) });
    expect(declared.status).toBe(400);
    expect(declared.body).toMatch(/<Code>EntityTooLarge<\/Code>/);
    expect(upstream.received).toEqual([]);
    let sent = 0;
    const chunked = await fetch(`${url}/bucket/chunked.bin`, {
      method: 'PUT', duplex: 'half',
      body: new ReadableStream<Uint8Array>({ pull(controller) { if (sent++ === 8) controller.close(); else controller.enqueue(Buffer.alloc(256 * 1024)); } }),
    } as RequestInit);
    expect(chunked.status).toBe(400);
    expect(await chunked.text()).toMatch(/<Code>EntityTooLarge<\/Code>/);
    expect(upstream.received.filter((call) => call.bytes >= 2 * 1024 * 1024)).toEqual([]);
  });
});
