import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { AwsApiError, commonErrors } from './aws-api-error.js';
import { shapeOf, type ServiceModel, type Shape, type ShapeRef } from './service-model.js';
import type { OperationInput, ResolvedOperation } from './service-registry.js';

/** An answer ready to send. */
export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

function jsonContentType(model: ServiceModel | undefined): string {
  return model?.metadata.protocol === 'json' ? `application/x-amz-json-${model.metadata.jsonVersion ?? '1.1'}` : 'application/json';
}

function parseJsonObject(body: Buffer, what: string): Record<string, unknown> {
  if (body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw commonErrors.serialization(`the body of ${what} is not valid JSON (${(error as Error).message})`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw commonErrors.serialization(`the body of ${what} must be a JSON object`);
  return parsed as Record<string, unknown>;
}

/** A header, query or path value converted to the member's type, as the REST protocols carry them as text. */
function fromText(shape: Shape, text: string, member: string): unknown {
  if (shape.type === 'integer' || shape.type === 'long') {
    if (!/^-?\d+$/.test(text)) throw commonErrors.serialization(`${member} must be a whole number, got "${text}"`);
    return Number(text);
  }
  if (shape.type === 'float' || shape.type === 'double') return Number(text);
  if (shape.type === 'boolean') return text === 'true';
  return text;
}

/** The operation's input from the request: the JSON body, or for REST the path labels, query, headers and payload. */
export function decodeInput(resolved: ResolvedOperation, request: { query: URLSearchParams; headers: IncomingHttpHeaders; body: Buffer }): OperationInput {
  const { model, operation } = resolved;
  const what = `${model.metadata.serviceId} ${operation.name}`;
  if (!operation.input) return {};
  const shape = shapeOf(model, operation.input);
  if (model.metadata.protocol === 'json') return parseJsonObject(request.body, what);
  const input: OperationInput = {};
  const payload = shape.payload;
  for (const [name, ref] of Object.entries(shape.members ?? {})) {
    const wireName = ref.locationName ?? name;
    const memberShape = shapeOf(model, ref);
    if (ref.location === 'uri' && resolved.labels[wireName] !== undefined) input[name] = fromText(memberShape, resolved.labels[wireName], name);
    if (ref.location === 'querystring' && request.query.has(wireName)) {
      input[name] = memberShape.type === 'list' ? request.query.getAll(wireName) : fromText(memberShape, request.query.get(wireName)!, name);
    }
    const header = request.headers[wireName.toLowerCase()];
    if (ref.location === 'header' && typeof header === 'string') input[name] = fromText(memberShape, header, name);
  }
  if (payload) {
    const payloadShape = shapeOf(model, shape.members![payload]!);
    if (payloadShape.type === 'blob') {
      if (request.body.length > 0) input[payload] = request.body;
    } else if (request.body.length > 0) {
      input[payload] = parseJsonObject(request.body, what);
    }
    return input;
  }
  const located = new Set(Object.entries(shape.members ?? {}).filter(([, ref]) => ref.location).map(([name]) => name));
  for (const [name, value] of Object.entries(parseJsonObject(request.body, what))) {
    if (!located.has(name)) input[name] = value;
  }
  return input;
}

/**
 * A value as the JSON protocols carry it: timestamps as epoch seconds (or ISO 8601 where the shape
 * says so), blobs as base64. Members the shape does not know are kept as they are, for the
 * conformance check to see.
 */
export function toWireValue(model: ServiceModel, ref: ShapeRef, value: unknown): unknown {
  if (value === undefined || value === null) return value;
  const shape = shapeOf(model, ref);
  switch (shape.type) {
    case 'timestamp':
      if (!(value instanceof Date)) return value;
      return shape.timestampFormat === 'iso8601' ? value.toISOString() : value.getTime() / 1000;
    case 'blob':
      return Buffer.isBuffer(value) || value instanceof Uint8Array ? Buffer.from(value).toString('base64') : value;
    case 'list':
      return Array.isArray(value) ? value.map((item) => toWireValue(model, shape.member!, item)) : value;
    case 'map':
      if (typeof value !== 'object') return value;
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, toWireValue(model, shape.value!, item)]));
    case 'structure': {
      if (typeof value !== 'object' || Array.isArray(value)) return value;
      const members = shape.members ?? {};
      return Object.fromEntries(Object.entries(value)
        .filter(([, item]) => item !== undefined)
        .map(([key, item]) => [key, members[key] ? toWireValue(model, members[key], item) : item]));
    }
    default:
      return value;
  }
}

function requestIdHeaders(): Record<string, string> {
  return { 'x-amzn-requestid': randomUUID() };
}

/** The operation's output as its protocol sends it; `wire` is what the conformance check reads. */
export function encodeOutput(resolved: ResolvedOperation, output: unknown): { response: WireResponse; wire: Record<string, unknown> } {
  const { model, operation } = resolved;
  const outputRef = operation.output;
  const wire = (outputRef ? toWireValue(model, outputRef, output ?? {}) : {}) as Record<string, unknown>;
  const headers: Record<string, string> = { 'content-type': jsonContentType(model), ...requestIdHeaders() };
  if (model.metadata.protocol === 'json' || !outputRef) {
    return { response: { status: 200, headers, body: Buffer.from(JSON.stringify(wire)) }, wire };
  }
  const shape = shapeOf(model, outputRef);
  let status = operation.http.responseCode ?? 200;
  const body: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(wire)) {
    const ref = shape.members?.[name];
    if (ref?.location === 'statusCode') status = Number(value);
    else if (ref?.location === 'header') headers[(ref.locationName ?? name).toLowerCase()] = String(value);
    else if (name !== shape.payload) body[name] = value;
  }
  let bytes: Buffer = Buffer.from(JSON.stringify(body));
  if (shape.payload) {
    const payload = (output as Record<string, unknown>)[shape.payload];
    bytes = payload === undefined ? Buffer.alloc(0) : Buffer.isBuffer(payload) ? payload : Buffer.from(JSON.stringify(wire[shape.payload]));
  }
  return { response: { status, headers, body: bytes }, wire };
}

/** The members an error carries on the wire, by its shape in the model (a `Message` member gets the message). */
export function errorMembers(model: ServiceModel | undefined, error: AwsApiError): Record<string, unknown> {
  const shape = model?.shapes[error.code];
  if (!shape?.exception) return {};
  const fields = error.details.fields ?? {};
  return Object.fromEntries(Object.keys(shape.members ?? {})
    .map((name) => [name, fields[name] ?? (name.toLowerCase() === 'message' ? error.message : undefined)])
    .filter(([, value]) => value !== undefined));
}

export function errorStatus(model: ServiceModel | undefined, error: AwsApiError): number {
  const shape = model?.shapes[error.code];
  return error.details.status ?? shape?.error?.httpStatusCode ?? (shape?.fault ? 500 : 400);
}

/**
 * AWS's JSON error format, one for every JSON and REST-JSON service: `__type` and `message` in the body
 * (botocore and the JavaScript SDK read either `message` or `Message`), the error's modeled members
 * beside them, and the code in `x-amzn-errortype`, which REST-JSON clients read first.
 */
export function encodeJsonError(model: ServiceModel | undefined, error: AwsApiError): WireResponse {
  const body = { __type: error.code, message: error.message, ...errorMembers(model, error) };
  return {
    status: errorStatus(model, error),
    headers: { 'content-type': jsonContentType(model), 'x-amzn-errortype': error.code, ...requestIdHeaders() },
    body: Buffer.from(JSON.stringify(body)),
  };
}

function xmlText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * The same error for a request of an XML protocol: S3's `<Error>` document for REST-XML, the query
 * protocols' `<ErrorResponse>` for form-encoded calls (IAM, STS, SNS).
 */
export function encodeXmlError(error: AwsApiError, request: { headers: IncomingHttpHeaders }): WireResponse {
  const requestId = randomUUID();
  const inner = `<Code>${xmlText(error.code)}</Code><Message>${xmlText(error.message)}</Message>`;
  const query = String(request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
  const document = query
    ? `<ErrorResponse><Error><Type>${(error.details.status ?? 400) >= 500 ? 'Receiver' : 'Sender'}</Type>${inner}</Error><RequestId>${requestId}</RequestId></ErrorResponse>`
    : `<Error>${inner}<RequestId>${requestId}</RequestId></Error>`;
  return {
    status: error.details.status ?? 400,
    headers: { 'content-type': 'application/xml', 'x-amzn-requestid': requestId, 'x-amz-request-id': requestId },
    body: Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n${document}`),
  };
}

/** Whether a request that no own service resolved speaks a JSON protocol (so its errors are JSON). */
export function speaksJson(request: { headers: IncomingHttpHeaders }): boolean {
  return request.headers['x-amz-target'] !== undefined || String(request.headers['content-type'] ?? '').includes('json');
}
