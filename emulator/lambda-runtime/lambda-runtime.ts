import { GetFunctionConfigurationCommand, LambdaClient, paginateListEventSourceMappings, type EventSourceMappingConfiguration } from '@aws-sdk/client-lambda';
import { DeleteMessageBatchCommand, GetQueueUrlCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { awsClientConfig, type AwsTarget } from '../../stage/aws-target.js';
import type { RoleSessions } from '../iam/role-sessions.js';
import type { FunctionInvoker } from './function-invoker.js';
import { messagesToDelete, sqsBatchEvent } from './sqs-batch.js';

export interface LambdaRuntimeOptions {
  controlPlane: AwsTarget;
  invoker: FunctionInvoker;
  /** How often the event source mappings are re-read, so mappings Terraform adds later are picked up. */
  refreshMs?: number;
  /** With pollEndpoint: the mappings poll their queue with the function's execution role through the gateway, as Lambda does. */
  roleSessions?: RoleSessions;
  pollEndpoint?: AwsTarget;
  log?: (message: string) => void;
}

/** Polls the SQS queues of the Lambda event source mappings found in the control plane and invokes their functions. */
export class LambdaRuntime {
  private readonly lambda: LambdaClient;
  private readonly sqs: SQSClient;
  private readonly pollers = new Map<string, { stop: () => void; done: Promise<void> }>();
  private refreshTimer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly options: LambdaRuntimeOptions) {
    this.lambda = new LambdaClient(awsClientConfig(options.controlPlane));
    this.sqs = new SQSClient(awsClientConfig(options.controlPlane));
  }

  async start(): Promise<void> {
    await this.refresh();
    const tick = () => {
      this.refreshTimer = setTimeout(() => {
        this.refresh().catch((error) => this.options.log?.(`lambda runtime: reading event source mappings failed: ${error}`)).finally(() => {
          if (!this.stopped) tick();
        });
      }, this.options.refreshMs ?? 2000);
    };
    tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.refreshTimer);
    for (const poller of this.pollers.values()) poller.stop();
    await Promise.all([...this.pollers.values()].map((poller) => poller.done));
    this.pollers.clear();
  }

  private async refresh(): Promise<void> {
    const mappings: EventSourceMappingConfiguration[] = [];
    for await (const page of paginateListEventSourceMappings({ client: this.lambda }, {})) {
      mappings.push(...(page.EventSourceMappings ?? []));
    }
    const active = mappings.filter((mapping) => mapping.State === 'Enabled' && mapping.EventSourceArn?.startsWith('arn:aws:sqs:'));
    const wanted = new Map(active.map((mapping) => [`${mapping.UUID}|${mapping.FunctionArn}|${mapping.BatchSize}|${mapping.FunctionResponseTypes}`, mapping]));
    for (const [key, poller] of this.pollers) {
      if (!wanted.has(key)) {
        poller.stop();
        this.pollers.delete(key);
      }
    }
    for (const [key, mapping] of wanted) {
      if (!this.pollers.has(key) && !this.stopped) this.pollers.set(key, await this.startPoller(mapping));
    }
  }

  private async startPoller(mapping: EventSourceMappingConfiguration) {
    const queueArn = mapping.EventSourceArn!;
    const [, , , region, account, queueName] = queueArn.split(':');
    const { QueueUrl } = await this.sqs.send(new GetQueueUrlCommand({ QueueName: queueName, QueueOwnerAWSAccountId: account }));
    const functionName = mapping.FunctionArn!.split(':')[6]!;
    const consumer = await this.queueConsumer(functionName);
    const batchSize = Math.min(mapping.BatchSize ?? 10, 10);
    const reportsBatchItemFailures = mapping.FunctionResponseTypes?.includes('ReportBatchItemFailures') ?? false;
    // Lambda scales SQS pollers up to MaximumConcurrency; two cores only justify a few.
    const concurrency = Math.min(mapping.ScalingConfig?.MaximumConcurrency ?? 2, 3);
    let running = true;
    const loop = async () => {
      while (running) {
        try {
          const { Messages: messages = [] } = await consumer.send(new ReceiveMessageCommand({
            QueueUrl, MaxNumberOfMessages: batchSize, WaitTimeSeconds: 1, AttributeNames: ['All'], MessageAttributeNames: ['All'],
          }));
          if (messages.length === 0 || !running) continue;
          const result = await this.options.invoker.invoke(functionName, sqsBatchEvent({ messages, queueArn, region: region! }));
          const toDelete = messagesToDelete({ messages, succeeded: result.ok, reportsBatchItemFailures, response: result.ok ? result.payload : undefined });
          if (toDelete.length > 0) {
            await consumer.send(new DeleteMessageBatchCommand({
              QueueUrl, Entries: toDelete.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle })),
            }));
          }
        } catch (error) {
          this.options.log?.(`lambda runtime: polling ${queueArn} for ${functionName} failed: ${error}`);
          await new Promise((resolve) => setTimeout(resolve, 1000));
        }
      }
    };
    const done = Promise.all(Array.from({ length: concurrency }, loop)).then(() => undefined);
    return { stop: () => { running = false; }, done };
  }

  /** The SQS client a mapping receives and deletes with: the function's execution role, as Lambda's pollers use it. */
  private async queueConsumer(functionName: string): Promise<SQSClient> {
    const { roleSessions, pollEndpoint } = this.options;
    if (!roleSessions || !pollEndpoint) return this.sqs;
    const { Role: roleArn } = await this.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionName }));
    return new SQSClient({ ...awsClientConfig(pollEndpoint), credentials: roleSessions.provider({ roleArn: roleArn ?? '', sessionName: functionName }) });
  }
}
