import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { devPaths } from '../../emulator/dev-env/dev-paths.js';
import { LocalStageNotRunningError, writeEndpoints } from '../../emulator/dev-env/endpoints-file.js';
import { parseStage, ReportConfigError, resolveReportTarget } from '../../report/report-target.js';

const outputs = {
  region: 'eu-west-1', data_bucket_name: 'sales-data-dev', redshift_cluster_id: 'sales-warehouse-dev',
  redshift_database_name: 'sales', redshift_secret_arn: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:redshift-dev',
};
const noTerraform = async (): Promise<Record<string, unknown>> => { throw new Error('Terraform must not run for stage local'); };

describe('report target', () => {
  it('accepts the three stages and names them when another is given', () => {
    expect(['local', 'dev', 'prod'].map(parseStage)).toEqual(['local', 'dev', 'prod']);
    expect(() => parseStage('staging')).toThrow(new ReportConfigError('unknown stage "staging": use one of local, dev, prod'));
  });

  it('says the local stage is not running when dev:up has written no endpoints', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'report-dev-'));
    await expect(resolveReportTarget({ stage: 'local', stateDir, terraformOutputs: noTerraform }))
      .rejects.toThrow(new LocalStageNotRunningError('the local stage is not running: start it with `npm run dev:up`'));
  });

  it('reaches the local stage through the gateway dev:up recorded, with its outputs', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'report-dev-'));
    mkdirSync(stateDir, { recursive: true });
    writeEndpoints(devPaths(stateDir).endpoints, { gatewayUrl: 'http://127.0.0.1:4566', region: 'us-east-1', outputs: { ...outputs, region: 'us-east-1' } });
    const target = await resolveReportTarget({ stage: 'local', stateDir, terraformOutputs: noTerraform });
    expect(target).toMatchObject({
      stage: 'local', bucket: 'sales-data-dev',
      warehouse: { clusterId: 'sales-warehouse-dev', database: 'sales', secretArn: outputs.redshift_secret_arn },
      redshiftClient: { endpoint: 'http://127.0.0.1:4566', region: 'us-east-1' },
      s3Client: { endpoint: 'http://127.0.0.1:4566', region: 'us-east-1', forcePathStyle: true },
    });
  });

  it('reads dev and prod from their Terraform outputs, with the AWS credential chain', async () => {
    const asked: string[] = [];
    const target = await resolveReportTarget({ stage: 'dev', stateDir: '/nonexistent', terraformOutputs: async (stage) => { asked.push(stage); return outputs; } });
    expect(asked).toEqual(['dev']);
    expect(target.redshiftClient).toEqual({ region: 'eu-west-1' });
    expect(target.bucket).toBe('sales-data-dev');
  });

  it('names the missing output and how to create it', async () => {
    await expect(resolveReportTarget({ stage: 'prod', stateDir: '/nonexistent', terraformOutputs: async () => ({ ...outputs, redshift_secret_arn: '' }) }))
      .rejects.toThrow('stage prod has no Terraform output redshift_secret_arn: apply its stack first (npm run deploy -- --stage prod)');
  });
});

describe('npm run report', () => {
  it('stops with one line naming an unknown stage', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/report.ts', '--stage', 'staging'], { cwd: join(import.meta.dirname, '..', '..'), encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe('report: unknown stage "staging": use one of local, dev, prod\n');
  });
});
