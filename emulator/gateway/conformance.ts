import { AwsApiError, commonErrors } from './aws-api-error.js';
import { errorMembers } from './aws-wire.js';
import type { ShapeRef } from './service-model.js';
import type { OperationInput, ResolvedOperation } from './service-registry.js';
import { checkShape, validationMessage } from './shape-check.js';

/**
 * Errors any AWS endpoint can answer whatever the operation's model lists: the protocol's own
 * (validation, serialization, unknown operation, throttling, access, size) and the emulator's
 * NotImplementedException for an operation it lacks.
 */
const commonErrorCodes = new Set([
  'ValidationException', 'SerializationException', 'UnknownOperationException', 'InternalFailure', 'ServiceUnavailable',
  'AccessDeniedException', 'ThrottlingException', 'RequestEntityTooLargeException', 'NotImplementedException',
]);

/** An answer of the emulator's own that AWS's model says AWS would never give: a bug of the emulator. */
export class ConformanceError extends Error {
  override readonly name = 'ConformanceError';
}

function describe(resolved: ResolvedOperation): string {
  return `${resolved.model.metadata.serviceId} ${resolved.operation.name}`;
}

/** Refuses a request that AWS would refuse before running it: a wrong JSON type, or a broken constraint. */
export function assertValidRequest(resolved: ResolvedOperation, input: OperationInput): void {
  if (!resolved.operation.input) return;
  const problems = checkShape({ model: resolved.model, ref: resolved.operation.input, value: input, direction: 'request' });
  const typeProblem = problems.find((problem) => problem.kind === 'type');
  if (typeProblem) throw commonErrors.serialization(`${describe(resolved)}: ${typeProblem.message}`);
  const broken = problems.filter((problem) => problem.kind === 'constraint');
  if (broken.length > 0) throw new AwsApiError('ValidationException', validationMessage(broken), { status: 400 });
}

/** Fails when an output the emulator produced (as it goes on the wire) is not the operation's output shape. */
export function assertConformingOutput(resolved: ResolvedOperation, wire: Record<string, unknown>): void {
  if (!resolved.operation.output) return;
  const problems = checkShape({ model: resolved.model, ref: resolved.operation.output, value: wire, direction: 'response' });
  if (problems.length > 0) {
    throw new ConformanceError(`the emulator's answer to ${describe(resolved)} does not conform to AWS's model: ${problems.map((problem) => problem.message).join('; ')}`);
  }
}

/** Fails when an error the emulator raised is not one the operation can answer, or lacks members its shape requires. */
export function assertConformingError(resolved: ResolvedOperation, error: AwsApiError): void {
  const declared = (resolved.operation.errors ?? []).some((ref) => ref.shape === error.code);
  if (!declared && !commonErrorCodes.has(error.code)) {
    throw new ConformanceError(`the emulator answered ${describe(resolved)} with ${error.code}, which AWS's model does not list for it (${(resolved.operation.errors ?? []).map((ref) => ref.shape).join(', ')})`);
  }
  if (!declared) return;
  const ref: ShapeRef = { shape: error.code };
  const problems = checkShape({ model: resolved.model, ref, value: errorMembers(resolved.model, error), direction: 'response' });
  if (problems.length > 0) {
    throw new ConformanceError(`the emulator's ${error.code} for ${describe(resolved)} does not conform to AWS's model: ${problems.map((problem) => problem.message).join('; ')}`);
  }
}
