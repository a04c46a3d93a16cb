import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { RequestDenial } from '@cloud-copilot/iam-simulate';
import type { AccessCheck, AwsCall } from './access-check.js';
import type { RoleSessionPrincipal } from './principal-resolver.js';

export interface DecisionRecord {
  time: string;
  decision: 'allow' | 'deny';
  principal: string;
  role: string;
  service: string;
  operation: string;
  action?: string;
  resource?: string;
  reason?: string;
  /** For a denial: the grant that would allow the call, and where it belongs. */
  missingGrant?: { policy: string; statement: { Effect: 'Allow'; Action: string; Resource: string } };
  /** For an explicit deny: the statements that deny it. */
  denyingStatements?: { policy: string; statementId?: string; statementIndex: number }[];
  /** For an allowed call: every permission it was checked for. */
  checked?: { action: string; resource: string }[];
}

/** Where a missing grant goes: the role's policy, or the resource policy that must allow the caller too (KMS key policies). */
function grantPolicy(options: { principal: RoleSessionPrincipal; check: AccessCheck; denials: RequestDenial[] }): string {
  const resourceOnly = options.denials.length > 0 && options.denials.every((denial) => denial.policyType === 'resource');
  if (resourceOnly && options.check.resourcePolicy?.kind === 'kms-key') return `key policy of ${options.check.resourcePolicy.keyArn}`;
  return `an identity policy of role ${options.principal.roleName}`;
}

/**
 * The IAM decisions on role sessions' calls, as JSON lines in the stage's logs folder (iam.log): every denial,
 * and each distinct allowed use of permissions once (a queue poller's thousandth ReceiveMessage adds nothing),
 * so the file reads as the permissions each role actually used.
 */
export class DecisionLog {
  private readonly allowedSeen = new Set<string>();

  constructor(private readonly file: string, private readonly log?: (message: string) => void) {
    mkdirSync(dirname(file), { recursive: true });
  }

  get path(): string {
    return this.file;
  }

  allowed(options: { principal: RoleSessionPrincipal; call: AwsCall }): void {
    const { principal, call } = options;
    const checked = (call.checks ?? []).map(({ action, resource }) => ({ action, resource }));
    const key = JSON.stringify([principal.sessionArn, call.service, call.operation, checked]);
    if (this.allowedSeen.has(key)) return;
    this.allowedSeen.add(key);
    this.write({
      time: new Date().toISOString(), decision: 'allow', principal: principal.sessionArn, role: principal.roleName,
      service: call.service, operation: call.operation, checked,
    });
  }

  denied(options: { principal: RoleSessionPrincipal; call: AwsCall; check?: AccessCheck; reason: string; denials?: RequestDenial[] }): DecisionRecord {
    const { principal, call, check, denials = [] } = options;
    const explicit = denials.filter((denial): denial is Extract<RequestDenial, { denialType: 'Explicit' }> => denial.denialType === 'Explicit');
    const record: DecisionRecord = {
      time: new Date().toISOString(), decision: 'deny', principal: principal.sessionArn, role: principal.roleName,
      service: call.service, operation: call.operation, action: check?.action, resource: check?.resource, reason: options.reason,
      ...(check && explicit.length === 0 ? {
        missingGrant: { policy: grantPolicy({ principal, check, denials }), statement: { Effect: 'Allow' as const, Action: check.action, Resource: check.resource } },
      } : {}),
      ...(explicit.length > 0 ? {
        denyingStatements: explicit.map((denial) => ({ policy: denial.policyType === 'resource' ? 'resource policy' : denial.policyIdentifier ?? denial.policyType, statementId: denial.statementId, statementIndex: denial.statementIndex })),
      } : {}),
    };
    this.write(record);
    const fix = record.missingGrant
      ? `; missing grant in ${record.missingGrant.policy}: ${JSON.stringify(record.missingGrant.statement)}`
      : record.denyingStatements ? `; denied by ${JSON.stringify(record.denyingStatements)}` : '';
    this.log?.(`iam: DENIED ${principal.sessionArn} ${call.service}:${call.operation}${check ? ` (${check.action} on ${check.resource})` : ''}: ${options.reason}${fix}`);
    return record;
  }

  private write(record: DecisionRecord): void {
    appendFileSync(this.file, `${JSON.stringify(record)}\n`);
  }
}
