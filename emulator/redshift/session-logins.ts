import { DescribeClustersCommand, RedshiftClient } from '@aws-sdk/client-redshift';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { LoginResolver } from './statement-executor.js';

export class SecretLoginError extends Error {
  override readonly name = 'SecretLoginError';
}

/**
 * Maps a statement's SecretArn to a database user as the Data API does: it reads the secret (from the control
 * plane's Secrets Manager) and signs in as the user it names. The cluster's master user is the engine's own
 * role, so the admin secret Redshift manages keeps every privilege; any other user has only its grants.
 * A target with DbUser (temporary credentials) runs as the engine's role, as before.
 */
export function secretLogins(controlPlane: { endpoint: string; region: string; credentials: { accessKeyId: string; secretAccessKey: string } }): { resolve: LoginResolver; destroy(): void } {
  const secrets = new SecretsManagerClient(controlPlane);
  const redshift = new RedshiftClient(controlPlane);
  const masterUsers = new Map<string, Promise<string | undefined>>();

  const masterUser = (clusterIdentifier: string) => {
    let user = masterUsers.get(clusterIdentifier);
    if (!user) {
      user = redshift.send(new DescribeClustersCommand({ ClusterIdentifier: clusterIdentifier })).then(({ Clusters }) => Clusters?.[0]?.MasterUsername);
      masterUsers.set(clusterIdentifier, user);
      user.catch(() => masterUsers.delete(clusterIdentifier));
    }
    return user;
  };

  const resolve: LoginResolver = async (target) => {
    if (!target.secretArn) return undefined;
    let text: string | undefined;
    try {
      text = (await secrets.send(new GetSecretValueCommand({ SecretId: target.secretArn }))).SecretString;
    } catch (error) {
      throw new SecretLoginError(`the Data API could not read the secret ${target.secretArn}: ${(error as Error).message}`, { cause: error });
    }
    let value: { username?: unknown; password?: unknown } | undefined;
    try {
      value = JSON.parse(text ?? '') as typeof value;
    } catch {
      value = undefined;
    }
    const { username, password } = value ?? {};
    if (typeof username !== 'string' || typeof password !== 'string') {
      throw new SecretLoginError(`the secret ${target.secretArn} holds no username and password, which the Data API needs`);
    }
    if (target.clusterIdentifier && username === await masterUser(target.clusterIdentifier)) return undefined;
    return { user: username, password };
  };

  return {
    resolve,
    destroy() {
      secrets.destroy();
      redshift.destroy();
    },
  };
}
