import { describe, expect, it } from 'vitest';
import { isFinalState, parseGlueJobStateChange } from '../../lambda/loader/glue-state-change.js';
import { auditWithoutRows, isAlreadyRecorded } from '../../lambda/loader/load-glue-run.js';

describe('parseGlueJobStateChange', () => {
  it('reads job name, run id, state and message', () => {
    const event = { 'detail-type': 'Glue Job State Change', detail: { jobName: 'j', jobRunId: 'jr_1', state: 'FAILED', message: 'boom' } };
    expect(parseGlueJobStateChange(event)).toEqual({ jobName: 'j', jobRunId: 'jr_1', state: 'FAILED', message: 'boom' });
  });

  it('rejects an event without a run id', () => {
    expect(() => parseGlueJobStateChange({ 'detail-type': 'Glue Job State Change', detail: { jobName: 'j', state: 'FAILED' } }))
      .toThrow(/lacks detail.jobName, detail.jobRunId or detail.state/);
  });

  it('knows the final states', () => {
    expect(['SUCCEEDED', 'FAILED', 'TIMEOUT', 'STOPPED', 'ERROR', 'RUNNING', 'WAITING'].map(isFinalState)).toEqual([true, true, true, true, true, false, false]);
  });
});

describe('isAlreadyRecorded', () => {
  it('lets a success replace an earlier failure, and nothing else change a recorded run', () => {
    expect(isAlreadyRecorded(undefined, 'SUCCEEDED')).toBe(false);
    expect(isAlreadyRecorded('failed', 'SUCCEEDED')).toBe(false);
    expect(isAlreadyRecorded('loaded', 'SUCCEEDED')).toBe(true);
    expect(isAlreadyRecorded('rejected_file', 'SUCCEEDED')).toBe(true);
    expect(isAlreadyRecorded('failed', 'FAILED')).toBe(true);
  });
});

describe('auditWithoutRows', () => {
  const run = { jobRunId: 'jr_1', runId: 'r1', inputUri: 's3://b/raw/a.csv', sourceVersion: 'v1', errorMessage: 'from GetJobRun' };

  it('maps the Glue state to the audit status and prefers the event message', () => {
    expect(auditWithoutRows({ run, state: 'STOPPED', message: 'stopped by user' })).toMatchObject({ status: 'stopped', error: 'stopped by user', sourceUri: 's3://b/raw/a.csv' });
    expect(auditWithoutRows({ run, state: 'TIMEOUT', message: '' })).toMatchObject({ status: 'timeout', error: 'from GetJobRun' });
    expect(auditWithoutRows({ run, state: 'ERROR', message: '' })).toMatchObject({ status: 'error', error: 'from GetJobRun' });
    expect(auditWithoutRows({ run, state: 'FAILED', message: 'boom' })).toMatchObject({ status: 'failed', error: 'boom' });
  });
});
