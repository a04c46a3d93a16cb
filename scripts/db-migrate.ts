// `npm run db:migrate [-- --stage local|dev|prod]`: applies sql/ddl/*.sql that the stage's warehouse has
// not seen yet, each file in one Data API transaction, recorded in schema_migrations; then sets the loader
// user's password from its secret (generating one into an empty secret first).
// The target comes from REDSHIFT_CLUSTER_ID / REDSHIFT_DATABASE / REDSHIFT_SECRET_ARN (and
// REDSHIFT_LOADER_SECRET_ARN) when set, else from the stage's Terraform outputs (stage local: the ones
// `npm run dev:up` recorded, with its endpoint).
import { parseArgs } from 'node:util';
import { parseStageName, warehouseConnection } from '../stage/warehouse-connection.js';
import { migrateWarehouse } from '../warehouse/migrate-warehouse.js';

try {
  const { values } = parseArgs({ args: process.argv.slice(2), options: { stage: { type: 'string', default: 'local' } } });
  const stage = parseStageName(values.stage);
  const { client, target, loaderSecretArn } = await warehouseConnection({ stage });
  const { applied, passwordsSet } = await migrateWarehouse({ client, target, loaderSecretArn });
  console.log(applied.length > 0
    ? `db:migrate: applied ${applied.join(', ')} to ${target.clusterId}/${target.database} (stage ${stage})`
    : `db:migrate: ${target.clusterId}/${target.database} (stage ${stage}) is up to date`);
  console.log(passwordsSet.length > 0
    ? `db:migrate: set the password of ${passwordsSet.join(', ')} from its secret`
    : 'db:migrate: no loader secret (REDSHIFT_LOADER_SECRET_ARN or the output redshift_loader_secret_arn), so the loader user has no password yet');
} catch (error) {
  console.error(`db:migrate: ${(error as Error).message}`);
  process.exitCode = 1;
}
