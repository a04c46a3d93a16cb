import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Transform } from 'node:stream';
import { AwsApiError, commonErrors, controlPlaneError } from './aws-api-error.js';
import { decodeInput, encodeJsonError, encodeOutput, encodeXmlError, speaksJson, type WireResponse } from './aws-wire.js';
import { assertConformingError, assertConformingOutput, assertValidRequest, ConformanceError } from './conformance.js';
import { browserRequestRefusal } from './local-only.js';
import { declaredLength, readRequestBody } from './request-body.js';
import { ServiceRegistry, type GatewayCall, type OwnService, type ResolvedOperation } from './service-registry.js';

/**
 * Decides whether a request may go on, before it is served or passed to moto: the one place where IAM
 * enforcement (emulator/iam/) hooks in. A refusal is answered by the authorizer itself, in the protocol of
 * the service called, and reported by returning true. It may read the body, as long as it puts it back.
 */
export interface Authorizer {
  authorize(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
}

export interface GatewayLimits {
  /** The largest body an own service reads, unless its operation sets its own (AWS caps differ per API). */
  ownBodyBytes: number;
  /** The largest body the authorizer may read of a call that passes to moto (then it is forwarded from memory). */
  inspectedBodyBytes: number;
  /** The largest body streamed to moto: S3's limit on a single PUT (5 GB); nothing of it is held in memory. */
  proxiedBodyBytes: number;
}

export interface GatewayOptions {
  host?: string;
  port: number;
  /** The control plane (moto) that receives every call the emulator does not serve itself. */
  motoUrl: string;
  /** The services whose operations the gateway answers (or observes) itself. */
  services: OwnService[];
  authorizer?: Authorizer;
  limits?: Partial<GatewayLimits>;
  log?: (message: string) => void;
}

/** Answered by the gateway itself, so `dev:status` can tell it from moto. */
export const healthPath = '/_emulator/health';

const defaultLimits: GatewayLimits = { ownBodyBytes: 10 * 1024 * 1024, inspectedBodyBytes: 10 * 1024 * 1024, proxiedBodyBytes: 5 * 1024 ** 3 };

/** A request's body, read at most once, by whoever asks first (the authorizer or the operation). */
class BufferedBody {
  private read: Promise<Buffer> | undefined;

  constructor(private readonly req: IncomingMessage, private readonly cap: Parameters<typeof readRequestBody>[1]) {}

  get(): Promise<Buffer> {
    this.read ??= readRequestBody(this.req, this.cap);
    return this.read;
  }

  /** The body if someone read it; the proxy streams the request otherwise. */
  taken(): Promise<Buffer> | undefined {
    return this.read;
  }
}

/**
 * The one AWS endpoint of the emulator. Every request takes the same path: the registry resolves it to
 * an own operation or to nothing, once the authorizer let it pass; an own operation is decoded from its
 * protocol, served (or observed and forwarded), and answered in AWS's format; anything else streams to
 * moto unchanged.
 */
export class GatewayServer {
  private server: Server | undefined;
  private readonly registry: ServiceRegistry;
  private readonly limits: GatewayLimits;

  constructor(private readonly options: GatewayOptions) {
    this.registry = new ServiceRegistry(options.services);
    this.limits = { ...defaultLimits, ...options.limits };
  }

  async start(): Promise<string> {
    const server = createServer((req, res) => {
      this.handle(req, res).catch((error) => {
        this.options.log?.(`gateway: ${req.method} ${req.url} failed: ${(error as Error).stack ?? error}`);
        if (res.headersSent) res.destroy();
        else send(res, encodeJsonError(undefined, commonErrors.internal(String((error as Error).message ?? error))));
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'EADDRINUSE'
        ? new Error(`port ${this.options.port} on ${this.options.host ?? '127.0.0.1'} is already in use: stop what uses it or choose another gateway port`)
        : error));
      server.listen(this.options.port, this.options.host ?? '127.0.0.1', resolve);
    });
    this.server = server;
    return `http://${this.options.host ?? '127.0.0.1'}:${(server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }

  /** Every operation the gateway handles itself. */
  servedOperations() {
    return this.registry.servedOperations();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const refusal = browserRequestRefusal(req.headers);
    if (refusal) {
      req.resume();
      this.options.log?.(`gateway: refused ${req.method} ${req.url}: ${refusal}`);
      return send(res, errorResponse(undefined, new AwsApiError(speaksJson(req) ? 'AccessDeniedException' : 'AccessDenied', refusal, { status: 403 }), req));
    }
    const url = new URL(req.url ?? '/', 'http://gateway');
    if (url.pathname === healthPath) {
      const health = { status: 'ok', iam: this.options.authorizer ? 'on' : 'off' };
      return send(res, { status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from(JSON.stringify(health)) });
    }
    if (await this.options.authorizer?.authorize(req, res)) return;
    const method = req.method ?? 'GET';
    const resolved = this.registry.resolve({ method, path: url.pathname, headers: req.headers });
    const what = resolved ? resolved.operation.name : `${method} ${url.pathname}`;
    const body = new BufferedBody(req, {
      limit: resolved ? resolved.handler.maxBodyBytes ?? this.limits.ownBodyBytes : this.limits.inspectedBodyBytes,
      operation: what, tooLarge: resolved?.handler.tooLarge,
    });
    const call: GatewayCall = {
      method, path: url.pathname, query: url.searchParams, headers: req.headers,
      operation: resolved ? { service: resolved.service.model, name: resolved.operation.name } : undefined,
      body: () => body.get(),
    };
    try {
      if (!resolved) return await this.forward(req, res, body.taken());
      const input = decodeInput(resolved, { query: call.query, headers: call.headers, body: await body.get() });
      assertValidRequest(resolved, input);
      const handler = resolved.handler;
      if ('observe' in handler) {
        await handler.observe(input, call);
        return await this.forward(req, res, body.taken());
      }
      send(res, await this.serve(resolved, () => handler.serve(input, call)));
    } catch (error) {
      const apiError = error instanceof AwsApiError ? error : controlPlaneError(error);
      if (!apiError) throw error;
      send(res, errorResponse(resolved, apiError, req));
    }
  }

  /**
   * Runs an own operation and encodes its answer, holding the output, or the error it raised, against
   * the operation's model: a mismatch is the emulator's bug, answered as InternalFailure and logged.
   */
  private async serve(resolved: ResolvedOperation, work: () => unknown): Promise<WireResponse> {
    try {
      let outcome: unknown;
      try {
        outcome = await work();
      } catch (error) {
        if (!(error instanceof AwsApiError)) throw error;
        assertConformingError(resolved, error);
        return encodeJsonError(resolved.model, error);
      }
      const { response, wire } = encodeOutput(resolved, outcome);
      assertConformingOutput(resolved, wire);
      return response;
    } catch (error) {
      if (!(error instanceof ConformanceError)) throw error;
      this.options.log?.(`gateway: ${error.message}`);
      return encodeJsonError(resolved.model, commonErrors.internal(error.message, error));
    }
  }

  /**
   * Forwards a request unchanged (headers, body, signature) and streams the answer back. A body nobody
   * read streams through without being held: only its length is counted, against S3's upload limit.
   */
  private async forward(req: IncomingMessage, res: ServerResponse, buffered: Promise<Buffer> | undefined): Promise<void> {
    const body = buffered ? await buffered : undefined;
    const limit = this.limits.proxiedBodyBytes;
    const tooLarge = () => new AwsApiError('EntityTooLarge', `Your proposed upload exceeds the maximum allowed size: the emulator streams at most ${limit} bytes per request, as S3 takes at most 5 GB in one PUT (use a multipart upload)`, { status: 400 });
    if (!body && (declaredLength(req) ?? 0) > limit) {
      req.resume();
      throw tooLarge();
    }
    const baseUrl = this.options.motoUrl;
    await new Promise<void>((resolve, reject) => {
      const fail = (error: AwsApiError) => {
        if (res.headersSent) return reject(error);
        send(res, errorResponse(undefined, error, req));
        resolve();
      };
      const upstream = request(new URL(req.url ?? '/', baseUrl), { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.on('end', resolve);
        answer.on('error', reject);
      });
      upstream.on('error', (error) => fail(commonErrors.unavailable(`the emulator's control plane ${baseUrl} did not answer (${error.message}): is it running? see \`npm run dev:status\``)));
      if (body) return void upstream.end(body);
      let received = 0;
      const counted = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          received += chunk.length;
          callback(received > limit ? tooLarge() : null, chunk);
        },
      });
      counted.on('error', (error: AwsApiError) => {
        upstream.destroy();
        req.resume();
        fail(error);
      });
      req.pipe(counted).pipe(upstream);
    });
  }
}

function errorResponse(resolved: ResolvedOperation | undefined, error: AwsApiError, req: IncomingMessage): WireResponse {
  if (resolved || speaksJson(req)) return encodeJsonError(resolved?.model, error);
  return encodeXmlError(error, req);
}

function send(res: ServerResponse, response: WireResponse): void {
  res.writeHead(response.status, { ...response.headers, 'content-length': String(response.body.length) }).end(response.body);
}
