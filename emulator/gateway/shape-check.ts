import { shapeOf, type ServiceModel, type Shape, type ShapeRef } from './service-model.js';

/**
 * One way a value differs from its shape in botocore's model. `type` is a value of the wrong JSON type
 * (AWS answers SerializationException), `constraint` a value outside the shape's rules (required,
 * enum, length, range, pattern: ValidationException), `unknown` a member the shape does not have
 * (ignored in requests, as AWS does; a conformance failure in the emulator's own responses).
 */
export interface ShapeProblem {
  kind: 'type' | 'constraint' | 'unknown';
  path: string;
  message: string;
}

const patterns = new Map<string, RegExp | null>();

/**
 * A model pattern as a full-match JavaScript expression (AWS matches the whole value). The models
 * write Java expressions; the few JavaScript cannot compile are skipped rather than guessed.
 */
function compiledPattern(pattern: string): RegExp | null {
  if (!patterns.has(pattern)) {
    let compiled: RegExp | null = null;
    for (const flags of ['u', '']) {
      try {
        compiled = new RegExp(`^(?:${pattern})$`, flags);
        break;
      } catch {
        // try without the unicode flag, then give up on this pattern
      }
    }
    patterns.set(pattern, compiled);
  }
  return patterns.get(pattern)!;
}

/** A value as AWS's validation messages print it. */
function shown(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return `'${value.length > 200 ? `${value.slice(0, 200)}…` : value}'`;
  if (Array.isArray(value)) return `[${value.map((item) => (typeof item === 'string' ? item : JSON.stringify(item))).join(', ')}]`;
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** AWS names members in lower camel case in its messages (`jobName`, `sqls.1.member`). */
function memberPath(parent: string, member: string): string {
  const name = member.charAt(0).toLowerCase() + member.slice(1);
  return parent ? `${parent}.${name}` : name;
}

interface Walk {
  model: ServiceModel;
  /** Responses are checked strictly: unknown members are reported, and timestamps must be numbers. */
  direction: 'request' | 'response';
  problems: ShapeProblem[];
}

function constraint(walk: Walk, path: string, value: unknown, rule: string): void {
  walk.problems.push({ kind: 'constraint', path, message: `Value ${shown(value)} at '${path}' failed to satisfy constraint: ${rule}` });
}

function wrongType(walk: Walk, path: string, value: unknown, expected: string): void {
  walk.problems.push({ kind: 'type', path, message: `${path || 'the body'} must be ${expected}, got ${Array.isArray(value) ? 'a list' : value === null ? 'null' : typeof value}` });
}

function checkLength(walk: Walk, options: { shape: Shape; path: string; value: unknown; length: number }): void {
  const { shape, path, value, length } = options;
  if (shape.min !== undefined && length < shape.min) constraint(walk, path, value, `Member must have length greater than or equal to ${shape.min}`);
  if (shape.max !== undefined && length > shape.max) constraint(walk, path, value, `Member must have length less than or equal to ${shape.max}`);
}

function checkValue(walk: Walk, ref: ShapeRef, value: unknown, path: string): void {
  if (value === undefined || value === null) return;
  const shape = shapeOf(walk.model, ref);
  switch (shape.type) {
    case 'structure':
      return checkStructure(walk, { name: ref.shape, shape }, value, path);
    case 'list':
      if (!Array.isArray(value)) return wrongType(walk, path, value, 'a list');
      checkLength(walk, { shape, path, value, length: value.length });
      value.forEach((item, index) => {
        if (item === null || item === undefined) constraint(walk, `${path}.${index + 1}.member`, item, 'Member must not be null');
        else checkValue(walk, shape.member!, item, `${path}.${index + 1}.member`);
      });
      return;
    case 'map':
      if (typeof value !== 'object' || Array.isArray(value)) return wrongType(walk, path, value, 'a map');
      checkLength(walk, { shape, path, value, length: Object.keys(value).length });
      for (const [key, item] of Object.entries(value)) {
        checkValue(walk, shape.key!, key, `${path}.${key}.key`);
        checkValue(walk, shape.value!, item, `${path}.${key}.value`);
      }
      return;
    case 'string': {
      if (typeof value !== 'string') return wrongType(walk, path, value, 'a string');
      if (shape.enum && !shape.enum.includes(value)) return constraint(walk, path, value, `Member must satisfy enum value set: [${shape.enum.join(', ')}]`);
      checkLength(walk, { shape, path, value, length: value.length });
      const pattern = shape.pattern ? compiledPattern(shape.pattern) : null;
      if (pattern && !pattern.test(value)) constraint(walk, path, value, `Member must satisfy regular expression pattern: ${shape.pattern}`);
      return;
    }
    case 'integer':
    case 'long':
      if (typeof value !== 'number' || !Number.isInteger(value)) return wrongType(walk, path, value, 'a whole number');
      if (shape.min !== undefined && value < shape.min) constraint(walk, path, value, `Member must have value greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && value > shape.max) constraint(walk, path, value, `Member must have value less than or equal to ${shape.max}`);
      return;
    case 'float':
    case 'double':
      if (typeof value !== 'number' || !Number.isFinite(value)) return wrongType(walk, path, value, 'a number');
      return;
    case 'boolean':
      if (typeof value !== 'boolean') wrongType(walk, path, value, 'true or false');
      return;
    case 'timestamp':
      // JSON protocols send epoch seconds unless the shape asks for ISO 8601; requests may also carry text.
      if (shape.timestampFormat === 'iso8601' ? typeof value !== 'string' : typeof value !== 'number' && (walk.direction === 'response' || typeof value !== 'string')) {
        wrongType(walk, path, value, shape.timestampFormat === 'iso8601' ? 'an ISO 8601 date-time' : 'epoch seconds');
      }
      return;
    case 'blob':
      if (typeof value !== 'string' && !Buffer.isBuffer(value) && !(value instanceof Uint8Array)) return wrongType(walk, path, value, 'base64 text');
      return;
  }
}

function checkStructure(walk: Walk, structure: { name: string; shape: Shape }, value: unknown, path: string): void {
  const { shape } = structure;
  if (typeof value !== 'object' || value === null || Array.isArray(value) || Buffer.isBuffer(value)) return wrongType(walk, path, value, 'a structure');
  const members = shape.members ?? {};
  const record = value as Record<string, unknown>;
  for (const name of shape.required ?? []) {
    if (record[name] === undefined || record[name] === null) constraint(walk, memberPath(path, name), null, 'Member must not be null');
  }
  const present = Object.entries(record).filter(([, item]) => item !== undefined && item !== null);
  if (shape.union && present.length !== 1) {
    constraint(walk, path, value, `Member must have exactly one of its members set, found ${present.length} (${present.map(([name]) => name).join(', ') || 'none'})`);
  }
  for (const [name, item] of present) {
    const ref = members[name];
    if (ref) checkValue(walk, ref, item, memberPath(path, name));
    else if (walk.direction === 'response') walk.problems.push({ kind: 'unknown', path: memberPath(path, name), message: `${name} (at '${memberPath(path, name)}') is not a member of ${structure.name}` });
  }
}

/** Every difference between a value (as it goes on the wire) and its shape in the model. */
export function checkShape(options: { model: ServiceModel; ref: ShapeRef; value: unknown; direction: Walk['direction'] }): ShapeProblem[] {
  const walk: Walk = { model: options.model, direction: options.direction, problems: [] };
  checkValue(walk, options.ref, options.value ?? {}, '');
  return walk.problems;
}

/** AWS's summary line of a request's constraint violations. */
export function validationMessage(problems: ShapeProblem[]): string {
  const count = problems.length;
  return `${count} validation error${count === 1 ? '' : 's'} detected: ${problems.map((problem) => problem.message).join('; ')}`;
}
