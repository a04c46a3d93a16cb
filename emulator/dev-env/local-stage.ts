import { stackOutput } from '../../stage/stack-outputs.js';
import { migrateWarehouse } from '../../warehouse/migrate-warehouse.js';
import { emulatorPolling } from '../../warehouse/redshift-data.js';
import { awsClientConfig } from '../../stage/aws-target.js';
import { down, up, wipe, type DevEnvConfig } from './dev-env.js';
import { devPaths } from '../../stage/dev-paths.js';
import { writeEndpoints, type LocalEndpoints } from '../../stage/endpoints-file.js';
import { applyLocalTerraform, buildArtifacts } from './local-terraform.js';
import { iamEnforced, iamOffWarning } from '../iam/iam-mode.js';

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
  // The build needs neither moto nor the emulator: it runs while they start.
  const built = buildArtifacts();
  built.catch(() => undefined); // awaited by the apply; a failing start of the emulator must not leave it unhandled
  const { gatewayUrl, freshControlPlane } = await up(config);
  log(`emulator: ${gatewayUrl}${freshControlPlane ? ' (control plane started empty)' : ''}`);
  log((config.iam ?? iamEnforced()) ? `IAM: enforced on the calls of Lambda functions and Glue runs (denials in ${paths.logs}/iam.log)` : iamOffWarning);
  const outputs = await applyLocalTerraform({ endpoint: gatewayUrl, freshControlPlane, stateDir: paths.terraform, logFile: paths.logFile('terraform'), log, built });
  const endpoints: LocalEndpoints = { gatewayUrl, region: config.region, outputs };
  writeEndpoints(paths.endpoints, endpoints);
  const { applied } = await migrateWarehouse({
    client: awsClientConfig({ endpoint: gatewayUrl, region: config.region }),
    target: {
      clusterId: stackOutput(outputs, 'redshift_cluster_id', 'local'),
      database: stackOutput(outputs, 'redshift_database_name', 'local'),
      secretArn: stackOutput(outputs, 'redshift_secret_arn', 'local'),
    },
    loaderSecretArn: stackOutput(outputs, 'redshift_loader_secret_arn', 'local'),
    polling: emulatorPolling,
  });
  log(applied.length > 0 ? `warehouse: applied ${applied.join(', ')}` : 'warehouse: schema up to date');
  return endpoints;
}
