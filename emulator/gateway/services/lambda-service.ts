import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { awsClientConfig, type AwsTarget } from '../../../stage/aws-target.js';
import type { AsyncInvoker } from '../../events/async-invoker.js';
import type { FunctionInvoker } from '../../lambda-runtime/function-invoker.js';
import type { LambdaCodeStore } from '../../lambda-runtime/lambda-code-store.js';
import { AwsApiError } from '../aws-api-error.js';
import type { OperationInput, OwnService } from '../service-registry.js';

export interface LambdaServiceOptions {
  invoker: FunctionInvoker;
  asyncInvoker: AsyncInvoker;
  codeStore: LambdaCodeStore;
  /** Where function configurations live (moto). */
  controlPlane: AwsTarget;
}

/** Lambda's payload quotas: 6 MB each way for a synchronous call, 1 MB for an asynchronous event. */
export const syncPayloadBytes = 6 * 1024 * 1024;
export const asyncPayloadBytes = 1024 * 1024;
/** Lambda's limit on a CreateFunction or UpdateFunctionCode request (a 50 MB zip, base64 in JSON). */
const codeRequestBytes = 70_167_211;

/**
 * The function's name from any form Invoke accepts (name, name:qualifier, partial or full ARN).
 * The emulator runs $LATEST whatever the qualifier.
 */
export function functionNameOf(value: string): string {
  const parts = value.split(':');
  if (parts[0] === 'arn') return parts[6] ?? value;
  if (parts[1] === 'function') return parts[2] ?? value;
  return parts[0]!;
}

function eventOf(payload: unknown): unknown {
  if (payload === undefined) return {};
  const text = Buffer.from(payload as Buffer).toString('utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new AwsApiError('InvalidRequestContentException', `Could not parse request body into json: ${(error as Error).message}`, { fields: { Type: 'User' } });
  }
}

/** The zip of a CreateFunction (`Code.ZipFile`) or UpdateFunctionCode (`ZipFile`) request, base64 in JSON. */
function zipOf(input: OperationInput): Buffer | undefined {
  const encoded = (input.Code as { ZipFile?: unknown } | undefined)?.ZipFile ?? input.ZipFile;
  return typeof encoded === 'string' && encoded ? Buffer.from(encoded, 'base64') : undefined;
}

/**
 * Lambda invocations run here (the emulator's Lambda runtime); CreateFunction and UpdateFunctionCode
 * pass to moto after the gateway keeps their zip, which moto cannot hand back. Everything else is moto's.
 */
export function lambdaService(options: LambdaServiceOptions): OwnService {
  const lambda = new LambdaClient(awsClientConfig(options.controlPlane));
  const keepCode = (input: OperationInput) => {
    const zip = zipOf(input);
    if (zip) options.codeStore.save(zip);
  };
  return {
    model: 'lambda',
    operations: {
      Invoke: {
        maxBodyBytes: syncPayloadBytes,
        tooLarge: { code: 'RequestTooLargeException', operation: 'InvokeFunction' },
        async serve(input) {
          const functionName = functionNameOf(String(input.FunctionName));
          const invocationType = input.InvocationType ?? 'RequestResponse';
          const event = eventOf(input.Payload);
          if (invocationType !== 'RequestResponse') {
            // Lambda checks the function exists before it accepts an event or a dry run.
            await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionName }));
            if (invocationType === 'DryRun') return { StatusCode: 204 };
            const size = Buffer.from((input.Payload as Buffer | undefined) ?? []).length;
            if (size > asyncPayloadBytes) {
              throw new AwsApiError('RequestEntityTooLargeException', `${size} byte payload is too large for the Event invocation type (limit ${asyncPayloadBytes} bytes)`, { status: 413 });
            }
            options.asyncInvoker.invoke(functionName, event);
            return { StatusCode: 202 };
          }
          const result = await options.invoker.invoke(functionName, event);
          let payload = Buffer.from(JSON.stringify((result.ok ? result.payload : result.error) ?? null));
          let failed = !result.ok;
          if (payload.length > syncPayloadBytes) {
            payload = Buffer.from(JSON.stringify({ errorMessage: `Response payload size exceeded maximum allowed payload size (${syncPayloadBytes} bytes).`, errorType: 'Function.ResponseSizeTooLarge' }));
            failed = true;
          }
          return { StatusCode: 200, ExecutedVersion: '$LATEST', ...(failed ? { FunctionError: 'Unhandled' } : {}), Payload: payload };
        },
      },
      CreateFunction: { maxBodyBytes: codeRequestBytes, observe: keepCode },
      UpdateFunctionCode: { maxBodyBytes: codeRequestBytes, observe: keepCode },
    },
  };
}
