import type { RedshiftDataClientConfig } from '@aws-sdk/client-redshift-data';
import type { S3ClientConfig } from '@aws-sdk/client-s3';
import { awsClientConfig } from '../emulator/dev-env/aws-config.js';
import { devPaths } from '../emulator/dev-env/dev-paths.js';
import { readEndpoints } from '../emulator/dev-env/endpoints-file.js';
import type { RedshiftTarget } from '../lambda/shared/redshift-data.js';
import { stages, type Stage } from '../scripts/lib/terraform.js';

export class ReportConfigError extends Error {
  override readonly name = 'ReportConfigError';
}

/** Where the report reads and writes: the warehouse through the Data API, and the data bucket for reports/. */
export interface ReportTarget {
  stage: Stage;
  redshiftClient: RedshiftDataClientConfig;
  s3Client: S3ClientConfig;
  warehouse: RedshiftTarget;
  bucket: string;
}

export function parseStage(name: string): Stage {
  if (!(stages as readonly string[]).includes(name)) throw new ReportConfigError(`unknown stage "${name}": use one of ${stages.join(', ')}`);
  return name as Stage;
}

/**
 * The stack of a stage: stage local from the endpoints file `npm run dev:up` writes into stateDir,
 * dev and prod from their Terraform outputs (credentials from the usual AWS chain).
 */
export async function resolveReportTarget(options: {
  stage: Stage;
  stateDir: string;
  terraformOutputs: (stage: Stage) => Promise<Record<string, unknown>>;
}): Promise<ReportTarget> {
  const { stage } = options;
  const local = stage === 'local' ? readEndpoints(devPaths(options.stateDir).endpoints) : undefined;
  const outputs: Record<string, unknown> = local?.outputs ?? await options.terraformOutputs(stage);
  const output = (name: string): string => {
    const value = outputs[name];
    if (typeof value !== 'string' || value === '') {
      throw new ReportConfigError(`stage ${stage} has no Terraform output ${name}: apply its stack first (${stage === 'local' ? 'npm run dev:up' : `npm run deploy -- --stage ${stage}`})`);
    }
    return value;
  };
  const clientConfig = local ? awsClientConfig({ endpoint: local.gatewayUrl, region: local.region }) : { region: output('region') };
  return {
    stage,
    redshiftClient: clientConfig,
    s3Client: clientConfig,
    warehouse: { clusterId: output('redshift_cluster_id'), database: output('redshift_database_name'), secretArn: output('redshift_secret_arn') },
    bucket: output('data_bucket_name'),
  };
}
