import { S3Client } from '@aws-sdk/client-s3';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { assertPortFree } from '../process/managed-process.js';
import { DatabasePools } from '../postgres/database-pools.js';
import type { PostgresEngine } from '../postgres/postgres-engine.js';
import { DataApiError } from './data-api-error.js';
import { RedshiftDataApi, type RedshiftDataApiOptions } from './redshift-data-api.js';
import { secretLogins } from './session-logins.js';
import { StatementExecutor } from './statement-executor.js';

export interface RedshiftDataServerOptions extends RedshiftDataApiOptions {
  /** 0 picks a free port. */
  port: number;
  engine: PostgresEngine;
  /** Where COPY and UNLOAD read and write S3 (the moto server). */
  s3Endpoint: string;
  region: string;
  /** Credentials for the S3 endpoint; moto accepts any. */
  s3Credentials?: { accessKeyId: string; secretAccessKey: string };
  /**
   * Sign each statement in as the user of its SecretArn, read from the control plane's Secrets Manager
   * (the cluster's master user stays the engine's own role); off, every statement runs as the engine's role.
   */
  secretLogins?: boolean;
}

export interface RedshiftDataServer {
  endpoint: string;
  /** Cancels running statements, closes the engine's connections and the HTTP server (the engine keeps running). */
  stop(): Promise<void>;
}

const TARGET_PREFIX = 'RedshiftData.';

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks).toString('utf8');
  try {
    return body ? JSON.parse(body) as Record<string, unknown> : {};
  } catch {
    throw new DataApiError('ValidationException', 'the request body is not valid JSON');
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID(), 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Serves the Redshift Data API (AWS JSON 1.1 over HTTP) on 127.0.0.1, backed by a Postgres engine. */
export async function startRedshiftDataApi(options: RedshiftDataServerOptions): Promise<RedshiftDataServer> {
  if (options.port !== 0) await assertPortFree(options.port, 'the Redshift Data API emulator');
  const pools = new DatabasePools(options.engine);
  const credentials = options.s3Credentials ?? { accessKeyId: 'emulator', secretAccessKey: 'emulator' };
  const s3 = new S3Client({ endpoint: options.s3Endpoint, region: options.region, forcePathStyle: true, credentials });
  const logins = options.secretLogins ? secretLogins({ endpoint: options.s3Endpoint, region: options.region, credentials }) : undefined;
  const api = new RedshiftDataApi(new StatementExecutor(pools, s3, logins?.resolve), options);
  const server = createServer((req, res) => {
    void (async () => {
      try {
        const target = String(req.headers['x-amz-target'] ?? '');
        if (req.method !== 'POST' || !target.startsWith(TARGET_PREFIX)) {
          throw new DataApiError('UnknownOperationException', `expected a POST with X-Amz-Target: ${TARGET_PREFIX}<Operation>, got ${req.method} ${target || 'no target'}`);
        }
        send(res, 200, await api.handle(target.slice(TARGET_PREFIX.length), await readJson(req)));
      } catch (error) {
        const apiError = error instanceof DataApiError ? error : new DataApiError('InternalServerException', String(error));
        send(res, apiError.httpStatus, { __type: apiError.type, message: apiError.message });
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', resolve);
  });
  const { port } = server.address() as { port: number };
  return {
    endpoint: `http://127.0.0.1:${port}`,
    async stop() {
      await api.stop();
      await pools.end();
      s3.destroy();
      logins?.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
