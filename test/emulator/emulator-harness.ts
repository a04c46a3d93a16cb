import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
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
    // Emulator tests run under IAM enforcement, whatever EMULATOR_IAM says, as the stage does by default.
    python: venvPython, sparkSubmit: sparkSubmitPath(venvDir), iam: true, ...overrides,
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

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

/** Everything: for roles of tests that are about something other than IAM, which the gateway still enforces. */
export const allowEverything: PolicyStatement[] = [{ Effect: 'Allow', Action: '*', Resource: '*' }];

/** Creates (or replaces the inline policy of) a role that Lambda and Glue may assume; returns its ARN. */
export async function createRole(aws: Harness['aws'], options: { name: string; statements: PolicyStatement[] }): Promise<string> {
  const iam = new IAMClient(aws);
  const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: ['lambda.amazonaws.com', 'glue.amazonaws.com'] }, Action: 'sts:AssumeRole' }] };
  const { Role } = await iam.send(new CreateRoleCommand({ RoleName: options.name, AssumeRolePolicyDocument: JSON.stringify(trust) }));
  await putRolePolicy(aws, options);
  return Role!.Arn!;
}

export async function putRolePolicy(aws: Harness['aws'], options: { name: string; statements: PolicyStatement[] }): Promise<void> {
  await new IAMClient(aws).send(new PutRolePolicyCommand({
    RoleName: options.name, PolicyName: 'inline', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: options.statements }),
  }));
}

/** A Lambda code package holding one index.js. */
export function handlerZip(source: string): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'sdp-handler-'));
  execFileSync('python3', ['-c', 'import sys,zipfile; z=zipfile.ZipFile(sys.argv[1]+"/code.zip","w"); z.writestr("index.js", sys.argv[2]); z.close()', dir, source]);
  const zip = readFileSync(join(dir, 'code.zip'));
  rmSync(dir, { recursive: true, force: true });
  return zip;
}
