import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';

/** An S3 ObjectCreated notification as S3 writes it into SQS, with the key URL-encoded like S3 does. */
export function s3CreatedBody(object: { bucket?: string; key: string; versionId?: string; eTag?: string }): string {
  const encodedKey = encodeURIComponent(object.key).replace(/%20/g, '+').replace(/%2F/g, '/');
  return JSON.stringify({
    Records: [{
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: 'eu-west-1',
      eventTime: '2024-03-05T10:00:00.000Z',
      eventName: 'ObjectCreated:Put',
      s3: {
        s3SchemaVersion: '1.0',
        configurationId: 'raw-csv',
        bucket: { name: object.bucket ?? 'sales-data', arn: `arn:aws:s3:::${object.bucket ?? 'sales-data'}` },
        object: {
          key: encodedKey,
          size: 1024,
          eTag: object.eTag ?? 'd41d8cd98f00b204e9800998ecf8427e',
          ...(object.versionId ? { versionId: object.versionId } : {}),
          sequencer: '0065F7A1B2C3D4E5F6',
        },
      },
    }],
  });
}

export const s3TestEventBody = JSON.stringify({
  Service: 'Amazon S3', Event: 's3:TestEvent', Time: '2024-03-05T10:00:00.000Z', Bucket: 'sales-data', RequestId: 'R1', HostId: 'H1',
});

export function sqsRecord(messageId: string, body: string): SQSRecord {
  return {
    messageId,
    receiptHandle: `handle-${messageId}`,
    body,
    attributes: {
      ApproximateReceiveCount: '1', SentTimestamp: '1709632800000', SenderId: 'S3', ApproximateFirstReceiveTimestamp: '1709632800000',
    },
    messageAttributes: {},
    md5OfBody: 'unused',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:sales-ingest',
    awsRegion: 'eu-west-1',
  };
}

export function sqsEvent(...records: SQSRecord[]): SQSEvent {
  return { Records: records };
}

export function lambdaContext(functionName: string): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:eu-west-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: 'request-1',
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'stream',
    getRemainingTimeInMillis: () => 60_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
