import { BatchGetCrawlersCommand, CreateCrawlerCommand, CreateDatabaseCommand, GlueClient } from '@aws-sdk/client-glue';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateFunctionCommand, InvokeCommand, LambdaClient, ResourceNotFoundException, UpdateFunctionCodeCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handlerZip, startHarness, type Harness } from '../emulator-harness.js';

// Every answer below went through the gateway's check against botocore's model: a nonconforming one fails as InternalFailure.
let harness: Harness;
let lambda: LambdaClient;
let glue: GlueClient;
let roleArn: string;

beforeAll(async () => {
  harness = await startHarness();
  lambda = new LambdaClient(harness.aws);
  glue = new GlueClient(harness.aws);
  const { Role } = await new IAMClient(harness.aws).send(new CreateRoleCommand({ RoleName: 'served', AssumeRolePolicyDocument: '{}' }));
  roleArn = Role!.Arn!;
});

afterAll(async () => harness?.close());

describe('operations the emulator serves, through the AWS SDK', () => {
  it('Lambda: runs the code of UpdateFunctionCode, answers DryRun 204 and Event 202, and a missing function 404', async () => {
    await lambda.send(new CreateFunctionCommand({
      FunctionName: 'versioned', Runtime: 'nodejs20.x', Role: roleArn, Handler: 'index.handler',
      Code: { ZipFile: handlerZip('exports.handler = async () => ({ version: 1 });') },
    }));
    const invoke = async () => JSON.parse(Buffer.from((await lambda.send(new InvokeCommand({ FunctionName: 'versioned' }))).Payload!).toString());
    expect(await invoke()).toEqual({ version: 1 });
    await lambda.send(new UpdateFunctionCodeCommand({ FunctionName: 'versioned', ZipFile: handlerZip('exports.handler = async () => ({ version: 2 });') }));
    expect(await invoke()).toEqual({ version: 2 });
    expect(await lambda.send(new InvokeCommand({ FunctionName: 'versioned', InvocationType: 'DryRun' }))).toMatchObject({ StatusCode: 204 });
    expect(await lambda.send(new InvokeCommand({ FunctionName: 'versioned', InvocationType: 'Event', Payload: Buffer.from('{}') }))).toMatchObject({ StatusCode: 202 });
    const missing = await lambda.send(new InvokeCommand({ FunctionName: 'nowhere' })).catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(ResourceNotFoundException);
    expect(missing).toMatchObject({ $metadata: { httpStatusCode: 404 } });
    await expect(lambda.send(new InvokeCommand({ FunctionName: 'versioned', Payload: Buffer.from('{not json') }))).rejects.toMatchObject({ name: 'InvalidRequestContentException' });
    await harness.services.asyncInvoker.drain();
  });

  it('Glue: BatchGetCrawlers answers the known crawlers with their state and names the unknown ones', async () => {
    await glue.send(new CreateDatabaseCommand({ DatabaseInput: { Name: 'served' } }));
    await glue.send(new CreateCrawlerCommand({ Name: 'raw', Role: roleArn, DatabaseName: 'served', Targets: { S3Targets: [{ Path: 's3://nowhere/raw/' }] } }));
    const { Crawlers, CrawlersNotFound } = await glue.send(new BatchGetCrawlersCommand({ CrawlerNames: ['raw', 'ghost'] }));
    expect(Crawlers!.map((crawler) => [crawler.Name, crawler.State])).toEqual([['raw', 'READY']]);
    expect(CrawlersNotFound).toEqual(['ghost']);
  });
});
