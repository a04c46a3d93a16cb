import type { ResourceDirectory } from '../../../emulator/iam/access-check.js';

export const keyArn = 'arn:aws:kms:us-east-1:123456789012:key/11111111-2222-3333-4444-555555555555';

/** A control plane with one SSE-KMS bucket (bucket key on), one encrypted queue and one encrypted secret. */
export function fakeDirectory(options: { existing?: string[]; owners?: Record<string, string> } = {}): ResourceDirectory {
  return {
    objectHead: async ({ bucket, key }) => (options.existing ?? []).includes(`${bucket}/${key}`) ? { exists: true, kmsKeyArn: keyArn } : { exists: false },
    bucketKmsKey: async () => ({ keyArn, bucketKey: true }),
    keyArn: async (id) => (id === keyArn || id === 'alias/data' || keyArn.endsWith(id) ? keyArn : undefined),
    queueKmsKey: async () => 'alias/data',
    secret: async (id) => ({ arn: id.startsWith('arn:') ? id : `arn:aws:secretsmanager:us-east-1:123456789012:secret:${id}-AbCdEf`, kmsKeyArn: keyArn }),
    statementOwner: (id) => options.owners?.[id],
  };
}
