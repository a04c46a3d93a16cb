import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { awsClientConfig, type AwsTarget } from '../../stage/aws-target.js';

/** The shape AWS SDK clients accept as credentials. */
export interface RoleCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

export class RoleAssumptionError extends Error {
  override readonly name = 'RoleAssumptionError';
}

/** Sessions are renewed this long before they expire, so a call never goes out with keys about to lapse. */
const renewBeforeMs = 5 * 60 * 1000;

/**
 * Temporary credentials of execution roles, as the Lambda and Glue services get them: AssumeRole on the
 * emulated STS, one session per role and session name, renewed before it expires.
 */
export class RoleSessions {
  private readonly sts: STSClient;
  private readonly sessions = new Map<string, Promise<RoleCredentials>>();

  constructor(controlPlane: AwsTarget) {
    this.sts = new STSClient(awsClientConfig(controlPlane));
  }

  credentials(options: { roleArn: string; sessionName: string }): Promise<RoleCredentials> {
    const key = `${options.roleArn}|${options.sessionName}`;
    const current = this.sessions.get(key);
    if (current) {
      return current.then((credentials) => (credentials.expiration && credentials.expiration.getTime() - Date.now() < renewBeforeMs
        ? this.assume(key, options) : credentials));
    }
    return this.assume(key, options);
  }

  /** A credential provider for AWS SDK clients that act as the role. */
  provider(options: { roleArn: string; sessionName: string }): () => Promise<RoleCredentials> {
    return () => this.credentials(options);
  }

  /** The environment a process needs to call AWS as the role, as Lambda sets it for a function. */
  async processEnv(options: { roleArn: string; sessionName: string }): Promise<Record<string, string>> {
    const credentials = await this.credentials(options);
    return {
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      AWS_SESSION_TOKEN: credentials.sessionToken ?? '',
    };
  }

  private assume(key: string, options: { roleArn: string; sessionName: string }): Promise<RoleCredentials> {
    const session = this.sts.send(new AssumeRoleCommand({ RoleArn: options.roleArn, RoleSessionName: options.sessionName, DurationSeconds: 3600 }))
      .then(({ Credentials: credentials }) => {
        if (!credentials?.AccessKeyId || !credentials.SecretAccessKey) throw new RoleAssumptionError(`AssumeRole of ${options.roleArn} returned no credentials`);
        return { accessKeyId: credentials.AccessKeyId, secretAccessKey: credentials.SecretAccessKey, sessionToken: credentials.SessionToken, expiration: credentials.Expiration };
      }, (error: Error) => {
        throw new RoleAssumptionError(`could not assume role ${options.roleArn} (session ${options.sessionName}): ${error.message}: does the role exist? re-run \`npm run dev:up\``, { cause: error });
      });
    this.sessions.set(key, session);
    session.catch(() => this.sessions.delete(key));
    return session;
  }
}
