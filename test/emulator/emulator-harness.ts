import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { awsClientConfig } from '../../stage/aws-target.js';
import { startEmulatorServices, type EmulatorServices, type EmulatorServicesConfig } from '../../emulator/dev-env/emulator-services.js';
import { startMoto } from '../../emulator/moto/moto-server.js';
import { freePort } from '../../emulator/process/managed-process.js';
import { sparkSubmitPath } from '../../stage/spark-submit-path.js';
import { venvDir, venvPython } from '../../stage/python-env.js';

export { freePort };

export interface Harness {
  services: EmulatorServices;
  stateDir: string;
  /** Client configuration for the gateway, as a developer's SDK would use it. */
  aws: ReturnType<typeof awsClientConfig>;
  close(): Promise<void>;
}

/** A moto and the emulator services on free ports with a private state folder. */
export async function startHarness(overrides: Partial<EmulatorServicesConfig> = {}): Promise<Harness> {
  const stateDir = mkdtempSync(join(tmpdir(), 'sdp-emulator-'));
  // Run as root, the warehouse's embedded Postgres runs as an unprivileged user that must be able to enter this folder.
  chmodSync(stateDir, 0o711);
  const moto = await startMoto({ port: await freePort(), logFile: join(stateDir, 'moto.log') });
  const services = await startEmulatorServices({
    stateDir, motoUrl: moto.endpoint, gatewayPort: await freePort(), region: 'us-east-1',
    python: venvPython, sparkSubmit: sparkSubmitPath(venvDir), ...overrides,
  });
  return {
    services, stateDir,
    aws: awsClientConfig({ endpoint: services.gatewayUrl, region: 'us-east-1' }),
    async close() {
      await services.stop();
      await moto.stop();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

/** A Lambda code package holding one index.js. */
export function handlerZip(source: string): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'sdp-handler-'));
  execFileSync('python3', ['-c', 'import sys,zipfile; z=zipfile.ZipFile(sys.argv[1]+"/code.zip","w"); z.writestr("index.js", sys.argv[2]); z.close()', dir, source]);
  const zip = readFileSync(join(dir, 'code.zip'));
  rmSync(dir, { recursive: true, force: true });
  return zip;
}
