// `npm run dev:up [-- --fresh]`, `dev:down`, `dev:status`: the offline AWS of the local stage.
import { down, gluePoolStatus, status, type DevEnvConfig } from '../emulator/dev-env/dev-env.js';
import { startLocalStage } from '../emulator/dev-env/local-stage.js';
import { localStageConfig } from '../emulator/dev-env/local-stage-config.js';
import { ensurePythonEnv, PrerequisiteError, requireJava } from '../stage/python-env.js';

const [command, ...flags] = process.argv.slice(2);

const config = (python: string) => localStageConfig(python);

async function printStatus(devConfig: DevEnvConfig): Promise<boolean> {
  const components = await status(devConfig);
  for (const component of components) {
    console.log(`${component.name.padEnd(10)} ${component.healthy ? 'healthy ' : component.pid ? 'unhealthy' : 'stopped '} ${component.url}${component.pid ? `  pid ${component.pid}` : ''}`);
  }
  for (const pooled of gluePoolStatus(devConfig.stateDir)) {
    const since = `${pooled.state === 'ready' ? 'idle' : 'warming'} for ${Math.round((Date.now() - Date.parse(pooled.since)) / 1000)} s`;
    console.log(`glue pool  ${pooled.state.padEnd(9)} ${pooled.jobName}  pid ${pooled.pid}  ${(pooled.memoryBytes / 2 ** 20).toFixed(0)} MiB  ${since}`);
  }
  return components.every((component) => component.healthy);
}

async function main(): Promise<number> {
  switch (command) {
    case 'up': {
      const started = Date.now();
      const python = ensurePythonEnv({ quiet: true });
      requireJava();
      const devConfig = config(python);
      const { gatewayUrl, outputs } = await startLocalStage(devConfig, { fresh: flags.includes('--fresh'), log: console.log });
      await printStatus(devConfig);
      for (const [name, value] of Object.entries(outputs)) console.log(`${name.padEnd(32)} ${value}`);
      console.log(`\nready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      console.log(`export AWS_ENDPOINT_URL=${gatewayUrl} AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=${devConfig.region} AWS_DEFAULT_REGION=${devConfig.region}`);
      return 0;
    }
    case 'down':
      await down(config(''));
      console.log('local stage stopped');
      return 0;
    case 'status':
      return (await printStatus(config(''))) ? 0 : 1;
    default:
      console.error(`dev: unknown command ${JSON.stringify(command)}: use up [--fresh], down or status`);
      return 2;
  }
}

try {
  process.exitCode = await main();
} catch (error) {
  if (!(error instanceof PrerequisiteError) && !(error instanceof Error)) throw error;
  console.error(`dev ${command}: ${error.message}`);
  process.exitCode = 1;
}
