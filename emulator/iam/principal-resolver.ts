import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsTarget } from '../../stage/aws-target.js';

/** A role session: the only kind of caller whose calls the emulator authorizes. */
export interface RoleSessionPrincipal {
  kind: 'role-session';
  /** arn:aws:sts::<account>:assumed-role/<role>/<session>: how AWS names the caller in AccessDenied messages. */
  sessionArn: string;
  roleArn: string;
  roleName: string;
  account: string;
  /** aws:userid of the session: <role id>:<session name>. */
  userId: string;
}

/** Anyone else: the account owner (the dummy credentials of the user's CLI and SDKs, Terraform, the emulator itself). */
export interface AccountOwnerPrincipal {
  kind: 'account-owner';
  userId: string;
}

/** Temporary keys the emulated STS does not know (it was restarted since it issued them): AWS refuses such keys. */
export interface UnknownSessionPrincipal {
  kind: 'unknown-session';
  accessKeyId: string;
  userId: string;
}

export type Principal = RoleSessionPrincipal | AccountOwnerPrincipal | UnknownSessionPrincipal;

/** Tells who signed a request from its access key, by asking the emulated STS (moto knows the keys AssumeRole handed out). */
export class PrincipalResolver {
  private readonly known = new Map<string, Promise<Principal>>();

  constructor(private readonly controlPlane: AwsTarget) {}

  resolve(accessKeyId: string): Promise<Principal> {
    let principal = this.known.get(accessKeyId);
    if (!principal) {
      principal = this.lookup(accessKeyId);
      this.known.set(accessKeyId, principal);
      principal.catch(() => this.known.delete(accessKeyId));
    }
    return principal;
  }

  private async lookup(accessKeyId: string): Promise<Principal> {
    // moto identifies the caller by the access key alone; the secret is not needed to ask who it is.
    const sts = new STSClient({
      endpoint: this.controlPlane.endpoint, region: this.controlPlane.region,
      credentials: { accessKeyId, secretAccessKey: 'unused-by-the-emulated-sts' },
    });
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    const match = /^arn:aws:sts::(\d{12}):assumed-role\/([^/]+)\/(.+)$/.exec(identity.Arn ?? '');
    if (!match) {
      // Temporary keys (ASIA…) come from STS; moto answers unknown keys as its default user, which must not pass for the owner.
      if (accessKeyId.startsWith('ASIA')) return { kind: 'unknown-session', accessKeyId, userId: accessKeyId };
      return { kind: 'account-owner', userId: identity.UserId ?? accessKeyId };
    }
    const [, account, roleName] = match;
    return {
      kind: 'role-session', sessionArn: identity.Arn!, roleArn: `arn:aws:iam::${account}:role/${roleName}`, roleName: roleName!,
      account: account!, userId: identity.UserId!,
    };
  }
}
