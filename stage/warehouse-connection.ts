import { join } from 'node:path';
import type { RedshiftDataClientConfig } from '@aws-sdk/client-redshift-data';
import { awsClientConfig } from './aws-target.js';
import { devPaths } from './dev-paths.js';
import { readEndpoints } from './endpoints-file.js';
import type { RedshiftTarget } from '../warehouse/redshift-data.js';
import { projectRoot } from './python-env.js';
import { stackOutput, type StackOutputName, type StackOutputs } from './stack-outputs.js';
import { stages, terraformOutputs, type Stage } from './terraform.js';

export class WarehouseConfigError extends Error {
  override readonly name = 'WarehouseConfigError';
}

/** How a command reaches a stage's warehouse: the Data API client settings and the cluster it targets. */
export interface WarehouseConnection {
  stage: Stage;
  client: RedshiftDataClientConfig;
  target: RedshiftTarget;
  /** The loader user's secret (REDSHIFT_LOADER_SECRET_ARN, else the output), whose password db:migrate sets; absent on a stack older than it. */
  loaderSecretArn?: string;
  /** The stage's Terraform outputs (the ones dev:up recorded for stage local). */
  outputs: StackOutputs;
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
 * On dev and prod the Data API client goes to the stack's region (its `region` output): the SDK's default
 * region may be another one, where the cluster does not exist. A warehouse named by the variables alone
 * keeps the SDK's default region (AWS_REGION).
 */
export async function warehouseConnection(options: {
  stage: Stage;
  env?: NodeJS.ProcessEnv;
  stateDir?: string;
  /** How dev and prod outputs are read; `terraform output` by default. */
  readOutputs?: (stage: Stage) => Promise<StackOutputs>;
}): Promise<WarehouseConnection> {
  const { stage, env = process.env, stateDir = join(projectRoot, '.dev'), readOutputs = terraformOutputs } = options;
  const local = stage === 'local' ? readEndpoints(devPaths(stateDir).endpoints) : undefined;
  const fromEnv = env.REDSHIFT_CLUSTER_ID && env.REDSHIFT_DATABASE && env.REDSHIFT_SECRET_ARN;
  const outputs: StackOutputs = local?.outputs ?? (fromEnv ? {} : await readOutputs(stage));
  const pick = (envName: string, outputName: StackOutputName): string => {
    const value = env[envName];
    if (value) return value;
    try {
      return stackOutput(outputs, outputName, stage);
    } catch (error) {
      throw new WarehouseConfigError(`no ${envName}: set it, or ${(error as Error).message}`, { cause: error });
    }
  };
  const client: RedshiftDataClientConfig = local ? awsClientConfig({ endpoint: local.gatewayUrl, region: local.region })
    : fromEnv ? {}
    : { region: stackOutput(outputs, 'region', stage) };
  return {
    stage,
    outputs,
    client,
    loaderSecretArn: env.REDSHIFT_LOADER_SECRET_ARN || outputs.redshift_loader_secret_arn || undefined,
    target: {
      clusterId: pick('REDSHIFT_CLUSTER_ID', 'redshift_cluster_id'),
      database: pick('REDSHIFT_DATABASE', 'redshift_database_name'),
      secretArn: pick('REDSHIFT_SECRET_ARN', 'redshift_secret_arn'),
    },
  };
}
