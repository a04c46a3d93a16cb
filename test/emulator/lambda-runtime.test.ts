import { existsSync, readFileSync } from 'node:fs';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateJobCommand, GlueClient, StartJobRunCommand } from '@aws-sdk/client-glue';
import { CreateEventSourceMappingCommand, CreateFunctionCommand, InvokeCommand, LambdaClient, PutFunctionEventInvokeConfigCommand, RequestTooLargeException } from '@aws-sdk/client-lambda';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invocationPayloadLimitBytes, responsePayloadLimitBytes } from '../../emulator/lambda-runtime/function-invoker.js';
import { waitFor, withinDeadline } from '../deadline.js';
import { allowEverything, createRole, handlerZip, startHarness, type Harness } from './emulator-harness.js';

let harness: Harness;
let lambda: LambdaClient;
let sqs: SQSClient;
let roleArn: string;

async function createQueue(name: string, attributes: Record<string, string> = {}) {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  return { url: QueueUrl!, arn: Attributes!.QueueArn! };
}

async function createFunction(name: string, source: string, options: { timeout?: number; environment?: Record<string, string> } = {}) {
  await lambda.send(new CreateFunctionCommand({
    FunctionName: name, Runtime: 'nodejs20.x', Role: roleArn, Handler: 'index.handler',
    Code: { ZipFile: handlerZip(source) }, Timeout: options.timeout ?? 10, Environment: { Variables: options.environment ?? {} },
  }));
}

function logLines(functionName: string): Record<string, unknown>[] {
  return readFileSync(harness.services.invoker.logFile(functionName), 'utf8').split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line));
}

beforeAll(async () => {
  harness = await startHarness({ asyncRetryDelaysMs: [100, 200] });
  lambda = new LambdaClient(harness.aws);
  sqs = new SQSClient(harness.aws);
  roleArn = await createRole(harness.aws, { name: 'lambda', statements: allowEverything });
});

afterAll(async () => harness?.close());

describe('lambda runtime', () => {
  it('deletes the succeeded messages of a batch and sends a failing one to the dead-letter queue after maxReceiveCount receives', async () => {
    const dlq = await createQueue('ingest-dlq');
    // Short, so the failing message comes back soon, yet longer than an invocation takes on a busy machine:
    // at 1 s a slow invocation let a succeeded message come back before it was deleted.
    const queue = await createQueue('ingest', {
      VisibilityTimeout: '4',
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 2 }),
    });
    await createFunction('batch', `
      exports.handler = async (event) => {
        for (const record of event.Records) console.log(JSON.stringify({ message: 'received', body: record.body, stage: process.env.STAGE }));
        return { batchItemFailures: event.Records.filter((r) => r.body === 'bad').map((r) => ({ itemIdentifier: r.messageId })) };
      };`, { environment: { STAGE: 'local' } });
    await lambda.send(new CreateEventSourceMappingCommand({
      FunctionName: 'batch', EventSourceArn: queue.arn, BatchSize: 10, FunctionResponseTypes: ['ReportBatchItemFailures'],
    }));
    await sqs.send(new SendMessageBatchCommand({
      QueueUrl: queue.url, Entries: ['good-1', 'bad', 'good-2'].map((body, index) => ({ Id: String(index), MessageBody: body })),
    }));
    const dead = await waitFor('the failing message in the dead-letter queue', async () => {
      const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlq.url, WaitTimeSeconds: 1 }));
      return Messages?.[0];
    }, 50_000);
    expect(dead.Body).toBe('bad');
    const received = logLines('batch').filter((line) => line.message === 'received');
    expect(received.filter((line) => line.body === 'bad')).toHaveLength(2);
    expect(received.filter((line) => line.body === 'good-1')).toHaveLength(1);
    expect(received.every((line) => line.stage === 'local')).toBe(true);
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queue.url, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
    expect(Attributes).toMatchObject({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0' });
  });

  it('kills a handler that exceeds the function timeout', async () => {
    // The handler would run for ten minutes; killed at its 1 s timeout, the invoke answers long before the deadline.
    await createFunction('slow', 'exports.handler = () => new Promise((resolve) => setTimeout(resolve, 600_000));', { timeout: 1 });
    const answer = await withinDeadline({ what: 'the invoke of a handler with a 1 s timeout', limitMs: 30_000 },
      lambda.send(new InvokeCommand({ FunctionName: 'slow', Payload: Buffer.from('{}') })));
    expect(answer.FunctionError).toBe('Unhandled');
    expect(JSON.parse(Buffer.from(answer.Payload!).toString())).toMatchObject({ errorType: 'Sandbox.Timedout', errorMessage: 'Task timed out after 1.00 seconds' });
  });

  it('passes an event of more than 1 MiB to the handler and returns a result of more than 1 MiB', async () => {
    await createFunction('echo', `
      exports.handler = async (event) => ({ received: event.text.length, text: event.text.toUpperCase() });`);
    // Past 128 KiB an event in the handler process's command line made fork fail with E2BIG.
    const text = 'abcdefghij'.repeat(150_000);
    const answer = await lambda.send(new InvokeCommand({ FunctionName: 'echo', Payload: Buffer.from(JSON.stringify({ text })) }));
    expect(answer.FunctionError).toBeUndefined();
    const result = JSON.parse(Buffer.from(answer.Payload!).toString());
    expect(result.received).toBe(text.length);
    expect(result.text).toBe(text.toUpperCase());
  });

  it('refuses a synchronous invoke over 6 MB with RequestTooLargeException, as Lambda does, without running the function', async () => {
    await createFunction('never-run', `exports.handler = async () => { console.log(JSON.stringify({ message: 'ran' })); return 'ran'; };`);
    const payload = Buffer.from(JSON.stringify({ text: 'x'.repeat(invocationPayloadLimitBytes) }));
    const error = await lambda.send(new InvokeCommand({ FunctionName: 'never-run', Payload: payload })).then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(RequestTooLargeException);
    expect((error as RequestTooLargeException).$metadata.httpStatusCode).toBe(413);
    expect((error as Error).message).toBe(`Request must be smaller than ${invocationPayloadLimitBytes} bytes for the InvokeFunction operation`);
    expect(existsSync(harness.services.invoker.logFile('never-run'))).toBe(false);
  });

  it('fails an invocation whose result is over 6 MB with Function.ResponseSizeTooLarge, as Lambda does', async () => {
    await createFunction('too-much', `exports.handler = async () => 'y'.repeat(${responsePayloadLimitBytes});`);
    const answer = await lambda.send(new InvokeCommand({ FunctionName: 'too-much', Payload: Buffer.from('{}') }));
    expect(answer.FunctionError).toBe('Unhandled');
    expect(JSON.parse(Buffer.from(answer.Payload!).toString())).toEqual({
      errorType: 'Function.ResponseSizeTooLarge',
      errorMessage: `Response payload size exceeded maximum allowed payload size (${responsePayloadLimitBytes} bytes).`,
    });
  });

  it('delivers a Glue job state change to a rule target with two retries, then to the on-failure destination', async () => {
    const failures = await createQueue('loader-failures');
    await createFunction('loader', `
      exports.handler = async (event) => {
        console.log(JSON.stringify({ message: 'loading', state: event.detail.state }));
        throw new Error('warehouse unavailable');
      };`);
    await lambda.send(new PutFunctionEventInvokeConfigCommand({
      FunctionName: 'loader', MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600,
      DestinationConfig: { OnFailure: { Destination: failures.arn } },
    }));
    const events = new EventBridgeClient(harness.aws);
    await events.send(new PutRuleCommand({
      Name: 'glue-failed', EventPattern: JSON.stringify({ source: ['aws.glue'], 'detail-type': ['Glue Job State Change'], detail: { state: ['FAILED', 'SUCCEEDED'], jobName: ['failing'] } }),
    }));
    await events.send(new PutTargetsCommand({ Rule: 'glue-failed', Targets: [{ Id: 'loader', Arn: 'arn:aws:lambda:us-east-1:123456789012:function:loader' }] }));
    const s3 = new S3Client(harness.aws);
    await s3.send(new CreateBucketCommand({ Bucket: 'events-test' }));
    await s3.send(new PutObjectCommand({ Bucket: 'events-test', Key: 'job.py', Body: 'raise RuntimeError("bad input")\n' }));
    const glue = new GlueClient(harness.aws);
    await glue.send(new CreateJobCommand({ Name: 'failing', Role: roleArn, Command: { Name: 'pythonshell', ScriptLocation: 's3://events-test/job.py' } }));
    const { JobRunId } = await glue.send(new StartJobRunCommand({ JobName: 'failing' }));
    const record = await waitFor('the on-failure destination record', async () => {
      const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: failures.url, WaitTimeSeconds: 1 }));
      return Messages?.[0] && JSON.parse(Messages[0].Body!);
    });
    expect(record.requestContext).toMatchObject({ condition: 'RetriesExhausted', approximateInvokeCount: 3 });
    expect(record.requestPayload).toMatchObject({
      source: 'aws.glue', 'detail-type': 'Glue Job State Change',
      detail: { jobName: 'failing', state: 'FAILED', jobRunId: JobRunId, severity: 'ERROR', message: 'RuntimeError: bad input' },
    });
    expect(record.responsePayload).toMatchObject({ errorType: 'Error', errorMessage: 'warehouse unavailable' });
    expect(logLines('loader').filter((line) => line.message === 'loading')).toHaveLength(3);
  });
});
