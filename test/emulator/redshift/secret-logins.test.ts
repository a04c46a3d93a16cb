// The emulated Data API signs a statement in as the user its SecretArn names, as the Data API does: the
// cluster's admin secret keeps the engine's own role, any other user has only its grants (issue 13, item 13).
import { CreateClusterCommand, RedshiftClient } from '@aws-sdk/client-redshift';
import { ExecuteStatementCommand, GetStatementResultCommand } from '@aws-sdk/client-redshift-data';
import { CreateSecretCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setPasswordStatement } from '../../../warehouse/database-logins.js';
import { SESSION_ROLE } from '../../../emulator/postgres/session-role.js';
import { startRedshiftHarness, type RedshiftHarness } from './redshift-harness.js';

let harness: RedshiftHarness;
let secrets: SecretsManagerClient;
let adminSecretArn: string;
let userSecretArn: string;
// Roles belong to the whole Postgres server, which other test runs may share: a name of this run's own.
const user = `loader_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
const password = 'Emulated-Pa55word-for-the-test';
const cluster = `secret-logins-${process.pid}`;

async function run(secretArn: string, sql: string): Promise<{ status?: string; error?: string; rows: string[][] }> {
  const { Id } = await harness.client.send(new ExecuteStatementCommand({ ClusterIdentifier: cluster, Database: harness.database, SecretArn: secretArn, Sql: sql }));
  const described = await harness.settled(Id!);
  const rows = described.Status === 'FINISHED' && described.HasResultSet
    ? ((await harness.client.send(new GetStatementResultCommand({ Id }))).Records ?? []).map((record) => record.map((field) => String(field.stringValue ?? field.longValue)))
    : [];
  return { status: described.Status, error: described.Error, rows };
}

beforeAll(async () => {
  harness = await startRedshiftHarness({ withMoto: true, secretLogins: true });
  const endpoint = await harness.s3.config.endpoint!();
  const controlPlane = { endpoint: `${endpoint.protocol}//${endpoint.hostname}:${endpoint.port}`, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
  const redshift = new RedshiftClient(controlPlane);
  const created = await redshift.send(new CreateClusterCommand({
    ClusterIdentifier: cluster, NodeType: 'ra3.large', MasterUsername: 'sdp_admin', ManageMasterPassword: true, ClusterType: 'single-node',
  }));
  redshift.destroy();
  adminSecretArn = created.Cluster!.MasterPasswordSecretArn!;
  secrets = new SecretsManagerClient(controlPlane);
  userSecretArn = (await secrets.send(new CreateSecretCommand({ Name: `${user}-login`, SecretString: JSON.stringify({ username: user, password }) }))).ARN!;
  for (const sql of [
    `CREATE USER ${user} PASSWORD DISABLE`,
    'CREATE TABLE readings (value INTEGER)',
    'INSERT INTO readings VALUES (7)',
    `GRANT SELECT ON readings TO ${user}`,
    setPasswordStatement({ username: user, password }),
  ]) expect(await run(adminSecretArn, sql), sql).toMatchObject({ status: 'FINISHED' });
}, 120_000);

afterAll(async () => {
  await run(adminSecretArn, `DROP OWNED BY ${user}`).catch(() => undefined);
  await run(adminSecretArn, 'DROP TABLE IF EXISTS readings').catch(() => undefined);
  await run(adminSecretArn, `DROP ROLE IF EXISTS ${user}`).catch(() => undefined);
  secrets?.destroy();
  await harness?.close();
});

describe('the emulated Data API signs in as the user of the secret', () => {
  it("runs the cluster's admin secret as the session role, which owns the database but is no superuser", async () => {
    const admin = await run(adminSecretArn, 'SELECT current_user, (SELECT rolsuper::text FROM pg_roles WHERE rolname = current_user)');
    expect(admin.rows[0]).toEqual([SESSION_ROLE, 'false']);
  });

  it("runs another user's secret as that user, with only its grants", async () => {
    expect((await run(userSecretArn, 'SELECT current_user, value FROM readings')).rows).toEqual([[user, '7']]);
    const denied = await run(userSecretArn, 'INSERT INTO readings VALUES (8)');
    expect(denied).toMatchObject({ status: 'FAILED', error: expect.stringMatching(/permission denied for table readings/) });
    expect((await run(userSecretArn, 'DROP TABLE readings')).status).toBe('FAILED');
  });

  it('fails a statement whose secret holds no login, naming the secret', async () => {
    const empty = (await secrets.send(new CreateSecretCommand({ Name: `${user}-broken`, SecretString: '{"user": "nobody"}' }))).ARN!;
    expect(await run(empty, 'SELECT 1')).toMatchObject({ status: 'FAILED', error: expect.stringContaining(`the secret ${empty} holds no username and password`) });
  });

  it('takes a new password in the secret at the next statement', async () => {
    const rotated = `${password}-2`;
    expect((await run(adminSecretArn, setPasswordStatement({ username: user, password: rotated }))).status).toBe('FINISHED');
    await secrets.send(new PutSecretValueCommand({ SecretId: userSecretArn, SecretString: JSON.stringify({ username: user, password: rotated }) }));
    expect((await run(userSecretArn, 'SELECT current_user')).rows).toEqual([[user]]);
  });
});

