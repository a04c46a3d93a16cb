import {
  BatchExecuteStatementCommand, CancelStatementCommand, DescribeStatementCommand, ExecuteStatementCommand, GetStatementResultCommand, RedshiftDataClient,
} from '@aws-sdk/client-redshift-data';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { RedshiftData, StatementFailedError, StatementTimeoutError, type PollingOptions } from '../../warehouse/redshift-data.js';

const redshift = mockClient(RedshiftDataClient);
const target = { clusterId: 'c', database: 'd', secretArn: 's' };
let slept: number[];
let clock: number;
/** Polling on a fake clock that only the sleeps advance. */
const polling = (overrides: Partial<PollingOptions> = {}): PollingOptions => ({
  initialDelayMs: 100, maxDelayMs: 400, timeoutMs: 1_000,
  sleep: async (ms: number) => {
    slept.push(ms);
    clock += ms;
  },
  now: () => clock,
  ...overrides,
});

beforeEach(() => {
  redshift.reset();
  slept = [];
  clock = 0;
  redshift.on(BatchExecuteStatementCommand).resolves({ Id: 'b1' });
  redshift.on(CancelStatementCommand).resolves({ Status: true });
});

describe('RedshiftData', () => {
  it('polls with doubling delays up to the maximum until the statement finishes', async () => {
    redshift.on(DescribeStatementCommand)
      .resolvesOnce({ Status: 'SUBMITTED' }).resolvesOnce({ Status: 'PICKED' }).resolvesOnce({ Status: 'STARTED' })
      .resolvesOnce({ Status: 'STARTED' }).resolves({ Status: 'FINISHED' });
    await new RedshiftData(new RedshiftDataClient({}), target, polling({ timeoutMs: 10_000 })).transaction('load-x', ['SELECT 1']);
    expect(slept).toEqual([100, 200, 400, 400]);
    expect(redshift.commandCalls(CancelStatementCommand)).toHaveLength(0);
  });

  it('throws StatementFailedError with the error of an aborted statement', async () => {
    redshift.on(DescribeStatementCommand).resolves({ Status: 'ABORTED', Error: 'cancelled by user' });
    await expect(new RedshiftData(new RedshiftDataClient({}), target, polling()).transaction('load-x', ['SELECT 1']))
      .rejects.toThrow(new StatementFailedError('load-x (statement b1) aborted: cancelled by user'));
  });

  it('gives up waiting after the timeout and cancels the statement, so a retry does not queue behind it', async () => {
    redshift.on(DescribeStatementCommand).resolves({ Status: 'STARTED' });
    await expect(new RedshiftData(new RedshiftDataClient({}), target, polling()).transaction('load-x', ['SELECT 1']))
      .rejects.toThrow(new StatementTimeoutError('load-x (statement b1) was still STARTED after 1 s; it was cancelled, so its transaction rolls back and the work can be retried'));
    expect(clock).toBe(1_000);
    expect(redshift.commandCalls(CancelStatementCommand).map((call) => call.args[0].input)).toEqual([{ Id: 'b1' }]);
  });

  it('gives up by the deadline when it comes before the timeout, never sleeping past it', async () => {
    redshift.on(DescribeStatementCommand).resolves({ Status: 'STARTED' });
    const warehouse = new RedshiftData(new RedshiftDataClient({}), target, polling({ timeoutMs: 60_000 })).withDeadline(650);
    await expect(warehouse.transaction('load-x', ['SELECT 1'])).rejects.toThrow(StatementTimeoutError);
    expect(slept).toEqual([100, 200, 350]);
    expect(redshift.commandCalls(CancelStatementCommand)).toHaveLength(1);
  });

  it('says so when the statement cannot be cancelled', async () => {
    redshift.on(DescribeStatementCommand).resolves({ Status: 'STARTED' });
    redshift.on(CancelStatementCommand).rejects(new Error('Could not cancel a query that is already in FINISHED state'));
    await expect(new RedshiftData(new RedshiftDataClient({}), target, polling()).transaction('load-x', ['SELECT 1']))
      .rejects.toThrow(/still STARTED after 1 s, and cancelling it failed \(Could not cancel .*\): it may still hold locks/);
  });

  it('returns the rows of a query across result pages', async () => {
    redshift.on(ExecuteStatementCommand).resolves({ Id: 'q1' });
    redshift.on(DescribeStatementCommand).resolves({ Status: 'FINISHED', HasResultSet: true });
    redshift.on(GetStatementResultCommand)
      .resolvesOnce({ Records: [[{ stringValue: 'a' }, { longValue: 1 }]], NextToken: 't' })
      .resolvesOnce({ Records: [[{ isNull: true }, { booleanValue: true }]] });
    const rows = await new RedshiftData(new RedshiftDataClient({}), target, polling()).query('q', 'SELECT :x', { x: '1' });
    expect(rows).toEqual([['a', 1], [null, true]]);
    expect(redshift.commandCalls(ExecuteStatementCommand)[0]!.args[0].input.Parameters).toEqual([{ name: 'x', value: '1' }]);
  });
});
