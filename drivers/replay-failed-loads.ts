import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { DeleteMessageCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** A Lambda on-failure destination record (what AWS sends when an async invocation's retries are spent). */
interface FailureRecord {
  requestContext?: { functionArn?: string; condition?: string; approximateInvokeCount?: number };
  requestPayload?: unknown;
}

export interface ReplayedLoad {
  functionArn: string;
  condition: string;
  detail: unknown;
}

/**
 * Sends every event that exhausted the loader's retries back to the loader (asynchronously, as
 * EventBridge did), then deletes it from the failure queue. The loader is idempotent per run, so a
 * replay of a run that was loaded meanwhile changes nothing. Returns what it replayed.
 */
export async function replayFailedLoads(options: { sqs: SQSClient; lambda: LambdaClient; queueUrl: string; functionName: string }): Promise<ReplayedLoad[]> {
  const replayed: ReplayedLoad[] = [];
  for (;;) {
    const { Messages = [] } = await options.sqs.send(new ReceiveMessageCommand({ QueueUrl: options.queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1, VisibilityTimeout: 60 }));
    if (Messages.length === 0) return replayed;
    for (const message of Messages) {
      const record = JSON.parse(message.Body ?? '{}') as FailureRecord;
      if (record.requestPayload === undefined) throw new Error(`message ${message.MessageId} of ${options.queueUrl} is not a Lambda on-failure record (no requestPayload)`);
      await options.lambda.send(new InvokeCommand({
        FunctionName: options.functionName, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify(record.requestPayload)),
      }));
      await options.sqs.send(new DeleteMessageCommand({ QueueUrl: options.queueUrl, ReceiptHandle: message.ReceiptHandle }));
      replayed.push({
        functionArn: record.requestContext?.functionArn ?? options.functionName,
        condition: record.requestContext?.condition ?? 'unknown',
        detail: (record.requestPayload as { detail?: unknown }).detail,
      });
    }
  }
}
