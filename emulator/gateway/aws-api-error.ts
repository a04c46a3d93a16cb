/**
 * An error the gateway answers with, as AWS would: its code (`__type` and the `x-amzn-errortype`
 * header), its message, and the members the service model gives that error (for example the
 * Redshift Data API's ResourceNotFoundException carries ResourceId). The HTTP status comes from the
 * model unless given: the error's `httpStatusCode`, else 500 for a fault and 400 for the caller's error.
 */
export class AwsApiError extends Error {
  override readonly name: string = 'AwsApiError';

  constructor(
    readonly code: string,
    message: string,
    readonly details: { status?: number; fields?: Record<string, unknown>; cause?: unknown } = {},
  ) {
    super(message, { cause: details.cause });
  }
}

/** Errors outside any service model that every AWS endpoint can answer. */
export const commonErrors = {
  serialization: (message: string) => new AwsApiError('SerializationException', message, { status: 400 }),
  tooLarge: (message: string, code = 'RequestEntityTooLargeException') => new AwsApiError(code, message, { status: 413 }),
  internal: (message: string, cause?: unknown) => new AwsApiError('InternalFailure', message, { status: 500, cause }),
  unavailable: (message: string) => new AwsApiError('ServiceUnavailable', message, { status: 503 }),
} as const;

/**
 * An error the control plane (moto) answered through an AWS SDK client, as the caller's error it was:
 * a 4xx from moto is passed on with its code, message and modeled members; anything else is ours to report.
 */
export function controlPlaneError(error: unknown): AwsApiError | undefined {
  const status = (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
  if (!status || status >= 500 || !(error instanceof Error)) return undefined;
  const fields = Object.fromEntries(Object.entries(error).filter(([key]) => /^[A-Z]/.test(key)));
  return new AwsApiError(error.name, error.message, { status, fields, cause: error });
}
