import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { devPaths } from '../../stage/dev-paths.js';
import { LocalStageNotRunningError, writeEndpoints } from '../../stage/endpoints-file.js';
import { ReportConfigError, resolveReportTarget } from '../../report/report-target.js';

const outputs = {
  region: 'us-east-1', data_bucket_name: 'sdp-local-data', redshift_cluster_id: 'sdp-local',
  redshift_database_name: 'sales', redshift_secret_arn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:redshift',
};
// Set, these variables name the warehouse of dev and prod without running Terraform (as for db:migrate).
const warehouseEnv = { REDSHIFT_CLUSTER_ID: 'sdp-dev', REDSHIFT_DATABASE: 'sales', REDSHIFT_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:dev' };

function localStateDir(): string {
  const stateDir = mkdtempSync(join(tmpdir(), 'report-dev-'));
  writeEndpoints(devPaths(stateDir).endpoints, { gatewayUrl: 'http://127.0.0.1:4566', region: 'us-east-1', outputs });
  return stateDir;
}

describe('report target', () => {
  it('says the local stage is not running when dev:up has written no endpoints', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'report-dev-'));
    await expect(resolveReportTarget({ stage: 'local', env: {}, stateDir }))
      .rejects.toThrow(new LocalStageNotRunningError('the local stage is not running: start it with `npm run dev:up`'));
  });

  it('reaches the local stage through the gateway dev:up recorded: warehouse, and data bucket by path', async () => {
    const target = await resolveReportTarget({ stage: 'local', env: {}, stateDir: localStateDir() });
    expect(target).toMatchObject({
      stage: 'local', bucket: 'sdp-local-data',
      target: { clusterId: 'sdp-local', database: 'sales', secretArn: outputs.redshift_secret_arn },
      client: { endpoint: 'http://127.0.0.1:4566', region: 'us-east-1' },
      s3Client: { endpoint: 'http://127.0.0.1:4566', region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } },
    });
  });

  it('takes --bucket over the recorded output', async () => {
    expect((await resolveReportTarget({ stage: 'local', bucket: 'other', env: {}, stateDir: localStateDir() })).bucket).toBe('other');
  });

  it("reaches dev and prod in the stack's region, whatever the SDK's default region is", async () => {
    const devOutputs = { ...outputs, region: 'eu-central-1', data_bucket_name: 'sdp-dev-data', redshift_cluster_id: 'sdp-dev' };
    const asked: string[] = [];
    const readOutputs = async (stage: string) => {
      asked.push(stage);
      return devOutputs;
    };
    const target = await resolveReportTarget({ stage: 'dev', env: { AWS_REGION: 'us-east-1' }, readOutputs });
    expect(asked).toEqual(['dev']);
    expect(target).toMatchObject({ bucket: 'sdp-dev-data', client: { region: 'eu-central-1' }, s3Client: { region: 'eu-central-1' }, target: { clusterId: 'sdp-dev' } });
    expect(target.client.endpoint).toBeUndefined();
  });

  it('uses the AWS SDK defaults on dev and prod, and needs a bucket there when Terraform is not asked', async () => {
    await expect(resolveReportTarget({ stage: 'dev', env: warehouseEnv }))
      .rejects.toThrow(new ReportConfigError("no data bucket for stage dev: pass --bucket NAME, or apply the stage's stack so Terraform outputs data_bucket_name"));
    const target = await resolveReportTarget({ stage: 'prod', bucket: 'sdp-prod-data', env: warehouseEnv });
    expect(target).toMatchObject({ stage: 'prod', bucket: 'sdp-prod-data', client: {}, target: { clusterId: 'sdp-dev' } });
    expect(target.s3Client).toEqual({});
  });
});

describe('npm run report', () => {
  const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'scripts/report.ts', ...args], { cwd: join(import.meta.dirname, '..', '..'), encoding: 'utf8' });

  it('stops with one line naming an unknown stage', () => {
    const result = run('--stage', 'staging');
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('report: unknown stage "staging": use one of local, dev, prod\n');
  });

  it('stops with one line on an unknown option', () => {
    const result = run('--stages', 'dev');
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^report: Unknown option '--stages'.*\n$/);
  });
});
