import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { CrawlerRunner } from '../../../emulator/glue-crawler/crawler-runner.js';
import type { GlueRunner } from '../../../emulator/glue-runner/glue-runner.js';
import { AwsApiError } from '../../../emulator/gateway/aws-api-error.js';
import { GatewayServer } from '../../../emulator/gateway/gateway-server.js';
import type { OwnService } from '../../../emulator/gateway/service-registry.js';
import { glueService } from '../../../emulator/gateway/services/glue-service.js';
import { lambdaService, type LambdaServiceOptions } from '../../../emulator/gateway/services/lambda-service.js';
import { redshiftDataService } from '../../../emulator/gateway/services/redshift-data-service.js';
import type { RedshiftDataApi } from '../../../emulator/redshift/redshift-data-api.js';

const gateways: GatewayServer[] = [];

async function gatewayWith(service: OwnService): Promise<string> {
  const gateway = new GatewayServer({ port: 0, motoUrl: 'http://127.0.0.1:9', services: [service] });
  gateways.push(gateway);
  return gateway.start();
}

afterEach(async () => {
  await Promise.all(gateways.splice(0).map((gateway) => gateway.stop()));
});

async function call(url: string, target: string, body: unknown) {
  const response = await fetch(url, { method: 'POST', headers: { 'x-amz-target': target, 'content-type': 'application/x-amz-json-1.1' }, body: JSON.stringify(body) });
  return { status: response.status, body: await response.json() as { __type: string; message: string } };
}

describe('requests are validated against botocore\'s model before an own operation runs', () => {
  it('answers a missing required member, a value outside an enum or a range, and a broken pattern with ValidationException in AWS\'s words', async () => {
    let served = 0;
    const url = await gatewayWith({ model: 'redshift-data', operations: { ListStatements: { serve: () => { served += 1; return { Statements: [] }; } }, DescribeStatement: { serve: () => ({}) } } });
    expect(await call(url, 'RedshiftData.ListStatements', { MaxResults: 1000, Status: 'DONE' })).toEqual({
      status: 400,
      body: {
        __type: 'ValidationException',
        message: "2 validation errors detected: Value 1000 at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100; "
          + "Value 'DONE' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [SUBMITTED, PICKED, STARTED, FINISHED, ABORTED, FAILED, ALL]",
        Message: expect.any(String),
      },
    });
    expect(await call(url, 'RedshiftData.DescribeStatement', {})).toMatchObject({
      status: 400, body: { __type: 'ValidationException', message: "1 validation error detected: Value null at 'id' failed to satisfy constraint: Member must not be null" },
    });
    expect((await call(url, 'RedshiftData.DescribeStatement', { Id: 'not-a-uuid' })).body.message).toMatch(/at 'id' failed to satisfy constraint: Member must satisfy regular expression pattern/);
    expect(served).toBe(0);
  });

  it('answers a value of the wrong JSON type with SerializationException', async () => {
    const url = await gatewayWith({ model: 'glue', operations: { GetJobRuns: { serve: () => ({ JobRuns: [] }) } } });
    expect(await call(url, 'AWSGlue.GetJobRuns', { JobName: 'job', MaxResults: 'ten' })).toMatchObject({ status: 400, body: { __type: 'SerializationException', message: 'Glue GetJobRuns: maxResults must be a whole number, got string' } });
  });

  it('validates the members a REST operation carries in its path, query and headers', async () => {
    const url = await gatewayWith({ model: 'lambda', operations: { Invoke: { serve: () => ({ StatusCode: 200 }) } } });
    const response = await fetch(`${url}/2015-03-31/functions/loader/invocations`, { method: 'POST', headers: { 'x-amz-invocation-type': 'Sometimes' }, body: '{}' });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ __type: 'ValidationException', message: expect.stringContaining("Value 'Sometimes' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]") });
  });
});

describe('answers of own operations are held against the model, and a mismatch fails loudly', () => {
  it('fails an output with a member the model does not have, a missing required member or a value outside its enum', async () => {
    const url = await gatewayWith({
      model: 'redshift-data',
      operations: {
        DescribeStatement: { serve: () => ({ Id: '00000000-0000-4000-8000-000000000000', Status: 'DONE', Rows: 3 }) },
        GetStatementResult: { serve: () => ({ TotalNumRows: 0 }) },
      },
    });
    const described = await call(url, 'RedshiftData.DescribeStatement', { Id: '00000000-0000-4000-8000-000000000000' });
    expect(described.status).toBe(500);
    expect(described.body.__type).toBe('InternalFailure');
    expect(described.body.message).toMatch(/does not conform to AWS's model: Value 'DONE' at 'status' failed to satisfy constraint: Member must satisfy enum value set: .*; Rows \(at 'rows'\) is not a member of DescribeStatementResponse/);
    expect((await call(url, 'RedshiftData.GetStatementResult', { Id: '00000000-0000-4000-8000-000000000000' })).body.message)
      .toMatch(/Value null at 'records' failed to satisfy constraint: Member must not be null/);
  });

  it('fails an error the operation cannot answer, or one without the members its shape requires', async () => {
    const url = await gatewayWith({
      model: 'redshift-data',
      operations: {
        CancelStatement: { serve: () => { throw new AwsApiError('EntityNotFoundException', 'no such statement'); } },
        DescribeStatement: { serve: () => { throw new AwsApiError('ResourceNotFoundException', 'Query does not exist'); } },
      },
    });
    expect((await call(url, 'RedshiftData.CancelStatement', { Id: '00000000-0000-4000-8000-000000000000' })).body.message)
      .toMatch(/answered Redshift Data CancelStatement with EntityNotFoundException, which AWS's model does not list for it/);
    expect((await call(url, 'RedshiftData.DescribeStatement', { Id: '00000000-0000-4000-8000-000000000000' })).body.message)
      .toMatch(/ResourceNotFoundException for Redshift Data DescribeStatement does not conform .* Value null at 'resourceId' failed to satisfy constraint: Member must not be null/);
  });
});

describe('emulator/README.md\'s conformance table', () => {
  it('lists every operation the gateway handles, and nothing else', async () => {
    const gateway = new GatewayServer({
      port: 0, motoUrl: 'http://127.0.0.1:9',
      services: [
        glueService({} as GlueRunner, {} as CrawlerRunner),
        lambdaService({ controlPlane: { endpoint: 'http://127.0.0.1:9', region: 'us-east-1' } } as LambdaServiceOptions),
        redshiftDataService({} as RedshiftDataApi),
      ],
    });
    const readme = readFileSync(new URL('../../../emulator/README.md', import.meta.url), 'utf8');
    const table = readme.slice(readme.indexOf('## Conformance'));
    const rows = [...table.matchAll(/^\| (glue|lambda|redshift-data) \| (\w+) \| (served|observed) \|/gm)].map((match) => `${match[1]} ${match[2]} ${match[3]}`);
    expect(rows.sort()).toEqual(gateway.servedOperations().map((entry) => `${entry.service} ${entry.operation} ${entry.mode}`).sort());
  });
});
