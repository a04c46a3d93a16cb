import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RedshiftDataClient, type RedshiftDataClientConfig } from '@aws-sdk/client-redshift-data';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ensureLoginSecret, LOADER_USER, setUserPasswords } from './database-logins.js';
import { migrate, migrationFromFile, type Migration } from './migrations.js';
import { RedshiftData, type PollingOptions, type RedshiftTarget } from './redshift-data.js';

export const ddlDir = fileURLToPath(new URL('../sql/ddl/', import.meta.url));

export function ddlMigrations(dir = ddlDir): Migration[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.sql'))
    .map((name) => migrationFromFile(name, readFileSync(join(dir, name), 'utf8')));
}

export interface MigrationOutcome {
  /** The migrations applied by this run. */
  applied: string[];
  /** The users whose password was set from their secret. */
  passwordsSet: string[];
}

/**
 * Applies sql/ddl/*.sql that the warehouse has not seen yet, then sets the loader user's password from its
 * secret (filling an empty secret first), so the secret and the user always agree after a migration.
 */
export async function migrateWarehouse(options: {
  client: RedshiftDataClientConfig;
  target: RedshiftTarget;
  /** The loader user's secret; without it the password is left as it is. */
  loaderSecretArn?: string;
  /** How statements are polled until they end; the Data API's own pace by default. */
  polling?: PollingOptions;
}): Promise<MigrationOutcome> {
  const sdk = new RedshiftDataClient(options.client);
  const { endpoint, region, credentials } = options.client;
  const secrets = new SecretsManagerClient({ endpoint, region, credentials });
  try {
    const warehouse = new RedshiftData(sdk, options.target, options.polling);
    const applied = await migrate(warehouse, ddlMigrations());
    if (!options.loaderSecretArn) return { applied, passwordsSet: [] };
    const login = await ensureLoginSecret(secrets, { secretArn: options.loaderSecretArn, username: LOADER_USER });
    await setUserPasswords(warehouse, [login]);
    return { applied, passwordsSet: [login.username] };
  } finally {
    sdk.destroy();
    secrets.destroy();
  }
}
