import pg from 'pg';
import { planStatement } from '../../emulator/redshift/statement-plan.js';
import type { RedshiftData, Row } from '../../warehouse/redshift-data.js';
import { ddlMigrations } from '../../warehouse/migrate-warehouse.js';

export const postgresUrl = process.env.SALES_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * What the emulator's Data API does to Redshift SQL before Postgres runs it (DESIGN 2): the same translation.
 * COPY is not translated here: the test replaces it with fixture rows.
 */
export function redshiftToPostgres(sql: string): string {
  const plan = planStatement(sql);
  return plan.kind === 'sql' ? plan.sql : sql;
}

export type FixtureRow = Record<string, string | number | null>;

/** A Postgres schema of its own holding the warehouse tables; COPY reads rows from `copySources` by manifest URI. */
export class WarehouseOnPostgres {
  private constructor(
    private readonly client: pg.Client,
    readonly schema: string,
    readonly copySources: Map<string, FixtureRow[]>,
    /** The first connection owns the schema and drops it on close. */
    private readonly ownsSchema: boolean,
  ) {}

  static async create(options: { applyDdl: boolean } = { applyDdl: true }): Promise<WarehouseOnPostgres> {
    const schema = `loader_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    const warehouse = new WarehouseOnPostgres(await connect(schema), schema, new Map(), true);
    // Every migration of sql/ddl/, in order, as db:migrate applies them.
    if (options.applyDdl) for (const migration of ddlMigrations()) await warehouse.transaction(migration.statements);
    return warehouse;
  }

  /** Another session on the same warehouse and COPY sources, as a second loader would have. */
  async anotherSession(): Promise<WarehouseOnPostgres> {
    return new WarehouseOnPostgres(await connect(this.schema, { create: false }), this.schema, this.copySources, false);
  }

  /** Runs the statements the way BatchExecuteStatement does: in order, one transaction. */
  async transaction(sqls: string[]): Promise<void> {
    await this.client.query('BEGIN');
    try {
      for (const sql of sqls) await this.execute(redshiftToPostgres(sql));
      await this.client.query('COMMIT');
    } catch (error) {
      await this.client.query('ROLLBACK');
      throw error;
    }
  }

  /** Runs what follows as another role (SET ROLE), until `actAs()` without a role. */
  async actAs(role?: string): Promise<void> {
    await this.client.query(role ? `SET ROLE ${role}` : 'RESET ROLE');
  }

  async rows(sql: string): Promise<FixtureRow[]> {
    return (await this.client.query(redshiftToPostgres(sql))).rows as FixtureRow[];
  }

  /** The same warehouse behind the interface of the Data API client; `:name` parameters bind as the Data API binds them. */
  asRedshiftData(): Pick<RedshiftData, 'transaction' | 'query'> {
    return {
      transaction: async (_name, sqls) => this.transaction(sqls),
      query: async (_name, sql, parameters = {}) => {
        const values: string[] = [];
        const text = redshiftToPostgres(sql).replace(/:(\w+)/g, (_match, name: string) => {
          if (!(name in parameters)) throw new Error(`no value for the parameter :${name} of ${sql}`);
          values.push(parameters[name]!);
          return `$${values.length}`;
        });
        return (await this.client.query({ text, values, rowMode: 'array' })).rows as Row[];
      },
    };
  }

  async close(): Promise<void> {
    if (this.ownsSchema) await this.client.query(`DROP SCHEMA ${this.schema} CASCADE`);
    await this.client.end();
  }

  private async execute(sql: string): Promise<void> {
    const copy = /^COPY (\w+) FROM '([^']+)' IAM_ROLE '[^']+' FORMAT AS PARQUET MANIFEST$/.exec(sql);
    if (!copy) {
      await this.client.query(sql);
      return;
    }
    const [, table, uri] = copy;
    const rows = this.copySources.get(uri!);
    if (!rows) throw new Error(`S3ServiceException: manifest ${uri} does not exist`);
    for (const row of rows) {
      const columns = Object.keys(row);
      await this.client.query(
        `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((_, index) => `$${index + 1}`).join(', ')})`,
        Object.values(row),
      );
    }
  }
}

async function connect(schema: string, options: { create: boolean } = { create: true }): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  if (options.create) await client.query(`CREATE SCHEMA ${schema}`);
  await client.query(`SET search_path TO ${schema}`);
  await client.query('SET client_min_messages TO warning');
  return client;
}
