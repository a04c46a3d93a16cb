import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { venvDir } from '../../stage/python-env.js';

/** A member of a structure, or the element of a list or map, as botocore's JSON models write it. */
export interface ShapeRef {
  shape: string;
  location?: 'uri' | 'querystring' | 'header' | 'headers' | 'statusCode';
  locationName?: string;
}

export interface Shape {
  type: 'structure' | 'list' | 'map' | 'string' | 'integer' | 'long' | 'float' | 'double' | 'boolean' | 'blob' | 'timestamp';
  members?: Record<string, ShapeRef>;
  required?: string[];
  member?: ShapeRef;
  key?: ShapeRef;
  value?: ShapeRef;
  enum?: string[];
  min?: number;
  max?: number;
  pattern?: string;
  /** The member carried as the HTTP body of a REST operation. */
  payload?: string;
  exception?: boolean;
  /** A server-side error (5xx) rather than the caller's. */
  fault?: boolean;
  error?: { httpStatusCode?: number; code?: string; senderFault?: boolean };
  union?: boolean;
  timestampFormat?: 'iso8601' | 'unixTimestamp' | 'rfc822';
}

export interface OperationModel {
  name: string;
  http: { method: string; requestUri: string; responseCode?: number };
  input?: ShapeRef;
  output?: ShapeRef;
  errors?: ShapeRef[];
}

export interface ServiceModel {
  metadata: { protocol: 'json' | 'rest-json' | string; targetPrefix?: string; jsonVersion?: string; serviceId: string; apiVersion: string };
  operations: Record<string, OperationModel>;
  shapes: Record<string, Shape>;
}

/** The service models the emulator serves operations of, by botocore's folder name. */
export type ModelName = 'glue' | 'lambda' | 'redshift-data';

export class ServiceModelMissingError extends Error {
  override readonly name = 'ServiceModelMissingError';
}

/** botocore ships every AWS service model; it is in the project's Python environment because moto depends on it. */
function botocoreDataDir(): string {
  const lib = join(venvDir, 'lib');
  const site = existsSync(lib) ? readdirSync(lib).filter((name) => name.startsWith('python')).map((name) => join(lib, name, 'site-packages', 'botocore', 'data')) : [];
  const found = site.find((dir) => existsSync(dir));
  if (!found) throw new ServiceModelMissingError(`botocore's service models were not found under ${lib}: run \`npm run setup:python\` (moto, in emulator/requirements.txt, installs botocore)`);
  return found;
}

const models = new Map<ModelName, ServiceModel>();

/** The newest API version of a service's model, as the AWS SDKs and CLI use it; read once per process. */
export function serviceModel(name: ModelName): ServiceModel {
  const cached = models.get(name);
  if (cached) return cached;
  const serviceDir = join(botocoreDataDir(), name);
  const version = readdirSync(serviceDir).sort().reverse()
    .find((candidate) => ['service-2.json.gz', 'service-2.json'].some((file) => existsSync(join(serviceDir, candidate, file))));
  if (!version) throw new ServiceModelMissingError(`botocore has no service-2.json for ${name} under ${serviceDir}: reinstall it with \`npm run setup:python\``);
  const gzipped = join(serviceDir, version, 'service-2.json.gz');
  const text = existsSync(gzipped) ? gunzipSync(readFileSync(gzipped)).toString('utf8') : readFileSync(join(serviceDir, version, 'service-2.json'), 'utf8');
  const model = JSON.parse(text) as ServiceModel;
  models.set(name, model);
  return model;
}

export function shapeOf(model: ServiceModel, ref: ShapeRef | string): Shape {
  const name = typeof ref === 'string' ? ref : ref.shape;
  const shape = model.shapes[name];
  if (!shape) throw new ServiceModelMissingError(`the ${model.metadata.serviceId} model has no shape ${name}`);
  return shape;
}
