import { join } from 'node:path';
import type { RedshiftDataClientConfig } from '@aws-sdk/client-redshift-data';
import { awsClientConfig } from '../../emulator/dev-env/aws-config.js';
import { devPaths } from '../../emulator/dev-env/dev-paths.js';
import { readEndpoints } from '../../emulator/dev-env/endpoints-file.js';
import type { RedshiftTarget } from '../../lambda/shared/redshift-data.js';
import { projectRoot } from './python-env.js';
import { stages, terraformOutputs, type Stage } from './terraform.js';

export class WarehouseConfigError extends Error {}

/** How a command reaches a stage's warehouse: the Data API client settings and the cluster it targets. */
export interface WarehouseConnection {
  stage: Stage;
  client: RedshiftDataClientConfig;
  target: RedshiftTarget;
  /** The stage's Terraform outputs (the ones dev:up recorded for stage local). */
  outputs: Record<string, unknown>;
}

export function parseStageName(name: string): Stage {
  if (!(stages as readonly string[]).includes(name)) {
    throw new WarehouseConfigError(`unknown stage "${name}": use one of ${stages.join(', ')}`);
  }
  return name as Stage;
}

/**
 * The warehouse of a stage. REDSHIFT_CLUSTER_ID / REDSHIFT_DATABASE / REDSHIFT_SECRET_ARN win when set;
 * else the stage's Terraform outputs (stage local: the ones `npm run dev:up` recorded, with its endpoint).
 */
export async function warehouseConnection(stage: Stage, env: NodeJS.ProcessEnv = process.env, stateDir = join(projectRoot, '.dev')): Promise<WarehouseConnection> {
  const local = stage === 'local' ? readEndpoints(devPaths(stateDir).endpoints) : undefined;
  const fromEnv = env.REDSHIFT_CLUSTER_ID && env.REDSHIFT_DATABASE && env.REDSHIFT_SECRET_ARN;
  const outputs: Record<string, unknown> = local?.outputs ?? (fromEnv ? {} : await terraformOutputs(stage));
  const pick = (envName: string, outputName: string): string => {
    const value = env[envName] ?? outputs[outputName];
    if (typeof value !== 'string' || value === '') {
      throw new WarehouseConfigError(`no ${envName}: set it, or apply the stack of stage ${stage} so Terraform outputs ${outputName}`);
    }
    return value;
  };
  return {
    stage,
    outputs,
    client: local ? awsClientConfig({ endpoint: local.gatewayUrl, region: local.region }) : {},
    target: {
      clusterId: pick('REDSHIFT_CLUSTER_ID', 'redshift_cluster_id'),
      database: pick('REDSHIFT_DATABASE', 'redshift_database_name'),
      secretArn: pick('REDSHIFT_SECRET_ARN', 'redshift_secret_arn'),
    },
  };
}
