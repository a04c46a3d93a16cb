import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { down, type DevEnvConfig } from '../../emulator/dev-env/dev-env.js';
import type { LocalEndpoints } from '../../stage/endpoints-file.js';
import { startLocalStage } from '../../emulator/dev-env/local-stage.js';
import { freePort } from '../../emulator/process/managed-process.js';
import { PrerequisiteError, requireJava, venvDir, venvPython } from '../../stage/python-env.js';
import { terraformVersion } from '../../stage/terraform.js';
import { failOrSkip } from '../prerequisites.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The local stage the end-to-end files share, or null when a prerequisite is missing off CI. */
    stage: (LocalEndpoints & { stateDir: string; devConfig: DevEnvConfig }) | null;
  }
}

function missingPrerequisite(): string | undefined {
  if (!terraformVersion()) return 'terraform was not found on PATH: install Terraform 1.10 or newer';
  try {
    requireJava();
  } catch (error) {
    if (error instanceof PrerequisiteError) return error.message;
    throw error;
  }
  return undefined;
}

/**
 * Starts one local stage (moto, the emulator with its warehouse, Terraform applied, schema migrated) on
 * free ports with a private state folder, exactly as `npm run dev:up` does, and stops it at the end.
 * The warehouse runs on the machine's Postgres when E2E_POSTGRES_URL names one (in a database created for
 * this run and dropped after it), else on an embedded one.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const missing = missingPrerequisite();
  if (missing) {
    failOrSkip({ what: 'the end-to-end tier', missing });
    project.provide('stage', null);
    return async () => undefined;
  }
  const postgresUrl = process.env.E2E_POSTGRES_URL || undefined;
  // On a shared Postgres every run gets a warehouse database of its own, dropped at the end, so no run
  // sees another's rows. Terraform reads TF_VAR_ variables from the environment it inherits.
  const warehouseDatabase = postgresUrl ? `sales_e2e_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}` : undefined;
  if (warehouseDatabase) process.env.TF_VAR_redshift_database_name = warehouseDatabase;
  const stateDir = mkdtempSync(join(tmpdir(), 'sdp-e2e-'));
  // Run as root, the embedded Postgres runs as an unprivileged user that must be able to enter this folder.
  chmodSync(stateDir, 0o711);
  const config: DevEnvConfig = {
    stateDir, region: 'us-east-1', python: venvPython, venvDir,
    postgresUrl,
    // The tier proves the pipeline works under IAM as AWS enforces it, whatever EMULATOR_IAM says.
    iam: true,
    ports: { gateway: await freePort(), moto: await freePort() },
  };
  const started = Date.now();
  try {
    const endpoints = await startLocalStage(config, { log: (line) => console.log(`e2e setup: ${line}`) });
    console.log(`e2e setup: local stage ready in ${((Date.now() - started) / 1000).toFixed(1)} s at ${endpoints.gatewayUrl}`);
    project.provide('stage', { ...endpoints, stateDir, devConfig: config });
  } catch (error) {
    await down(config);
    if (postgresUrl && warehouseDatabase) await dropDatabase(postgresUrl, warehouseDatabase);
    throw error;
  }
  return async () => {
    await down(config);
    if (process.env.E2E_KEEP_STATE === 'true') {
      console.log(`e2e: state kept in ${stateDir}${warehouseDatabase ? `, warehouse database ${warehouseDatabase}` : ''}`);
      return;
    }
    rmSync(stateDir, { recursive: true, force: true });
    if (postgresUrl && warehouseDatabase) await dropDatabase(postgresUrl, warehouseDatabase);
  };
}

async function dropDatabase(postgresUrl: string, database: string): Promise<void> {
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(database)} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
