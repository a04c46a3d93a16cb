/**
 * The Glue job run states a run ends in, each of which gets the run its one audit row. The EventBridge rule
 * in terraform/load.tf sends the loader exactly these (test/terraform/event-contract.spec.ts holds them equal).
 */
export const FINAL_STATES = ['SUCCEEDED', 'FAILED', 'TIMEOUT', 'STOPPED', 'ERROR'] as const;
export type FinalState = (typeof FINAL_STATES)[number];

export interface GlueJobStateChange {
  jobName: string;
  jobRunId: string;
  state: string;
  message: string;
}

export class InvalidGlueEventError extends Error {
  override readonly name = 'InvalidGlueEventError';
}

/** Reads the detail of an EventBridge "Glue Job State Change" event. */
export function parseGlueJobStateChange(event: unknown): GlueJobStateChange {
  const { 'detail-type': detailType, detail } = (event ?? {}) as { 'detail-type'?: unknown; detail?: Record<string, unknown> };
  if (detailType !== 'Glue Job State Change' || typeof detail !== 'object' || detail === null) {
    throw new InvalidGlueEventError(`expected an EventBridge "Glue Job State Change" event, got detail-type ${JSON.stringify(detailType)}`);
  }
  const { jobName, jobRunId, state, message } = detail;
  if (typeof jobName !== 'string' || typeof jobRunId !== 'string' || typeof state !== 'string') {
    throw new InvalidGlueEventError(`the Glue event lacks detail.jobName, detail.jobRunId or detail.state: ${JSON.stringify(detail)}`);
  }
  return { jobName, jobRunId, state, message: typeof message === 'string' ? message : '' };
}

export function isFinalState(state: string): state is FinalState {
  return (FINAL_STATES as readonly string[]).includes(state);
}
