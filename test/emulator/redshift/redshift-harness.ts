import {
  DescribeStatementCommand, GetStatementResultCommand, RedshiftDataClient,
  type DescribeStatementCommandOutput, type Field, type SqlParameter, ExecuteStatementCommand, BatchExecuteStatementCommand,
} from '@aws-sdk/client-redshift-data';
import { S3Client } from '@aws-sdk/client-s3';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from '../../../emulator/process/managed-process.js';
import { startMoto, type MotoServer } from '../../../emulator/moto/moto-server.js';
import { startPostgresEngine, type PostgresEngine } from '../../../emulator/postgres/postgres-engine.js';
import { GatewayServer } from '../../../emulator/gateway/gateway-server.js';
import { redshiftDataService } from '../../../emulator/gateway/services/redshift-data-service.js';
import { openRedshiftWarehouse, type RedshiftWarehouseOptions } from '../../../emulator/redshift/redshift-warehouse.js';

/** The machine's Postgres when the environment names one (CI runs the suite against both engines). */
export const postgresUrl = process.env.PG_URL ?? process.env.DATABASE_URL;

const region = 'us-east-1';
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

export interface RedshiftHarness {
  client: RedshiftDataClient;
  s3: S3Client;
  /** A database of its own, created on first use by the emulator and dropped at the end. */
  database: string;
  target: { ClusterIdentifier: string; Database: string; SecretArn: string };
  engine: PostgresEngine;
  gateway: GatewayServer;
  /** Runs one statement and waits for its end state. */
  execute(sql: string, parameters?: SqlParameter[]): Promise<DescribeStatementCommandOutput>;
  batch(sqls: string[]): Promise<DescribeStatementCommandOutput>;
  /** Every record of a finished statement, following NextToken. */
  records(id: string): Promise<Field[][]>;
  /** Waits until the statement leaves SUBMITTED/PICKED/STARTED. */
  settled(id: string): Promise<DescribeStatementCommandOutput>;
  close(): Promise<void>;
}

export type RedshiftHarnessOptions = { withMoto?: boolean } & Pick<RedshiftWarehouseOptions, 'resultPageRows' | 'maxActiveStatements' | 'maxRetainedStatements' | 'maxRetainedResultBytes' | 'resultLimits' | 'secretLogins'>;

export async function startRedshiftHarness(options: RedshiftHarnessOptions = {}): Promise<RedshiftHarness> {
  const stateDir = mkdtempSync(join(tmpdir(), 'sdp-redshift-'));
  // Run as root, the embedded Postgres runs as an unprivileged user that must be able to enter this folder.
  chmodSync(stateDir, 0o711);
  const engine = await startPostgresEngine({ url: postgresUrl, stateDir: join(stateDir, 'postgres') });
  let moto: MotoServer | undefined;
  if (options.withMoto) moto = await startMoto({ port: await freePort(), logFile: join(stateDir, 'moto.log') });
  const { resultPageRows, maxActiveStatements, maxRetainedStatements, maxRetainedResultBytes, resultLimits, secretLogins } = options;
  const warehouse = openRedshiftWarehouse({
    engine, s3Endpoint: moto?.endpoint ?? 'http://127.0.0.1:9', region,
    resultPageRows, maxActiveStatements, maxRetainedStatements, maxRetainedResultBytes, resultLimits, secretLogins,
  });
  // The Data API reached the way every client reaches it: through the emulator's gateway.
  const gateway = new GatewayServer({ port: 0, motoUrl: moto?.endpoint ?? 'http://127.0.0.1:9', services: [redshiftDataService(warehouse.api)] });
  const client = new RedshiftDataClient({ endpoint: await gateway.start(), region, credentials });
  const s3 = new S3Client({ endpoint: moto?.endpoint ?? 'http://127.0.0.1:9', region, credentials, forcePathStyle: true });
  const database = `rs_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const target = { ClusterIdentifier: 'sales-warehouse', Database: database, SecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:redshift' };

  async function settled(id: string): Promise<DescribeStatementCommandOutput> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const described = await client.send(new DescribeStatementCommand({ Id: id }));
      if (!['SUBMITTED', 'PICKED', 'STARTED'].includes(described.Status!)) return described;
      if (Date.now() > deadline) throw new Error(`statement ${id} still ${described.Status} after 30 s`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  return {
    client, s3, database, target, engine, settled,
    async execute(sql, parameters) {
      const { Id } = await client.send(new ExecuteStatementCommand({ ...target, Sql: sql, Parameters: parameters }));
      return settled(Id!);
    },
    async batch(sqls) {
      const { Id } = await client.send(new BatchExecuteStatementCommand({ ...target, Sqls: sqls }));
      return settled(Id!);
    },
    async records(id) {
      const records: Field[][] = [];
      let NextToken: string | undefined;
      do {
        const page = await client.send(new GetStatementResultCommand({ Id: id, NextToken }));
        records.push(...page.Records!);
        NextToken = page.NextToken;
      } while (NextToken);
      return records;
    },
    gateway,
    async close() {
      await gateway.stop();
      await warehouse.stop();
      client.destroy();
      s3.destroy();
      await moto?.stop();
      const admin = new pg.Client({ connectionString: engine.url(engine.adminDatabase) });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${database}`);
      await admin.end();
      await engine.stop();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
