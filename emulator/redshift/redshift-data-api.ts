import type { SqlParameter } from '@aws-sdk/client-redshift-data';
import { randomUUID } from 'node:crypto';
import { DataApiError } from './data-api-error.js';
import { ACTIVE_STATUSES, type StatementExecutor, type StatementPart, type StatementRecord, type StatementTarget } from './statement-executor.js';

export type Request = Record<string, unknown>;
export type Response = Record<string, unknown>;

export interface RedshiftDataApiOptions {
  /** Past this many statements in SUBMITTED/PICKED/STARTED, new ones fail with ActiveStatementsExceededException. */
  maxActiveStatements?: number;
  /** Records per GetStatementResult page (AWS pages by size, up to 100 MB). */
  resultPageRows?: number;
  /** How long a finished statement and its result stay available (AWS: 24 hours). */
  retentionMs?: number;
  /**
   * Bounds on what finished statements keep in memory, past which the oldest are forgotten before
   * their retention ends (AWS keeps everything for 24 hours; a laptop cannot).
   */
  maxRetainedStatements?: number;
  maxRetainedResultBytes?: number;
}

/** The Data API's limit on one SQL text ("Cannot process query string larger than 100kB"). */
export const MAX_SQL_BYTES = 100 * 1024;

const ID_PATTERN = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?::(\d+))?$/;
const MAX_BATCH_STATEMENTS = 40;
const MAX_LIST_RESULTS = 100;

function epochSeconds(date: Date): number {
  return date.getTime() / 1000;
}

function optionalString(request: Request, field: string): string | undefined {
  const value = request[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new DataApiError('ValidationException', `${field} must be a string`);
  return value;
}

function requiredString(request: Request, field: string): string {
  const value = optionalString(request, field);
  if (!value) throw new DataApiError('ValidationException', `1 validation error detected: Value null at '${field.charAt(0).toLowerCase()}${field.slice(1)}' failed to satisfy constraint: Member must not be null`);
  return value;
}

function sqlText(sql: string): string {
  if (Buffer.byteLength(sql) > MAX_SQL_BYTES) throw new DataApiError('ValidationException', `Cannot process query string larger than 100kB: this one has ${Buffer.byteLength(sql)} bytes; load large data with COPY from S3`);
  return sql;
}

function encodeToken(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64');
}

function decodeToken<T>(token: unknown): T | undefined {
  if (token === undefined || token === null) return undefined;
  try {
    return JSON.parse(Buffer.from(String(token), 'base64').toString('utf8')) as T;
  } catch {
    throw new DataApiError('ValidationException', `NextToken ${String(token)} is not a token this API returned`);
  }
}

function resultBytes(statement: StatementRecord): number {
  return statement.parts.reduce((sum, part) => sum + part.resultSize, 0);
}

/** The Data API's operations (one method each) over statements kept in memory; statements run in the background, as on AWS. */
export class RedshiftDataApi {
  private readonly statements = new Map<string, StatementRecord>();
  private readonly running = new Set<Promise<void>>();
  private readonly maxActiveStatements: number;
  private readonly resultPageRows: number;
  private readonly retention: { ms: number; statements: number; resultBytes: number };

  constructor(private readonly executor: StatementExecutor, options: RedshiftDataApiOptions = {}) {
    this.maxActiveStatements = options.maxActiveStatements ?? 500;
    this.resultPageRows = options.resultPageRows ?? 1000;
    this.retention = {
      ms: options.retentionMs ?? 24 * 60 * 60 * 1000,
      statements: options.maxRetainedStatements ?? 10_000,
      resultBytes: options.maxRetainedResultBytes ?? 1024 ** 3,
    };
  }

  /** Cancels what still runs and waits for every statement to settle. */
  async stop(): Promise<void> {
    for (const statement of this.statements.values()) {
      if (ACTIVE_STATUSES.includes(statement.status)) await this.executor.cancel(statement).catch(() => undefined);
    }
    await Promise.allSettled(this.running);
  }

  executeStatement(request: Request): Response {
    const sql = sqlText(requiredString(request, 'Sql'));
    const parameters = request.Parameters as SqlParameter[] | undefined;
    if (parameters !== undefined && (!Array.isArray(parameters) || parameters.some((parameter) => typeof parameter?.name !== 'string' || typeof parameter.value !== 'string'))) {
      throw new DataApiError('ValidationException', 'Parameters must be a list of {name, value} with string values');
    }
    return this.submit({ request, sqls: [sql], isBatch: false, parameters });
  }

  batchExecuteStatement(request: Request): Response {
    const sqls = request.Sqls;
    if (!Array.isArray(sqls) || sqls.length === 0 || sqls.length > MAX_BATCH_STATEMENTS || sqls.some((sql) => typeof sql !== 'string' || sql.trim() === '')) {
      throw new DataApiError('ValidationException', `Sqls must hold 1 to ${MAX_BATCH_STATEMENTS} non-empty SQL statements`);
    }
    return this.submit({ request, sqls: (sqls as string[]).map(sqlText), isBatch: true });
  }

  private submit(options: { request: Request; sqls: string[]; isBatch: boolean; parameters?: SqlParameter[] }): Response {
    const target = this.target(options.request);
    const active = [...this.statements.values()].filter((statement) => ACTIVE_STATUSES.includes(statement.status)).length;
    if (active >= this.maxActiveStatements) {
      throw new DataApiError('ActiveStatementsExceededException', `Active statements exceeded the allowed quota (${this.maxActiveStatements}): wait for running statements to finish`);
    }
    this.evictFinished();
    const id = randomUUID();
    const now = new Date();
    const parts: StatementPart[] = options.sqls.map((sql, index) => ({
      id: options.isBatch ? `${id}:${index + 1}` : id, sql, status: 'SUBMITTED', createdAt: now, updatedAt: now, durationNs: 0, resultRows: 0, resultSize: 0,
    }));
    const statement: StatementRecord = {
      id, name: optionalString(options.request, 'StatementName'), target, isBatch: options.isBatch, parameters: options.parameters,
      parts, status: 'SUBMITTED', createdAt: now, updatedAt: now, durationNs: 0, cancelRequested: false,
    };
    this.statements.set(id, statement);
    const run = new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.executor.run(statement));
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
    return {
      Id: id, CreatedAt: epochSeconds(now), Database: target.database, ClusterIdentifier: target.clusterIdentifier,
      WorkgroupName: target.workgroupName, DbUser: target.dbUser, SecretArn: target.secretArn,
    };
  }

  /**
   * Forgets finished statements past their retention, then the oldest finished ones while more are
   * kept than the bounds allow. The map iterates in submission order, so the oldest come first.
   */
  private evictFinished(): void {
    const finished = [...this.statements.values()].filter((statement) => !ACTIVE_STATUSES.includes(statement.status));
    const expired = Date.now() - this.retention.ms;
    let count = this.statements.size;
    let bytes = finished.reduce((sum, statement) => sum + resultBytes(statement), 0);
    for (const statement of finished) {
      if (statement.updatedAt.getTime() > expired && count < this.retention.statements && bytes <= this.retention.resultBytes) break;
      this.statements.delete(statement.id);
      count -= 1;
      bytes -= resultBytes(statement);
    }
  }

  private target(request: Request): StatementTarget {
    const clusterIdentifier = optionalString(request, 'ClusterIdentifier');
    const workgroupName = optionalString(request, 'WorkgroupName');
    if (Boolean(clusterIdentifier) === Boolean(workgroupName)) {
      throw new DataApiError('ValidationException', 'Either ClusterIdentifier or WorkgroupName must be specified, not both');
    }
    const dbUser = optionalString(request, 'DbUser');
    const secretArn = optionalString(request, 'SecretArn');
    if (dbUser && secretArn) throw new DataApiError('ValidationException', 'Specify either SecretArn or DbUser, not both');
    const database = requiredString(request, 'Database');
    if (!/^[A-Za-z_][A-Za-z0-9_$]{0,62}$/.test(database)) {
      throw new DataApiError('ValidationException', `Database ${database} is not a valid database name: use letters, digits and underscores, starting with a letter`);
    }
    return { clusterIdentifier, workgroupName, database, dbUser, secretArn };
  }

  /** The statement and, for a `<id>:<n>` id, the batch's n-th part. */
  private find(request: Request): { statement: StatementRecord; part?: StatementPart } {
    const id = requiredString(request, 'Id');
    const match = ID_PATTERN.exec(id);
    if (!match) throw new DataApiError('ValidationException', `Id ${id} is not a statement id: expected a UUID, optionally with a :<n> suffix for a statement of a batch`);
    const statement = this.statements.get(match[1]!);
    if (!statement) throw new DataApiError('ResourceNotFoundException', `Query does not exist: ${id}`, { ResourceId: id });
    if (match[2] === undefined) return { statement, part: statement.isBatch ? undefined : statement.parts[0] };
    const part = statement.isBatch ? statement.parts[Number(match[2]) - 1] : undefined;
    if (!part) throw new DataApiError('ResourceNotFoundException', `Query does not exist: ${id}`, { ResourceId: id });
    return { statement, part };
  }

  describeStatement(request: Request): Response {
    const { statement, part } = this.find(request);
    const described = part && statement.isBatch ? part : statement;
    const response: Response = {
      Id: described.id, Status: described.status, Error: described.error, Duration: described.durationNs,
      CreatedAt: epochSeconds(described.createdAt), UpdatedAt: epochSeconds(described.updatedAt),
      Database: statement.target.database, ClusterIdentifier: statement.target.clusterIdentifier,
      WorkgroupName: statement.target.workgroupName, DbUser: statement.target.dbUser, SecretArn: statement.target.secretArn,
      RedshiftPid: statement.backendPid, QueryParameters: statement.parameters,
    };
    if (statement.isBatch && !part) {
      return {
        ...response,
        HasResultSet: statement.parts.some((each) => each.result !== undefined),
        ResultRows: statement.parts.reduce((sum, each) => sum + each.resultRows, 0),
        SubStatements: statement.parts.map((each) => ({
          Id: each.id, Status: each.status, Error: each.error, Duration: each.durationNs, QueryString: each.sql,
          CreatedAt: epochSeconds(each.createdAt), UpdatedAt: epochSeconds(each.updatedAt),
          HasResultSet: each.result !== undefined, ResultRows: each.resultRows, ResultSize: each.resultSize,
        })),
      };
    }
    const single = part ?? statement.parts[0]!;
    return { ...response, QueryString: single.sql, HasResultSet: single.result !== undefined, ResultRows: single.resultRows, ResultSize: single.resultSize };
  }

  getStatementResult(request: Request): Response {
    const { statement, part } = this.find(request);
    if (!part) throw new DataApiError('ValidationException', `${statement.id} is a batch: ask for the result of one of its statements as ${statement.id}:<n>`);
    if (part.status !== 'FINISHED' || !part.result) {
      throw new DataApiError('ResourceNotFoundException', `Query does not have result. Please check query status with DescribeStatement (status ${part.status}).`, { ResourceId: part.id });
    }
    const token = decodeToken<{ id: string; offset: number }>(request.NextToken);
    if (token && token.id !== part.id) throw new DataApiError('ValidationException', 'NextToken belongs to another statement');
    const offset = token?.offset ?? 0;
    const end = offset + this.resultPageRows;
    const records = part.result.records;
    return {
      Records: records.slice(offset, end), ColumnMetadata: part.result.columnMetadata, TotalNumRows: records.length,
      NextToken: end < records.length ? encodeToken({ id: part.id, offset: end }) : undefined,
    };
  }

  listStatements(request: Request): Response {
    const status = optionalString(request, 'Status') ?? 'ALL';
    const name = optionalString(request, 'StatementName');
    const maxResults = Number(request.MaxResults ?? MAX_LIST_RESULTS);
    if (!Number.isInteger(maxResults) || maxResults < 0 || maxResults > MAX_LIST_RESULTS) {
      throw new DataApiError('ValidationException', `MaxResults must be between 0 and ${MAX_LIST_RESULTS}`);
    }
    const matching = [...this.statements.values()]
      .filter((statement) => (status === 'ALL' || statement.status === status) && (!name || statement.name?.startsWith(name)))
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
    const offset = decodeToken<{ offset: number }>(request.NextToken)?.offset ?? 0;
    const pageSize = maxResults === 0 ? MAX_LIST_RESULTS : maxResults;
    const page = matching.slice(offset, offset + pageSize);
    return {
      Statements: page.map((statement) => ({
        Id: statement.id, Status: statement.status, StatementName: statement.name, IsBatchStatement: statement.isBatch,
        ...(statement.isBatch ? { QueryStrings: statement.parts.map((part) => part.sql) } : { QueryString: statement.parts[0]!.sql }),
        CreatedAt: epochSeconds(statement.createdAt), UpdatedAt: epochSeconds(statement.updatedAt),
        SecretArn: statement.target.secretArn, QueryParameters: statement.parameters,
      })),
      NextToken: offset + pageSize < matching.length ? encodeToken({ offset: offset + pageSize }) : undefined,
    };
  }

  async cancelStatement(request: Request): Promise<Response> {
    const { statement } = this.find(request);
    if (!ACTIVE_STATUSES.includes(statement.status)) {
      throw new DataApiError('ValidationException', `Could not cancel a query that is already in ${statement.status} state.`);
    }
    await this.executor.cancel(statement);
    return { Status: true };
  }
}
