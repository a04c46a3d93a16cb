import { BatchExecuteStatementCommand, DescribeStatementCommand, ExecuteStatementCommand, GetStatementResultCommand, RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { RedshiftData, StatementFailedError, StatementTimeoutError } from '../../warehouse/redshift-data.js';

const redshift = mockClient(RedshiftDataClient);
const target = { clusterId: 'c', database: 'd', secretArn: 's' };
let slept: number[];
const polling = () => ({ initialDelayMs: 100, maxDelayMs: 400, timeoutMs: 1_000, sleep: async (ms: number) => void slept.push(ms) });

beforeEach(() => {
  redshift.reset();
  slept = [];
  redshift.on(BatchExecuteStatementCommand).resolves({ Id: 'b1' });
});

describe('RedshiftData', () => {
  it('polls with doubling delays up to the maximum until the statement finishes', async () => {
    redshift.on(DescribeStatementCommand)
      .resolvesOnce({ Status: 'SUBMITTED' }).resolvesOnce({ Status: 'PICKED' }).resolvesOnce({ Status: 'STARTED' })
      .resolvesOnce({ Status: 'STARTED' }).resolves({ Status: 'FINISHED' });
    await new RedshiftData(new RedshiftDataClient({}), target, polling()).transaction('load-x', ['SELECT 1']);
    expect(slept).toEqual([100, 200, 400, 400]);
  });

  it('throws StatementFailedError with the error of an aborted statement', async () => {
    redshift.on(DescribeStatementCommand).resolves({ Status: 'ABORTED', Error: 'cancelled by user' });
    await expect(new RedshiftData(new RedshiftDataClient({}), target, polling()).transaction('load-x', ['SELECT 1']))
      .rejects.toThrow(new StatementFailedError('load-x (statement b1) aborted: cancelled by user'));
  });

  it('gives up waiting after the timeout', async () => {
    redshift.on(DescribeStatementCommand).resolves({ Status: 'STARTED' });
    await expect(new RedshiftData(new RedshiftDataClient({}), target, polling()).transaction('load-x', ['SELECT 1']))
      .rejects.toThrow(StatementTimeoutError);
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
