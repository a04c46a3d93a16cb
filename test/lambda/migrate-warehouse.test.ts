import {
  BatchExecuteStatementCommand, DescribeStatementCommand, ExecuteStatementCommand, GetStatementResultCommand, RedshiftDataClient,
} from '@aws-sdk/client-redshift-data';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { ddlMigrations, migrateWarehouse } from '../../warehouse/migrate-warehouse.js';
import { defaultPolling } from '../../warehouse/redshift-data.js';

const redshift = mockClient(RedshiftDataClient);

afterEach(() => redshift.reset());

describe('migrateWarehouse', () => {
  it('polls each statement at the pace it is given, as the local stage does against the emulator', async () => {
    redshift.on(BatchExecuteStatementCommand).resolves({ Id: 'batch' });
    redshift.on(ExecuteStatementCommand).resolves({ Id: 'query' });
    // Every statement is still running at its first look and finished at the second.
    let described = 0;
    redshift.on(DescribeStatementCommand).callsFake(() => (++described % 2 === 1 ? { Status: 'STARTED' } : { Status: 'FINISHED', HasResultSet: true }));
    redshift.on(GetStatementResultCommand).resolves({ Records: [] });
    const slept: number[] = [];
    const polling = { ...defaultPolling, initialDelayMs: 20, sleep: async (ms: number) => void slept.push(ms) };

    const { applied } = await migrateWarehouse({
      client: { endpoint: 'http://127.0.0.1:1', region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } },
      target: { clusterId: 'c', database: 'd', secretArn: 's' },
      polling,
    });

    expect(applied).toEqual(ddlMigrations().map((migration) => migration.version));
    // The migrations table, the query for applied versions, then one transaction per migration: each waited 20 ms once.
    expect(slept).toEqual(Array.from({ length: 2 + applied.length }, () => 20));
  });
});
