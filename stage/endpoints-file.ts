import type { StackOutputs } from './stack-outputs.js';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/** What dev:up tells the other commands (upload, demo, report) about the running local stage. */
export interface LocalEndpoints {
  gatewayUrl: string;
  region: string;
  outputs: StackOutputs;
}

export class LocalStageNotRunningError extends Error {
  override readonly name = 'LocalStageNotRunningError';
}

export function writeEndpoints(file: string, endpoints: LocalEndpoints): void {
  writeFileSync(file, `${JSON.stringify(endpoints, null, 2)}\n`);
}

export function readEndpoints(file: string): LocalEndpoints {
  if (!existsSync(file)) throw new LocalStageNotRunningError('the local stage is not running: start it with `npm run dev:up`');
  return JSON.parse(readFileSync(file, 'utf8')) as LocalEndpoints;
}
