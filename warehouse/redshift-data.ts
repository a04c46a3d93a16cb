import {
  BatchExecuteStatementCommand, CancelStatementCommand, DescribeStatementCommand, ExecuteStatementCommand, GetStatementResultCommand,
  type Field, type RedshiftDataClient, type SqlParameter,
} from '@aws-sdk/client-redshift-data';

/** Where statements run: a provisioned cluster, reached with the credentials in a Secrets Manager secret. */
export interface RedshiftTarget {
  clusterId: string;
  database: string;
  secretArn: string;
}

export interface PollingOptions {
  initialDelayMs: number;
  maxDelayMs: number;
  /** Gives up waiting after this long, and cancels the statement. */
  timeoutMs: number;
  /** Gives up by this time (epoch ms) at the latest, e.g. before a Lambda function's own timeout. */
  deadline?: number;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
}

export class StatementFailedError extends Error {
  override readonly name = 'StatementFailedError';
}

export class StatementTimeoutError extends Error {
  override readonly name = 'StatementTimeoutError';
}

export const defaultPolling: PollingOptions = {
  initialDelayMs: 250,
  maxDelayMs: 5_000,
  timeoutMs: 14 * 60_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  now: () => Date.now(),
};

/** Statements on the emulator's warehouse answer in milliseconds: poll them tightly (the local stage's tools, not Lambda). */
export const emulatorPolling: PollingOptions = { ...defaultPolling, initialDelayMs: 20, maxDelayMs: 500, timeoutMs: 10 * 60_000 };

export type Row = (string | number | boolean | null)[];

function fieldValue(field: Field): string | number | boolean | null {
  if (field.isNull) return null;
  return field.stringValue ?? field.longValue ?? field.doubleValue ?? field.booleanValue ?? null;
}

/** Runs SQL through the Redshift Data API and waits for each statement to finish. */
export class RedshiftData {
  constructor(
    private readonly client: RedshiftDataClient,
    private readonly target: RedshiftTarget,
    private readonly polling: PollingOptions = defaultPolling,
  ) {}

  /** The same client and target, giving up (and cancelling) by `deadline` (epoch ms) at the latest. */
  withDeadline(deadline: number): RedshiftData {
    return new RedshiftData(this.client, this.target, { ...this.polling, deadline: Math.min(deadline, this.polling.deadline ?? Infinity) });
  }

  /** Runs the statements in order as one transaction: all commit, or none does. */
  async transaction(name: string, sqls: string[]): Promise<void> {
    const { Id } = await this.client.send(new BatchExecuteStatementCommand({
      ClusterIdentifier: this.target.clusterId,
      Database: this.target.database,
      SecretArn: this.target.secretArn,
      StatementName: name,
      Sqls: sqls,
    }));
    await this.waitFor(Id, name);
  }

  async query(name: string, sql: string, parameters: Record<string, string> = {}): Promise<Row[]> {
    const Parameters: SqlParameter[] = Object.entries(parameters).map(([key, value]) => ({ name: key, value }));
    const { Id } = await this.client.send(new ExecuteStatementCommand({
      ClusterIdentifier: this.target.clusterId,
      Database: this.target.database,
      SecretArn: this.target.secretArn,
      StatementName: name,
      Sql: sql,
      ...(Parameters.length > 0 ? { Parameters } : {}),
    }));
    const hasResultSet = await this.waitFor(Id, name);
    if (!hasResultSet) return [];
    const rows: Row[] = [];
    let NextToken: string | undefined;
    do {
      const page = await this.client.send(new GetStatementResultCommand({ Id, NextToken }));
      rows.push(...(page.Records ?? []).map((record) => record.map(fieldValue)));
      NextToken = page.NextToken;
    } while (NextToken);
    return rows;
  }

  /**
   * Polls with exponential backoff; resolves with whether the statement returned rows. A statement still
   * running when the wait ends is cancelled: nobody would learn how it ended, and a retry of the same work
   * would only queue behind its locks until it did.
   */
  private async waitFor(id: string | undefined, name: string): Promise<boolean> {
    if (!id) throw new StatementFailedError(`the Data API returned no statement id for ${name}`);
    const { initialDelayMs, maxDelayMs, timeoutMs, deadline, sleep, now } = this.polling;
    const started = now();
    const giveUpAt = Math.min(started + timeoutMs, deadline ?? Infinity);
    let delay = initialDelayMs;
    for (;;) {
      const statement = await this.client.send(new DescribeStatementCommand({ Id: id }));
      if (statement.Status === 'FINISHED') return statement.HasResultSet === true;
      if (statement.Status === 'FAILED' || statement.Status === 'ABORTED') {
        const failed = statement.SubStatements?.find((sub) => sub.Status === 'FAILED' || sub.Error);
        const where = failed ? ` in statement ${failed.Id}: ${failed.QueryString?.slice(0, 200)}` : '';
        throw new StatementFailedError(
          `${name} (statement ${id}) ${statement.Status.toLowerCase()}${where}: ${failed?.Error ?? statement.Error ?? 'no error message'}`,
        );
      }
      const left = giveUpAt - now();
      if (left <= 0) throw await this.cancelAfterWaiting({ id, name, status: statement.Status, waitedMs: now() - started });
      await sleep(Math.min(delay, left));
      delay = Math.min(delay * 2, maxDelayMs);
    }
  }

  private async cancelAfterWaiting(options: { id: string; name: string; status?: string; waitedMs: number }): Promise<StatementTimeoutError> {
    const { id, name } = options;
    const waited = `${name} (statement ${id}) was still ${options.status ?? 'running'} after ${Math.round(options.waitedMs / 1000)} s`;
    try {
      await this.client.send(new CancelStatementCommand({ Id: id }));
      return new StatementTimeoutError(`${waited}; it was cancelled, so its transaction rolls back and the work can be retried`);
    } catch (error) {
      return new StatementTimeoutError(`${waited}, and cancelling it failed (${(error as Error).message}): it may still hold locks until it ends`);
    }
  }
}
