import type { IncomingHttpHeaders } from 'node:http';
import { AwsApiError } from './aws-api-error.js';
import { serviceModel, type ModelName, type OperationModel, type ServiceModel } from './service-model.js';

/** One request as the gateway sees it, before it is served here or passed to the control plane. */
export interface GatewayCall {
  method: string;
  /** The path as sent (still percent-encoded), without the query string. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** The own operation the call resolved to; undefined when it passes to moto. */
  operation?: { service: ModelName; name: string };
  /**
   * The request body, read once and capped. A call whose body was read is forwarded from memory;
   * one whose body nobody read streams to moto (S3 uploads must, whatever their size).
   */
  body(): Promise<Buffer>;
}

/** The request's members by the operation's input shape: JSON members as sent, a REST blob payload as bytes. */
export type OperationInput = Record<string, unknown>;

interface HandlerLimits {
  /** The largest body this operation accepts, as AWS caps it; the gateway's default otherwise. */
  maxBodyBytes?: number;
  /** How the service words a body past the cap, where it differs from the common error (Lambda's Invoke). */
  tooLarge?: { code: string; operation: string };
}

/** Answers the operation here; the result is the operation's output shape. */
export interface ServedOperation extends HandlerLimits {
  serve(input: OperationInput, call: GatewayCall): unknown;
}

/** Looks at the request (to keep what the emulator needs from it), then passes it to moto, which answers. */
export interface ObservedOperation extends HandlerLimits {
  observe(input: OperationInput, call: GatewayCall): void | Promise<void>;
}

export type OperationHandler = ServedOperation | ObservedOperation;

/** A service the emulator handles operations of itself. */
export interface OwnService {
  model: ModelName;
  operations: Record<string, OperationHandler>;
  /**
   * What becomes of the service's other operations: they pass to moto (the default, for services whose
   * control plane moto keeps), or are answered as not implemented (a service the emulator owns whole).
   */
  others?: 'control-plane' | 'not-implemented';
}

export interface ResolvedOperation {
  service: OwnService;
  model: ServiceModel;
  operation: OperationModel;
  handler: OperationHandler;
  /** Values of the REST path's `{labels}`, decoded. */
  labels: Record<string, string>;
}

interface RestRoute {
  method: string;
  pattern: RegExp;
  labelNames: string[];
  service: OwnService;
  model: ServiceModel;
  operation: OperationModel;
}

export class RegistryError extends Error {
  override readonly name = 'RegistryError';
}

/** Answers an operation of an emulator-owned service that the emulator lacks, or one AWS does not have. */
function notImplemented(model: ServiceModel, name: string): ServedOperation {
  const known = Boolean(model.operations[name]);
  return {
    serve() {
      if (!known) throw new AwsApiError('UnknownOperationException', `${model.metadata.targetPrefix}.${name} is not an operation of ${model.metadata.serviceId}`, { status: 400 });
      throw new AwsApiError('NotImplementedException', `the emulator does not implement ${model.metadata.serviceId} ${name}; emulator/README.md lists what it serves`, { status: 501 });
    },
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `/2015-03-31/functions/{FunctionName}/invocations` → a pattern matching the sent path, and its label names. */
function compileRequestUri(requestUri: string): { pattern: RegExp; labelNames: string[] } {
  const path = requestUri.split('?')[0]!.replace(/\/$/, '');
  const labelNames: string[] = [];
  const source = path.split(/(\{[^}]+\})/).map((part) => {
    const label = /^\{([^}+]+)(\+?)\}$/.exec(part);
    if (!label) return escapeRegExp(part);
    labelNames.push(label[1]!);
    return label[2] ? '(.+)' : '([^/]+)';
  }).join('');
  return { pattern: new RegExp(`^${source}/?$`), labelNames };
}

/**
 * Which operations the emulator answers itself: JSON-protocol services by their `X-Amz-Target` prefix
 * and operation name, REST services by the method and path template of botocore's model. Everything
 * the registry does not resolve passes to moto.
 */
export class ServiceRegistry {
  private readonly byTarget = new Map<string, { service: OwnService; model: ServiceModel }>();
  private readonly routes: RestRoute[] = [];

  constructor(readonly services: OwnService[]) {
    for (const service of services) {
      const model = serviceModel(service.model);
      for (const name of Object.keys(service.operations)) {
        if (!model.operations[name]) throw new RegistryError(`${service.model} has no operation ${name} in botocore's model: check the spelling in the service's operations`);
      }
      if (model.metadata.protocol === 'json') {
        this.byTarget.set(model.metadata.targetPrefix!, { service, model });
        continue;
      }
      if (model.metadata.protocol !== 'rest-json') throw new RegistryError(`${service.model} uses the ${model.metadata.protocol} protocol, which the gateway does not serve`);
      for (const name of Object.keys(service.operations)) {
        const operation = model.operations[name]!;
        this.routes.push({ method: operation.http.method, ...compileRequestUri(operation.http.requestUri), service, model, operation });
      }
    }
  }

  resolve(request: { method: string; path: string; headers: IncomingHttpHeaders }): ResolvedOperation | undefined {
    const target = request.headers['x-amz-target'];
    if (typeof target === 'string') {
      const separator = target.lastIndexOf('.');
      const own = this.byTarget.get(target.slice(0, separator));
      const name = target.slice(separator + 1);
      if (!own || request.method !== 'POST') return undefined;
      const handler = own.service.operations[name] ?? (own.service.others === 'not-implemented' ? notImplemented(own.model, name) : undefined);
      if (!handler) return undefined;
      return { ...own, operation: own.model.operations[name] ?? { name, http: { method: 'POST', requestUri: '/' } }, handler, labels: {} };
    }
    for (const route of this.routes) {
      if (route.method !== request.method) continue;
      const match = route.pattern.exec(request.path);
      if (!match) continue;
      let labels: Record<string, string>;
      try {
        labels = Object.fromEntries(route.labelNames.map((label, index) => [label, decodeURIComponent(match[index + 1]!)]));
      } catch {
        continue;
      }
      return { service: route.service, model: route.model, operation: route.operation, handler: route.service.operations[route.operation.name]!, labels };
    }
    return undefined;
  }

  /** Every operation the emulator handles, with how: the README's conformance table is held against it. */
  servedOperations(): { service: ModelName; operation: string; mode: 'served' | 'observed' }[] {
    return this.services.flatMap((service) => Object.entries(service.operations).map(([operation, handler]) => ({
      service: service.model, operation, mode: 'serve' in handler ? 'served' as const : 'observed' as const,
    })));
  }
}
