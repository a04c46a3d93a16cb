import { join } from 'node:path';
import { defaultPorts, type DevEnvConfig } from './dev-env.js';
import { projectRoot, venvDir } from '../../stage/python-env.js';

/**
 * The local stage of this checkout, as dev:up, dev:down, dev:status and the demo run it: state in .dev/,
 * ports and the warehouse's Postgres from EMULATOR_PORT, EMULATOR_MOTO_PORT and EMULATOR_POSTGRES_URL.
 */
export function localStageConfig(python: string, env: NodeJS.ProcessEnv = process.env): DevEnvConfig {
  return {
    stateDir: join(projectRoot, '.dev'),
    region: env.AWS_REGION ?? 'us-east-1',
    python,
    venvDir,
    postgresUrl: env.EMULATOR_POSTGRES_URL || undefined,
    ports: { gateway: Number(env.EMULATOR_PORT ?? defaultPorts.gateway), moto: Number(env.EMULATOR_MOTO_PORT ?? defaultPorts.moto) },
  };
}
