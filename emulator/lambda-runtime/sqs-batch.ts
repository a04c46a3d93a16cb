import type { Message, MessageAttributeValue } from '@aws-sdk/client-sqs';

/** Builds the event Lambda passes to a function for a batch of SQS messages. */
export function sqsBatchEvent(options: { messages: Message[]; queueArn: string; region: string }) {
  return {
    Records: options.messages.map((message) => ({
      messageId: message.MessageId,
      receiptHandle: message.ReceiptHandle,
      body: message.Body ?? '',
      attributes: message.Attributes ?? {},
      messageAttributes: Object.fromEntries(
        Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [name, lambdaAttribute(value)]),
      ),
      md5OfBody: message.MD5OfBody,
      eventSource: 'aws:sqs',
      eventSourceARN: options.queueArn,
      awsRegion: options.region,
    })),
  };
}

function lambdaAttribute(value: MessageAttributeValue) {
  return {
    stringValue: value.StringValue,
    binaryValue: value.BinaryValue ? Buffer.from(value.BinaryValue).toString('base64') : undefined,
    stringListValues: value.StringListValues ?? [],
    binaryListValues: (value.BinaryListValues ?? []).map((item) => Buffer.from(item).toString('base64')),
    dataType: value.DataType,
  };
}

/**
 * Which messages of a batch to delete after an invocation, as Lambda decides: all on success, none on error,
 * and with ReportBatchItemFailures all but the reported ones (none if the response names an unknown id).
 */
export function messagesToDelete(options: {
  messages: Message[];
  succeeded: boolean;
  reportsBatchItemFailures: boolean;
  response: unknown;
}): Message[] {
  if (!options.succeeded) return [];
  if (!options.reportsBatchItemFailures) return options.messages;
  const failures = (options.response as { batchItemFailures?: unknown } | null)?.batchItemFailures;
  if (failures === undefined || failures === null) return options.messages;
  if (!Array.isArray(failures)) return [];
  const ids = new Set(options.messages.map((message) => message.MessageId));
  const failed = new Set<string>();
  for (const failure of failures) {
    const id = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || !ids.has(id)) return [];
    failed.add(id);
  }
  return options.messages.filter((message) => !failed.has(message.MessageId ?? ''));
}
