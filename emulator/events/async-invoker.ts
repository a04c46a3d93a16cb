import { randomUUID } from 'node:crypto';
import { GetFunctionConfigurationCommand, GetFunctionEventInvokeConfigCommand, LambdaClient, ResourceNotFoundException } from '@aws-sdk/client-lambda';
import { GetQueueUrlCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { awsClientConfig, type AwsTarget } from '../../stage/aws-target.js';
import type { RoleSessions } from '../iam/role-sessions.js';
import type { FunctionInvoker, InvocationResult } from '../lambda-runtime/function-invoker.js';

export interface AsyncInvokerOptions {
  controlPlane: AwsTarget;
  invoker: FunctionInvoker;
  /** Waits before the first and second retry; AWS waits about 1 and 2 minutes, the emulator less by default. */
  retryDelaysMs?: number[];
  /** With roleEndpoint: records go to SQS destinations with the function's execution role through the gateway, as Lambda sends them. */
  roleSessions?: RoleSessions;
  roleEndpoint?: AwsTarget;
  log?: (message: string) => void;
}

const defaultRetryDelaysMs = [1000, 2000];

/** Lambda's asynchronous invocation: retries with backoff, maximum event age, then the on-failure destination. */
export class AsyncInvoker {
  private readonly lambda: LambdaClient;
  private readonly sqs: SQSClient;
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly options: AsyncInvokerOptions) {
    this.lambda = new LambdaClient(awsClientConfig(options.controlPlane));
    this.sqs = new SQSClient(awsClientConfig(options.controlPlane));
  }

  /** Queues the event like an `InvocationType: Event` call and returns at once. */
  invoke(functionName: string, event: unknown): void {
    const run = this.deliver(functionName, event).catch((error) => this.options.log?.(`async invoke of ${functionName} failed: ${error}`));
    this.pending.add(run);
    void run.finally(() => this.pending.delete(run));
  }

  /** Resolves when every queued invocation has finished, retries and destinations included. */
  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  private async deliver(functionName: string, event: unknown): Promise<void> {
    const config = await this.invokeConfig(functionName);
    const firstAttemptAt = Date.now();
    const delays = this.options.retryDelaysMs ?? defaultRetryDelaysMs;
    let attempts = 0;
    let last: InvocationResult | undefined;
    let condition = 'RetriesExhausted';
    while (attempts <= config.maximumRetryAttempts) {
      if (attempts > 0) {
        await new Promise((resolve) => setTimeout(resolve, delays[Math.min(attempts - 1, delays.length - 1)]));
        if (Date.now() - firstAttemptAt > config.maximumEventAgeSeconds * 1000) {
          condition = 'EventAgeExceeded';
          break;
        }
      }
      attempts += 1;
      last = await this.options.invoker.invoke(functionName, event);
      if (last.ok) break;
    }
    const succeeded = last?.ok ?? false;
    const destination = succeeded ? config.onSuccess : config.onFailure;
    if (!destination) return;
    const record = {
      version: '1.0',
      timestamp: new Date().toISOString(),
      requestContext: { requestId: last?.requestId ?? randomUUID(), functionArn: config.functionArn, condition: succeeded ? 'Success' : condition, approximateInvokeCount: attempts },
      requestPayload: event,
      responseContext: { statusCode: 200, executedVersion: '$LATEST', ...(succeeded ? {} : { functionError: 'Unhandled' }) },
      responsePayload: last?.ok ? last.payload : last?.error,
    };
    await this.sendToDestination({ functionName, destinationArn: destination, record });
  }

  private async sendToDestination(options: { functionName: string; destinationArn: string; record: unknown }): Promise<void> {
    const { destinationArn, record } = options;
    const [, , service, , account, resource] = destinationArn.split(':');
    if (service === 'sqs') {
      const { QueueUrl } = await this.sqs.send(new GetQueueUrlCommand({ QueueName: resource, QueueOwnerAWSAccountId: account }));
      const sender = await this.destinationSender(options.functionName);
      await sender.send(new SendMessageCommand({ QueueUrl, MessageBody: JSON.stringify(record) }));
    } else if (service === 'lambda') {
      this.invoke(destinationArn.split(':')[6]!, record);
    } else {
      this.options.log?.(`async invoke destination ${destinationArn} is not supported by the emulator (SQS and Lambda are)`);
    }
  }

  /** The SQS client destination records go out with: the function's execution role, as Lambda sends them. */
  private async destinationSender(functionName: string): Promise<SQSClient> {
    const { roleSessions, roleEndpoint } = this.options;
    if (!roleSessions || !roleEndpoint) return this.sqs;
    const { Role: roleArn } = await this.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionName }));
    return new SQSClient({ ...awsClientConfig(roleEndpoint), credentials: roleSessions.provider({ roleArn: roleArn ?? '', sessionName: functionName }) });
  }

  private async invokeConfig(functionName: string) {
    try {
      const config = await this.lambda.send(new GetFunctionEventInvokeConfigCommand({ FunctionName: functionName }));
      return {
        functionArn: config.FunctionArn ?? functionName,
        maximumRetryAttempts: config.MaximumRetryAttempts ?? 2,
        maximumEventAgeSeconds: config.MaximumEventAgeInSeconds ?? 21600,
        onFailure: config.DestinationConfig?.OnFailure?.Destination,
        onSuccess: config.DestinationConfig?.OnSuccess?.Destination,
      };
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
      return { functionArn: functionName, maximumRetryAttempts: 2, maximumEventAgeSeconds: 21600, onFailure: undefined, onSuccess: undefined };
    }
  }
}
