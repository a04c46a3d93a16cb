import { parseArgs } from 'node:util';
import { UsageError } from '../stage/terraform.js';

export const deployStages = ['dev', 'prod'] as const;
export type DeployStage = (typeof deployStages)[number];

export interface DeployArguments {
  stage: DeployStage;
  /** Apply the saved plan after showing it; without it the command only plans. */
  apply: boolean;
}

export const deployUsage = 'usage: npm run deploy -- --stage dev|prod [--apply]';

/** `npm run deploy` arguments; every mistake is a UsageError whose message is one line. */
export function parseDeployArguments(argv: string[]): DeployArguments {
  let values: { stage?: string; apply?: boolean };
  try {
    ({ values } = parseArgs({ args: argv, options: { stage: { type: 'string' }, apply: { type: 'boolean', default: false } }, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new UsageError(`${(error as Error).message.split('\n')[0]}; ${deployUsage}`, { cause: error });
  }
  const stage = values.stage;
  if (stage === undefined) throw new UsageError(`--stage is required; ${deployUsage}`);
  if (stage === 'local') {
    throw new UsageError('stage local is the emulator, not a deploy target: `npm run dev:up` creates and updates it');
  }
  if (!(deployStages as readonly string[]).includes(stage)) throw new UsageError(`unknown stage "${stage}": --stage must be dev or prod`);
  return { stage: stage as DeployStage, apply: values.apply ?? false };
}
