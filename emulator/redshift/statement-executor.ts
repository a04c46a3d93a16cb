import type { ColumnMetadata, Field, SqlParameter } from '@aws-sdk/client-redshift-data';
import type { S3Client } from '@aws-sdk/client-s3';
import pg from 'pg';
import type { DatabasePools } from '../postgres/database-pools.js';
import { copyFromS3 } from './copy-from-s3.js';
import { ResultTooLargeError, type ResultLimits } from './result-limits.js';
import { rawTextTypes, toColumnMetadata, toField } from './result-fields.js';
import { bindNamedParameters, type NamedParameter } from './sql-parameters.js';
import { planStatement } from './statement-plan.js';
import { unloadToS3 } from './unload-to-s3.js';

export type StatementStatus = 'SUBMITTED' | 'PICKED' | 'STARTED' | 'FINISHED' | 'FAILED' | 'ABORTED';

export interface StatementResult {
  columnMetadata: ColumnMetadata[];
  records: Field[][];
}

/** One SQL statement: the whole of an ExecuteStatement, or one statement of a batch. */
export interface StatementPart {
  id: string;
  sql: string;
  status: StatementStatus;
  createdAt: Date;
  updatedAt: Date;
  durationNs: number;
  error?: string;
  resultRows: number;
  result?: StatementResult;
  /** Bytes of the result's records, as DescribeStatement reports them. */
  resultSize: number;
}

export interface StatementTarget {
  clusterIdentifier?: string;
  workgroupName?: string;
  database: string;
  dbUser?: string;
  secretArn?: string;
}

/** The Postgres role a Data API statement runs as, and its password. */
export interface SessionLogin {
  user: string;
  password: string;
}

/**
 * Who a statement runs as: the user its secret names, or undefined for the engine's own role, which stands in
 * for the cluster's admin (master user).
 */
export type LoginResolver = (target: StatementTarget) => Promise<SessionLogin | undefined>;

export interface StatementRecord {
  id: string;
  name?: string;
  target: StatementTarget;
  isBatch: boolean;
  parameters?: SqlParameter[];
  parts: StatementPart[];
  status: StatementStatus;
  error?: string;
  createdAt: Date;
  updatedAt: Date;
  durationNs: number;
  /** The Postgres backend running it, for CancelStatement. */
  backendPid?: number;
  /** The role it runs as, once resolved; undefined is the engine's own role. */
  login?: SessionLogin;
  cancelRequested: boolean;
}

export const ACTIVE_STATUSES: readonly StatementStatus[] = ['SUBMITTED', 'PICKED', 'STARTED'];
const QUERY_CANCELED = '57014';

function canceledError(): Error {
  return Object.assign(new Error('canceling statement due to user request'), { code: QUERY_CANCELED });
}

function setStatus(target: StatementRecord | StatementPart, status: StatementStatus): void {
  target.status = status;
  target.updatedAt = new Date();
}

function errorText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.startsWith('ERROR:') ? message : `ERROR: ${message}`;
}

/** The last result of a query, with its records as the Data API types them. */
interface CollectedResult {
  result: pg.QueryResult;
  records: Field[][];
  bytes: number;
}

/** Runs Data API statements on Postgres connections, one connection (one Redshift "session") per statement. */
export class StatementExecutor {
  private readonly typeNames = new Map<string, Promise<Map<number, string>>>();

  /** Without `logins`, every statement runs as the session role, the cluster admin's stand-in. */
  constructor(
    private readonly pools: DatabasePools,
    private readonly s3: S3Client,
    private readonly limits: ResultLimits,
    private readonly logins?: LoginResolver,
  ) {}

  /** Runs a statement to its end state; never throws (failures are recorded on the statement). */
  async run(statement: StatementRecord): Promise<void> {
    if (statement.cancelRequested) return;
    setStatus(statement, 'PICKED');
    const started = process.hrtime.bigint();
    let client: pg.PoolClient | undefined;
    try {
      statement.login = await this.logins?.(statement.target);
      client = await (await this.pools.pool(statement.target.database, statement.login)).connect();
      statement.backendPid = (client as unknown as { processID: number }).processID;
      setStatus(statement, 'STARTED');
      await this.runParts(client, statement);
      setStatus(statement, 'FINISHED');
    } catch (error) {
      const canceled = (error as { code?: string }).code === QUERY_CANCELED && statement.cancelRequested;
      statement.error = canceled ? undefined : errorText(error);
      setStatus(statement, canceled ? 'ABORTED' : 'FAILED');
    } finally {
      statement.durationNs = Number(process.hrtime.bigint() - started);
      await this.release(client);
    }
  }

  /** Cancels the statement's running query; resolves once Postgres has been asked. */
  async cancel(statement: StatementRecord): Promise<void> {
    statement.cancelRequested = true;
    if (statement.status === 'SUBMITTED') {
      setStatus(statement, 'ABORTED');
      return;
    }
    await this.cancelBackend(statement);
    // A cancel that reaches the backend between two queries (or before the query starts) is lost, so it
    // is repeated until the statement has ended.
    void (async () => {
      for (let attempt = 0; attempt < 100 && ACTIVE_STATUSES.includes(statement.status); attempt += 1) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        if (ACTIVE_STATUSES.includes(statement.status)) await this.cancelBackend(statement).catch(() => undefined);
      }
    })();
  }

  private async cancelBackend(statement: StatementRecord): Promise<void> {
    if (statement.backendPid === undefined) return;
    const pool = await this.pools.pool(statement.target.database, statement.login);
    await pool.query('SELECT pg_cancel_backend($1)', [statement.backendPid]);
  }

  private async runParts(client: pg.PoolClient, statement: StatementRecord): Promise<void> {
    if (statement.isBatch) await client.query('BEGIN');
    let current: StatementPart | undefined;
    try {
      for (const part of statement.parts) {
        current = part;
        if (statement.cancelRequested) throw canceledError();
        setStatus(part, 'STARTED');
        const started = process.hrtime.bigint();
        await this.runPart(client, part, statement);
        part.durationNs = Number(process.hrtime.bigint() - started);
        setStatus(part, 'FINISHED');
      }
      if (statement.isBatch) await client.query('COMMIT');
    } catch (error) {
      if (statement.isBatch) await client.query('ROLLBACK').catch(() => undefined);
      if (current) {
        current.error = errorText(error);
        setStatus(current, statement.cancelRequested ? 'ABORTED' : 'FAILED');
      }
      for (const part of statement.parts) if (part.status === 'SUBMITTED') setStatus(part, 'ABORTED');
      throw error;
    }
  }

  private async runPart(client: pg.PoolClient, part: StatementPart, statement: StatementRecord): Promise<void> {
    const plan = planStatement(part.sql);
    if (plan.kind === 'copy') {
      part.resultRows = await copyFromS3({ client, s3: this.s3, copy: plan.copy });
      return;
    }
    if (plan.kind === 'unload') {
      part.resultRows = await unloadToS3({ client, s3: this.s3, unload: plan.unload });
      return;
    }
    const { text, values } = bindNamedParameters(plan.sql, (statement.parameters ?? []) as NamedParameter[]);
    const { result, records, bytes } = await this.collect(client, text, values);
    if (result.fields.length === 0) {
      part.resultRows = result.rowCount ?? 0;
      return;
    }
    const typeNames = await this.typeNamesOf(client, statement.target.database);
    part.result = { columnMetadata: result.fields.map((field) => toColumnMetadata(field, typeNames.get(field.dataTypeID) ?? 'unknown')), records };
    part.resultRows = records.length;
    part.resultSize = bytes;
  }

  /**
   * Runs a query, keeping the records of its last result (a Sql holding several statements gives one
   * result each; the Data API reports the last). Rows are typed as they arrive and counted against the
   * Data API's limits: past one, the rest of the rows are dropped as they come, so a runaway result
   * never sits in memory, and the statement fails once the query has ended.
   */
  private collect(client: pg.PoolClient, text: string, values: string[]): Promise<CollectedResult> {
    return new Promise((resolve, reject) => {
      const config: pg.QueryArrayConfig<string[]> = { text, values, rowMode: 'array', types: rawTextTypes };
      const query = new pg.Query(config as pg.QueryConfig<string[]>);
      let current: unknown;
      let records: Field[][] = [];
      let bytes = 0;
      let tooLarge: ResultTooLargeError | undefined;
      query.on('row', (row: (string | null)[], result?: pg.QueryResult) => {
        if (result !== current) {
          current = result;
          records = [];
          bytes = 0;
          tooLarge = undefined;
        }
        if (tooLarge) return;
        const fields = row.map((value, index) => toField(value, result!.fields[index]!.dataTypeID));
        const size = Buffer.byteLength(JSON.stringify(fields));
        bytes += size;
        tooLarge = ResultTooLargeError.check({ rowBytes: size, resultBytes: bytes, limits: this.limits });
        if (tooLarge) records = [];
        else records.push(fields);
      });
      query.on('error', reject);
      query.on('end', (results: pg.QueryResult | pg.QueryResult[]) => {
        const last = Array.isArray(results) ? results.at(-1)! : results;
        // The rows seen belong to an earlier statement when the last one returned none.
        if (last !== current) return resolve({ result: last, records: [], bytes: 0 });
        if (tooLarge) return reject(tooLarge);
        resolve({ result: last, records, bytes });
      });
      void client.query(query);
    });
  }

  private typeNamesOf(client: pg.PoolClient, database: string): Promise<Map<number, string>> {
    let names = this.typeNames.get(database);
    if (!names) {
      names = client.query<{ oid: number; typname: string }>('SELECT oid::int AS oid, typname FROM pg_type')
        .then(({ rows }) => new Map(rows.map((row) => [row.oid, row.typname])));
      this.typeNames.set(database, names);
    }
    return names;
  }

  /** Each Data API statement is a session of its own: temporary tables and settings must not leak to the next. */
  private async release(client: pg.PoolClient | undefined): Promise<void> {
    if (!client) return;
    try {
      await client.query('DISCARD ALL');
      client.release();
    } catch (error) {
      client.release(error as Error);
    }
  }
}
