/** The one place that says how emulator components reach the emulated AWS: any endpoint, dummy credentials. */
export interface AwsTarget {
  endpoint: string;
  region: string;
}

export const emulatedAccountId = '123456789012';

export function awsClientConfig(target: AwsTarget) {
  return {
    endpoint: target.endpoint,
    region: target.region,
    forcePathStyle: true,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  };
}

/** Environment that points AWS SDKs and the AWS CLI in a child process at the emulated AWS. */
export function awsProcessEnv(target: AwsTarget): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: target.endpoint,
    AWS_REGION: target.region,
    AWS_DEFAULT_REGION: target.region,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
  };
}
