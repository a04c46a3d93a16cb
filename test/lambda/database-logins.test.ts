import {
  GetRandomPasswordCommand, GetSecretValueCommand, PutSecretValueCommand, ResourceNotFoundException, SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { ensureLoginSecret, InvalidLoginSecretError, parseLoginSecret, setPasswordStatement } from '../../warehouse/database-logins.js';

const secretArn = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:sdp-dev-redshift-loader-AbCdEf';
const secrets = mockClient(SecretsManagerClient);

beforeEach(() => secrets.reset());

describe('database logins', () => {
  it('sets a password in the MD5 form Redshift and Postgres accept, so the clear password is in no query text', () => {
    expect(setPasswordStatement({ username: 'sales_loader', password: 'Pa55-word!' }))
      .toBe("ALTER USER sales_loader PASSWORD 'md5f9eb34536085b0037a67a2599f5b880f'");
  });

  it('reads a secret that holds a lower-case user name and a password, and refuses anything else by its ARN', () => {
    expect(parseLoginSecret('{"username":"sales_loader","password":"Pa55-word!"}', secretArn)).toEqual({ username: 'sales_loader', password: 'Pa55-word!' });
    for (const text of ['not json', '{"username":"sales_loader"}', '{"username":"Sales Loader","password":"Pa55-word!"}', '{"username":"u","password":"short"}']) {
      expect(() => parseLoginSecret(text, secretArn), text).toThrow(InvalidLoginSecretError);
    }
    expect(() => parseLoginSecret('nope', secretArn)).toThrow(secretArn);
  });

  it('fills an empty secret with the user and a generated Redshift-valid password, then uses what the secret holds', async () => {
    const stored = JSON.stringify({ username: 'sales_loader', password: 'Generated-Pa55word' });
    secrets.on(GetSecretValueCommand)
      .rejectsOnce(new ResourceNotFoundException({ message: "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT", $metadata: {} }))
      .resolves({ SecretString: stored });
    secrets.on(GetRandomPasswordCommand).resolves({ RandomPassword: 'Generated-Pa55word' });
    secrets.on(PutSecretValueCommand).resolves({});

    await expect(ensureLoginSecret(new SecretsManagerClient({}), { secretArn, username: 'sales_loader' })).resolves.toEqual({ username: 'sales_loader', password: 'Generated-Pa55word' });
    expect(secrets.commandCalls(GetRandomPasswordCommand)[0]!.args[0].input).toEqual({ PasswordLength: 40, ExcludeCharacters: `'"\\/@ `, RequireEachIncludedType: true });
    expect(secrets.commandCalls(PutSecretValueCommand)[0]!.args[0].input).toEqual({ SecretId: secretArn, SecretString: stored });
  });

  it('keeps the value of a secret that has one', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: '{"username":"sales_loader","password":"Existing-Pa55word"}' });
    await expect(ensureLoginSecret(new SecretsManagerClient({}), { secretArn, username: 'sales_loader' })).resolves.toMatchObject({ password: 'Existing-Pa55word' });
    expect(secrets.commandCalls(PutSecretValueCommand)).toHaveLength(0);
  });

  it("refuses a secret that holds another user's login", async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: '{"username":"sdp_admin","password":"Admin-Pa55word"}' });
    await expect(ensureLoginSecret(new SecretsManagerClient({}), { secretArn, username: 'sales_loader' }))
      .rejects.toThrow(`secret ${secretArn} holds the user sdp_admin, not sales_loader`);
  });
});
