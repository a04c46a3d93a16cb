import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { down, type DevEnvConfig } from '../../emulator/dev-env/dev-env.js';
import type { LocalEndpoints } from '../../stage/endpoints-file.js';
import { startLocalStage } from '../../emulator/dev-env/local-stage.js';
import { freePort } from '../../emulator/process/managed-process.js';
import { PrerequisiteError, requireJava, venvDir, venvPython } from '../../stage/python-env.js';
import { terraformVersion } from '../../stage/terraform.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The local stage the end-to-end files share, or null when a prerequisite is missing off CI. */
    stage: (LocalEndpoints & { stateDir: string }) | null;
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
 * The warehouse runs on the machine's Postgres when E2E_POSTGRES_URL names one, else on an embedded one.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const missing = missingPrerequisite();
  if (missing) {
    if (process.env.CI === 'true') throw new Error(`the end-to-end tier cannot run: ${missing}`);
    console.warn(`\n!!! SKIPPING the end-to-end tier: ${missing}\n`);
    project.provide('stage', null);
    return async () => undefined;
  }
  const stateDir = mkdtempSync(join(tmpdir(), 'sdp-e2e-'));
  // Run as root, the embedded Postgres runs as an unprivileged user that must be able to enter this folder.
  chmodSync(stateDir, 0o711);
  const config: DevEnvConfig = {
    stateDir, region: 'us-east-1', python: venvPython, venvDir,
    postgresUrl: process.env.E2E_POSTGRES_URL || undefined,
    ports: { gateway: await freePort(), moto: await freePort() },
  };
  const started = Date.now();
  try {
    const endpoints = await startLocalStage(config, { log: (line) => console.log(`e2e setup: ${line}`) });
    console.log(`e2e setup: local stage ready in ${((Date.now() - started) / 1000).toFixed(1)} s at ${endpoints.gatewayUrl}`);
    project.provide('stage', { ...endpoints, stateDir });
  } catch (error) {
    await down(config);
    throw error;
  }
  return async () => {
    await down(config);
    if (process.env.E2E_KEEP_STATE === 'true') console.log(`e2e: state kept in ${stateDir}`);
    else rmSync(stateDir, { recursive: true, force: true });
  };
}
