import type { Job } from '@aws-sdk/client-glue';
import { S3Client } from '@aws-sdk/client-s3';
import { awsClientConfig, awsProcessEnv, emulatedAccountId, type AwsTarget } from '../../stage/aws-target.js';
import type { RoleSessions } from '../iam/role-sessions.js';

/** How a run reaches AWS: the client its S3 mount uses and the environment its script sees. */
export interface RunAccess {
  s3: S3Client;
  env: Record<string, string>;
}

/**
 * A run's access to AWS, the one place it is built, for a cold run's process and for a pre-warmed one
 * alike (which gets the environment with its assignment, in the Python driver's os.environ, before the
 * script is imported; the JVM keeps the pool's environment, which reaches no AWS endpoint). With role
 * sessions, both carry the job role's temporary keys, as Glue gives a run (its session is named
 * GlueJobRunnerSession), and go through the gateway, which enforces IAM; without, the dummy keys.
 */
export async function runAccess(options: { job: Job; jobEndpoint: AwsTarget; roleSessions?: RoleSessions }): Promise<RunAccess> {
  const { job, jobEndpoint, roleSessions } = options;
  if (!roleSessions) return { s3: new S3Client(awsClientConfig(jobEndpoint)), env: awsProcessEnv(jobEndpoint) };
  const roleArn = job.Role?.startsWith('arn:') ? job.Role : `arn:aws:iam::${emulatedAccountId}:role/${job.Role ?? ''}`;
  const session = { roleArn, sessionName: 'GlueJobRunnerSession' };
  return {
    s3: new S3Client({ ...awsClientConfig(jobEndpoint), credentials: roleSessions.provider(session) }),
    env: { ...awsProcessEnv(jobEndpoint), ...await roleSessions.processEnv(session) },
  };
}

/** The environment of a pre-warmed process until a run is assigned: AWS calls of its dry run reach nothing. */
export function unassignedEnvironment(): Record<string, string> {
  return {
    // Port 9 (discard) on loopback: nothing listens, so a call fails at once instead of reaching any AWS.
    ...awsProcessEnv({ endpoint: 'http://127.0.0.1:9', region: 'us-east-1' }),
    AWS_ACCESS_KEY_ID: 'no-run-assigned', AWS_SECRET_ACCESS_KEY: 'no-run-assigned',
    AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_PROFILE: '',
  };
}
