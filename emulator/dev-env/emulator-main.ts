// The background process of the local stage: gateway, Lambda runtime and Glue runner. Started by dev:up.
import { startEmulatorServices, type EmulatorServicesConfig } from './emulator-services.js';

const config = JSON.parse(process.argv[2] ?? '{}') as EmulatorServicesConfig;
const log = (message: string) => console.log(`${new Date().toISOString()} ${message}`);
const services = await startEmulatorServices({ ...config, log });
log(`emulator ready at ${services.gatewayUrl}`);

let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  log(`${signal}: stopping running jobs and pollers`);
  await services.stop();
  process.exit(0);
};
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
