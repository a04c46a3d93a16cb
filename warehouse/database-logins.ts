import { createHash } from 'node:crypto';
import {
  GetRandomPasswordCommand, GetSecretValueCommand, PutSecretValueCommand, ResourceNotFoundException, type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import type { RedshiftData } from './redshift-data.js';
import { sqlString } from './sql-literal.js';

/** The loader Lambda's database user, created by sql/ddl/003_loader_user.sql with only the grants it needs. */
export const LOADER_USER = 'sales_loader';

/** A database user's credentials as a Data API secret holds them. */
export interface DatabaseLogin {
  username: string;
  password: string;
}

export class InvalidLoginSecretError extends Error {
  override readonly name = 'InvalidLoginSecretError';
}

/**
 * Characters a Redshift password may not contain (quotes, backslash, slash, at sign, space); it also needs an
 * upper-case letter, a lower-case letter and a digit, which RequireEachIncludedType guarantees.
 */
const EXCLUDED_PASSWORD_CHARACTERS = `'"\\/@ `;

export function parseLoginSecret(text: string, secretArn: string): DatabaseLogin {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new InvalidLoginSecretError(`secret ${secretArn} is not JSON: the Data API needs {"username": ..., "password": ...}; put such a value in it`);
  }
  const { username, password } = (value ?? {}) as Record<string, unknown>;
  if (typeof username !== 'string' || !/^[a-z_][a-z0-9_]{0,126}$/.test(username) || typeof password !== 'string' || password.length < 8) {
    throw new InvalidLoginSecretError(
      `secret ${secretArn} must hold {"username": a lower-case database user name, "password": at least 8 characters}: fix its value, or delete the value so db:migrate generates one`,
    );
  }
  return { username, password };
}

/**
 * The statement that sets a user's password, in the MD5 form Redshift and Postgres both accept ('md5' and the
 * MD5 of password and user name): the clear password is in no query text, log or statement history.
 */
export function setPasswordStatement(login: DatabaseLogin): string {
  const hash = createHash('md5').update(login.password + login.username).digest('hex');
  return `ALTER USER ${login.username} PASSWORD ${sqlString(`md5${hash}`)}`;
}

/**
 * The login a user's secret holds. A secret without a value (Terraform creates it empty) gets one first: the
 * user's name and a password from Secrets Manager's generator.
 */
export async function ensureLoginSecret(secrets: SecretsManagerClient, options: { secretArn: string; username: string }): Promise<DatabaseLogin> {
  const { secretArn, username } = options;
  const read = async () => {
    const { SecretString } = await secrets.send(new GetSecretValueCommand({ SecretId: secretArn }));
    return parseLoginSecret(SecretString ?? '', secretArn);
  };
  let login: DatabaseLogin;
  try {
    login = await read();
  } catch (error) {
    if (!(error instanceof ResourceNotFoundException || (error as Error).name === 'ResourceNotFoundException')) throw error;
    const { RandomPassword } = await secrets.send(new GetRandomPasswordCommand({
      PasswordLength: 40, ExcludeCharacters: EXCLUDED_PASSWORD_CHARACTERS, RequireEachIncludedType: true,
    }));
    await secrets.send(new PutSecretValueCommand({ SecretId: secretArn, SecretString: JSON.stringify({ username, password: RandomPassword }) }));
    // Read back what is current: a concurrent db:migrate may have put its own value last.
    login = await read();
  }
  if (login.username !== username) {
    throw new InvalidLoginSecretError(`secret ${secretArn} holds the user ${login.username}, not ${username}: put ${username}'s credentials in it`);
  }
  return login;
}

/** Sets each user's password in the warehouse from its login, in one transaction. */
export async function setUserPasswords(warehouse: Pick<RedshiftData, 'transaction'>, logins: DatabaseLogin[]): Promise<void> {
  if (logins.length > 0) await warehouse.transaction('set-user-passwords', logins.map(setPasswordStatement));
}
