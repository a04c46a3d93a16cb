// `npm run db:migrate [-- --stage local|dev|prod]`: applies sql/ddl/*.sql that the stage's warehouse has
// not seen yet, each file in one Data API transaction, recorded in schema_migrations.
// The target comes from REDSHIFT_CLUSTER_ID / REDSHIFT_DATABASE / REDSHIFT_SECRET_ARN when set, else from
// the stage's Terraform outputs (stage local: the ones `npm run dev:up` recorded, with its endpoint).
import { parseArgs } from 'node:util';
import { parseStageName, warehouseConnection } from '../stage/warehouse-connection.js';
import { migrateWarehouse } from '../warehouse/migrate-warehouse.js';

try {
  const { values } = parseArgs({ args: process.argv.slice(2), options: { stage: { type: 'string', default: 'local' } } });
  const stage = parseStageName(values.stage);
  const { client, target } = await warehouseConnection({ stage });
  const applied = await migrateWarehouse(client, target);
  console.log(applied.length > 0
    ? `db:migrate: applied ${applied.join(', ')} to ${target.clusterId}/${target.database} (stage ${stage})`
    : `db:migrate: ${target.clusterId}/${target.database} (stage ${stage}) is up to date`);
} catch (error) {
  console.error(`db:migrate: ${(error as Error).message}`);
  process.exitCode = 1;
}
