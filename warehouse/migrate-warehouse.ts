import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RedshiftDataClient, type RedshiftDataClientConfig } from '@aws-sdk/client-redshift-data';
import { migrate, migrationFromFile, type Migration } from './migrations.js';
import { RedshiftData, type RedshiftTarget } from './redshift-data.js';

export const ddlDir = fileURLToPath(new URL('../sql/ddl/', import.meta.url));

export function ddlMigrations(dir = ddlDir): Migration[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.sql'))
    .map((name) => migrationFromFile(name, readFileSync(join(dir, name), 'utf8')));
}

/** Applies sql/ddl/*.sql that the warehouse has not seen yet; returns the versions applied. */
export async function migrateWarehouse(client: RedshiftDataClientConfig, target: RedshiftTarget): Promise<string[]> {
  const sdk = new RedshiftDataClient(client);
  try {
    return await migrate(new RedshiftData(sdk, target), ddlMigrations());
  } finally {
    sdk.destroy();
  }
}
