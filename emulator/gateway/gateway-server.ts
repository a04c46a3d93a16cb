import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AsyncInvoker } from '../events/async-invoker.js';
import type { CrawlerRunner } from '../glue-crawler/crawler-runner.js';
import { GlueApiError } from '../glue-runner/glue-errors.js';
import type { GlueRunner } from '../glue-runner/glue-runner.js';
import type { IamAuthorizer } from '../iam/iam-authorizer.js';
import { invocationPayloadLimitBytes, type FunctionInvoker } from '../lambda-runtime/function-invoker.js';
import type { LambdaCodeStore } from '../lambda-runtime/lambda-code-store.js';

export interface GatewayOptions {
  host?: string;
  port: number;
  /** The control plane (moto) that receives every call the emulator does not serve itself. */
  motoUrl: string;
  /** The Redshift Data API emulator; its calls fail with a clear error when it is not running. */
  redshiftDataUrl?: string;
  glue: GlueRunner;
  crawlers: CrawlerRunner;
  invoker: FunctionInvoker;
  asyncInvoker: AsyncInvoker;
  codeStore: LambdaCodeStore;
  /** Checks every call against IAM before it is served; absent when enforcement is off (EMULATOR_IAM=off). */
  authorizer?: IamAuthorizer;
  log?: (message: string) => void;
}

/** Answered by the gateway itself, so `dev:status` can tell it from moto. */
export const healthPath = '/_emulator/health';
const glueOperations = new Set(['StartJobRun', 'GetJobRun', 'GetJobRuns', 'BatchStopJobRun']);
const crawlerOperations = new Set(['StartCrawler', 'StopCrawler', 'GetCrawler', 'GetCrawlers', 'BatchGetCrawlers', 'GetCrawlerMetrics']);
const functionCodePath = /^\/2015-03-31\/functions(\/[^/]+\/code)?\/?$/;
const invokePath = /^\/2015-03-31\/functions\/([^/]+)\/invocations\/?$/;

/** The one AWS endpoint of the emulator: serves Glue job runs, Lambda invokes and the Redshift Data API, proxies the rest to moto. */
export class GatewayServer {
  private server: Server | undefined;

  constructor(private readonly options: GatewayOptions) {}

  async start(): Promise<string> {
    const server = createServer((req, res) => {
      this.route(req, res).catch((error) => {
        this.options.log?.(`gateway: ${req.method} ${req.url} failed: ${(error as Error).stack ?? error}`);
        if (!res.headersSent) sendJson(res, 500, { __type: 'InternalFailure', message: String((error as Error).message ?? error) });
        else res.destroy();
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

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = String(req.headers['x-amz-target'] ?? '');
    const [service, operation = ''] = target.split('.');
    const path = (req.url ?? '/').split('?')[0]!;
    if (path === healthPath) return sendJson(res, 200, { status: 'ok', iam: this.options.authorizer ? 'on' : 'off' });
    if (await this.options.authorizer?.authorize(req, res)) return;
    if (service === 'AWSGlue' && glueOperations.has(operation)) return this.serveGlue(operation, JSON.parse((await readBody(req)).toString() || '{}'), res);
    if (service === 'AWSGlue' && crawlerOperations.has(operation)) return this.serveCrawler(operation, JSON.parse((await readBody(req)).toString() || '{}'), res);
    if (service === 'RedshiftData') {
      if (!this.options.redshiftDataUrl) return sendJson(res, 503, { __type: 'InternalServerException', Message: 'the Redshift Data API emulator is not running: start it with `npm run dev:up`' });
      return proxy(req, res, this.options.redshiftDataUrl);
    }
    const invoke = invokePath.exec(path);
    if (invoke && req.method === 'POST') return this.serveInvoke(decodeURIComponent(invoke[1]!).split(':').slice(-1)[0]!, req, res);
    if (functionCodePath.test(path) && (req.method === 'POST' || req.method === 'PUT')) {
      const body = await readBody(req);
      const zip = (JSON.parse(body.toString() || '{}') as { ZipFile?: string; Code?: { ZipFile?: string } });
      const encoded = zip.Code?.ZipFile ?? zip.ZipFile;
      if (encoded) this.options.codeStore.save(Buffer.from(encoded, 'base64'));
      return proxy(req, res, this.options.motoUrl, body);
    }
    return proxy(req, res, this.options.motoUrl);
  }

  private serveGlue(operation: string, input: Record<string, never>, res: ServerResponse): Promise<void> {
    const glue = this.options.glue;
    switch (operation) {
      case 'StartJobRun': return respondGlue(res, () => glue.startJobRun(input));
      case 'GetJobRun': return respondGlue(res, () => glue.getJobRun(input));
      case 'GetJobRuns': return respondGlue(res, () => glue.getJobRuns(input));
      default: return respondGlue(res, () => glue.batchStopJobRun(input));
    }
  }

  private serveCrawler(operation: string, input: Record<string, never>, res: ServerResponse): Promise<void> {
    const crawlers = this.options.crawlers;
    switch (operation) {
      case 'StartCrawler': return respondGlue(res, () => crawlers.startCrawler(input));
      case 'StopCrawler': return respondGlue(res, () => crawlers.stopCrawler(input));
      case 'GetCrawler': return respondGlue(res, () => crawlers.getCrawler(input));
      case 'GetCrawlers': return respondGlue(res, () => crawlers.getCrawlers(input));
      case 'BatchGetCrawlers': return respondGlue(res, () => crawlers.batchGetCrawlers(input));
      default: return respondGlue(res, () => crawlers.getCrawlerMetrics(input));
    }
  }

  private async serveInvoke(functionName: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const asynchronous = req.headers['x-amz-invocation-type'] === 'Event';
    if (!asynchronous && raw.length > invocationPayloadLimitBytes) {
      return sendJson(res, 413, { __type: 'RequestTooLargeException', Type: 'User', message: `Request must be smaller than ${invocationPayloadLimitBytes} bytes for the InvokeFunction operation` });
    }
    const body = raw.toString();
    const event = body ? JSON.parse(body) : {};
    if (asynchronous) {
      this.options.asyncInvoker.invoke(functionName, event);
      res.writeHead(202).end();
      return;
    }
    const result = await this.options.invoker.invoke(functionName, event);
    const headers = { 'content-type': 'application/json', 'x-amz-executed-version': '$LATEST', ...(result.ok ? {} : { 'x-amz-function-error': 'Unhandled' }) };
    res.writeHead(200, headers).end(JSON.stringify(result.ok ? result.payload : result.error));
  }
}

/** Sends a Glue operation's result, or its error in AWS's shape: our own GlueApiError or one the control plane answered. */
function respondGlue(res: ServerResponse, call: () => unknown): Promise<void> {
  return Promise.resolve().then(call).then(
    (result) => sendJson(res, 200, result),
    (error) => {
      if (error instanceof GlueApiError) return sendJson(res, error.status, { __type: error.code, Message: error.message });
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status && status < 500) return sendJson(res, status, { __type: (error as Error).name, Message: (error as Error).message });
      throw error;
    },
  );
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** AWS JSON protocols carry timestamps as epoch seconds. */
function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body, function (key, value) {
    const raw = (this as Record<string, unknown>)[key];
    return raw instanceof Date ? raw.getTime() / 1000 : value;
  });
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': crypto.randomUUID() }).end(text);
}

/** Forwards a request unchanged (headers, body, signature) and streams the answer back. */
function proxy(req: IncomingMessage, res: ServerResponse, baseUrl: string, body?: Buffer): Promise<void> {
  const url = new URL(req.url ?? '/', baseUrl);
  return new Promise((resolve, reject) => {
    const upstream = request(url, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
      answer.on('end', resolve);
      answer.on('error', reject);
    });
    upstream.on('error', (error) => {
      if (res.headersSent) return reject(error);
      sendJson(res, 502, { __type: 'ServiceUnavailable', Message: `the emulator's upstream ${baseUrl} did not answer (${error.message}): is it running? see \`npm run dev:status\`` });
      resolve();
    });
    if (body) upstream.end(body);
    else req.pipe(upstream);
  });
}
