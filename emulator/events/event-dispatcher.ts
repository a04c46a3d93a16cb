import { randomUUID } from 'node:crypto';
import { EventBridgeClient, ListRulesCommand, ListTargetsByRuleCommand, type Rule, type Target } from '@aws-sdk/client-eventbridge';
import { GetQueueUrlCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { awsClientConfig, emulatedAccountId, type AwsTarget } from '../../stage/aws-target.js';
import type { AsyncInvoker } from './async-invoker.js';
import { matchesEventPattern } from './event-pattern.js';

export interface AwsEvent {
  source: string;
  'detail-type': string;
  detail: Record<string, unknown>;
  resources?: string[];
}

/** Delivers service events (like Glue's job state changes) to the targets of matching EventBridge rules. */
export class EventDispatcher {
  private readonly events: EventBridgeClient;
  private readonly sqs: SQSClient;

  constructor(private readonly options: { controlPlane: AwsTarget; asyncInvoker: AsyncInvoker; log?: (message: string) => void }) {
    this.events = new EventBridgeClient(awsClientConfig(options.controlPlane));
    this.sqs = new SQSClient(awsClientConfig(options.controlPlane));
  }

  async publish(input: AwsEvent): Promise<number> {
    const event = {
      version: '0', id: randomUUID(), account: emulatedAccountId, time: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      region: this.options.controlPlane.region, resources: [], ...input,
    };
    let delivered = 0;
    for (const rule of await this.enabledRules()) {
      if (!matchesEventPattern(JSON.parse(rule.EventPattern!), event as never)) continue;
      for (const target of await this.targets(rule.Name!)) {
        await this.deliver(target, target.Input ? JSON.parse(target.Input) : event);
        delivered += 1;
      }
    }
    return delivered;
  }

  private async enabledRules(): Promise<Rule[]> {
    const rules: Rule[] = [];
    let NextToken: string | undefined;
    do {
      const page = await this.events.send(new ListRulesCommand({ EventBusName: 'default', NextToken }));
      rules.push(...(page.Rules ?? []));
      NextToken = page.NextToken;
    } while (NextToken);
    return rules.filter((rule) => rule.State === 'ENABLED' && rule.EventPattern);
  }

  private async targets(rule: string): Promise<Target[]> {
    const targets: Target[] = [];
    let NextToken: string | undefined;
    do {
      const page = await this.events.send(new ListTargetsByRuleCommand({ Rule: rule, EventBusName: 'default', NextToken }));
      targets.push(...(page.Targets ?? []));
      NextToken = page.NextToken;
    } while (NextToken);
    return targets;
  }

  private async deliver(target: Target, payload: unknown): Promise<void> {
    const [, , service, , account, resource] = (target.Arn ?? '').split(':');
    if (service === 'lambda') {
      this.options.asyncInvoker.invoke(target.Arn!.split(':')[6]!, payload);
    } else if (service === 'sqs') {
      const { QueueUrl } = await this.sqs.send(new GetQueueUrlCommand({ QueueName: resource, QueueOwnerAWSAccountId: account }));
      await this.sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: JSON.stringify(payload) }));
    } else {
      this.options.log?.(`EventBridge target ${target.Arn} is not supported by the emulator (Lambda and SQS are)`);
    }
  }
}
