import { migrateWarehouse } from '../../scripts/lib/warehouse-migrations.js';
import { awsClientConfig } from './aws-config.js';
import { down, up, wipe, type DevEnvConfig } from './dev-env.js';
import { devPaths } from './dev-paths.js';
import { writeEndpoints, type LocalEndpoints } from './endpoints-file.js';
import { applyLocalStack } from './local-stack.js';

/**
 * Everything `npm run dev:up` does: starts what is not running (moto, the emulator with its warehouse),
 * applies the Terraform stage local, records the endpoints for the other commands and migrates the
 * warehouse. Used by dev:up, the demo and the end-to-end tests alike.
 */
export async function startLocalStage(config: DevEnvConfig, options: { fresh?: boolean; log?: (line: string) => void } = {}): Promise<LocalEndpoints> {
  const log = options.log ?? (() => undefined);
  if (options.fresh) {
    await down(config);
    wipe(config);
  }
  const paths = devPaths(config.stateDir);
  const { gatewayUrl, freshControlPlane } = await up(config);
  log(`emulator: ${gatewayUrl}${freshControlPlane ? ' (control plane started empty)' : ''}`);
  const outputs = await applyLocalStack({ endpoint: gatewayUrl, freshControlPlane, stateDir: paths.terraform, logFile: paths.logFile('terraform'), log });
  const endpoints: LocalEndpoints = { gatewayUrl, region: config.region, outputs };
  writeEndpoints(paths.endpoints, endpoints);
  const applied = await migrateWarehouse(awsClientConfig({ endpoint: gatewayUrl, region: config.region }), {
    clusterId: required(outputs, 'redshift_cluster_id'),
    database: required(outputs, 'redshift_database_name'),
    secretArn: required(outputs, 'redshift_secret_arn'),
  });
  log(applied.length > 0 ? `warehouse: applied ${applied.join(', ')}` : 'warehouse: schema up to date');
  return endpoints;
}

function required(outputs: Record<string, string>, name: string): string {
  const value = outputs[name];
  if (!value) throw new Error(`the Terraform stage local has no output ${name}: is terraform/outputs.tf complete?`);
  return value;
}
