// `npm run db:migrate [-- --stage local|dev|prod]`: applies sql/ddl/*.sql that the stage's warehouse has
// not seen yet, each file in one Data API transaction, recorded in schema_migrations.
// The target comes from REDSHIFT_CLUSTER_ID / REDSHIFT_DATABASE / REDSHIFT_SECRET_ARN when set, else from
// the stage's Terraform outputs (stage local: the ones `npm run dev:up` recorded, with its endpoint).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { RedshiftDataClient, type RedshiftDataClientConfig } from '@aws-sdk/client-redshift-data';
import { awsClientConfig } from '../emulator/dev-env/aws-config.js';
import { devPaths } from '../emulator/dev-env/dev-paths.js';
import { readEndpoints } from '../emulator/dev-env/endpoints-file.js';
import { migrate, migrationFromFile } from '../lambda/shared/migrations.js';
import { RedshiftData, type RedshiftTarget } from '../lambda/shared/redshift-data.js';
import { projectRoot } from './lib/python-env.js';
import { stages, terraformOutputs, type Stage } from './lib/terraform.js';

const ddlDir = join(projectRoot, 'sql', 'ddl');

class MigrateConfigError extends Error {}

interface Connection {
  client: RedshiftDataClientConfig;
  target: RedshiftTarget;
}

function parseStage(argv: string[]): Stage {
  const { values } = parseArgs({ args: argv, options: { stage: { type: 'string', default: 'local' } } });
  if (!(stages as readonly string[]).includes(values.stage)) {
    throw new MigrateConfigError(`unknown stage "${values.stage}": use one of ${stages.join(', ')}`);
  }
  return values.stage as Stage;
}

async function connection(stage: Stage, env: NodeJS.ProcessEnv): Promise<Connection> {
  const local = stage === 'local' ? readEndpoints(devPaths(join(projectRoot, '.dev')).endpoints) : undefined;
  const fromEnv = env.REDSHIFT_CLUSTER_ID && env.REDSHIFT_DATABASE && env.REDSHIFT_SECRET_ARN;
  const outputs: Record<string, unknown> = fromEnv ? {} : (local?.outputs ?? (await terraformOutputs(stage)));
  const pick = (envName: string, outputName: string): string => {
    const value = env[envName] ?? outputs[outputName];
    if (typeof value !== 'string' || value === '') {
      throw new MigrateConfigError(`no ${envName}: set it, or apply the stack of stage ${stage} so Terraform outputs ${outputName}`);
    }
    return value;
  };
  return {
    client: local ? awsClientConfig({ endpoint: local.gatewayUrl, region: local.region }) : {},
    target: {
      clusterId: pick('REDSHIFT_CLUSTER_ID', 'redshift_cluster_id'),
      database: pick('REDSHIFT_DATABASE', 'redshift_database_name'),
      secretArn: pick('REDSHIFT_SECRET_ARN', 'redshift_secret_arn'),
    },
  };
}

try {
  const stage = parseStage(process.argv.slice(2));
  const { client, target } = await connection(stage, process.env);
  const migrations = readdirSync(ddlDir)
    .filter((name) => name.endsWith('.sql'))
    .map((name) => migrationFromFile(name, readFileSync(join(ddlDir, name), 'utf8')));
  const applied = await migrate(new RedshiftData(new RedshiftDataClient(client), target), migrations);
  console.log(applied.length > 0
    ? `db:migrate: applied ${applied.join(', ')} to ${target.clusterId}/${target.database} (stage ${stage})`
    : `db:migrate: ${target.clusterId}/${target.database} (stage ${stage}) is up to date`);
} catch (error) {
  console.error(`db:migrate: ${(error as Error).message}`);
  process.exitCode = 1;
}
