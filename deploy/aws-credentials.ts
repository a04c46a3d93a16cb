import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { defaultProvider } from '@aws-sdk/credential-provider-node';

export class AwsCredentialsError extends Error {
  override readonly name = 'AwsCredentialsError';
}

export interface AwsIdentity {
  account: string;
  arn: string;
}

export interface AwsIdentityOptions {
  region: string;
  /** An AWS-compatible endpoint instead of AWS (deploy rehearsals against the emulator). */
  endpoint?: string;
  /** The call gives up after this long. */
  timeoutMs?: number;
}

const howToProvide =
  'set AWS_PROFILE (after `aws configure` or `aws sso login`) or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, then retry';

function withDeadline<T>(promise: Promise<T>, options: { timeoutMs: number; what: string; advice: string }): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AwsCredentialsError(`${options.what} took longer than ${options.timeoutMs / 1000} s: ${options.advice}`)), options.timeoutMs);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/**
 * The credentials of the SDK's default chain (environment, SSO, web identity, shared files,
 * credential_process, container and instance metadata). The instance metadata service stays in the
 * chain, so a deploy from an EC2 or CodeBuild runner uses its role; it gets one short attempt, so
 * an offline laptop learns in about a second that there are no credentials.
 */
export async function findAwsCredentials(options: {
  /** The whole lookup gives up after this long: no source of the chain may hang the command. */
  timeoutMs?: number;
} = {}) {
  const provider = defaultProvider({ timeout: 1000, maxRetries: 0 });
  try {
    return await withDeadline(provider(), { timeoutMs: options.timeoutMs ?? 5000, what: 'looking up AWS credentials', advice: howToProvide });
  } catch (error) {
    if (error instanceof AwsCredentialsError) throw error;
    throw new AwsCredentialsError(`no AWS credentials found (${(error as Error).message.split('\n')[0]}): ${howToProvide}`, { cause: error });
  }
}

export type AwsCredentials = Awaited<ReturnType<typeof findAwsCredentials>>;

/** Who the credentials belong to, asked of STS (only once credentials were found). */
export async function callerIdentity(options: AwsIdentityOptions & { credentials: AwsCredentials }): Promise<AwsIdentity> {
  const sts = new STSClient({ region: options.region, endpoint: options.endpoint, credentials: options.credentials, maxAttempts: 2 });
  try {
    const identity = await withDeadline(sts.send(new GetCallerIdentityCommand({})), {
      timeoutMs: options.timeoutMs ?? 10_000,
      what: `asking AWS STS ${options.endpoint ?? `in ${options.region}`} who the credentials belong to`,
      advice: 'check the network connection and retry',
    });
    if (!identity.Account || !identity.Arn) throw new AwsCredentialsError('AWS STS returned no account for the credentials');
    return { account: identity.Account, arn: identity.Arn };
  } catch (error) {
    if (error instanceof AwsCredentialsError) throw error;
    const reason = `${(error as Error).name}: ${(error as Error).message.split('\n')[0]}`;
    // An answer carries an HTTP status; a network failure has none.
    if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode) {
      throw new AwsCredentialsError(`AWS STS refused the credentials found (${reason}): renew them or ${howToProvide}`);
    }
    throw new AwsCredentialsError(`could not reach AWS STS ${options.endpoint ?? `in ${options.region}`} to check the credentials (${reason}): check the network connection and retry`);
  } finally {
    sts.destroy();
  }
}
