import { getDenialReasons, runSimulation, type RequestDenial } from '@cloud-copilot/iam-simulate';
import type { AccessCheck } from './access-check.js';
import type { NamedPolicy } from './policy-store.js';
import type { RoleSessionPrincipal } from './principal-resolver.js';

export interface AccessDecision {
  allowed: boolean;
  /** Why AWS refuses, in AWS's own words (the end of an AccessDenied message). */
  reason?: string;
  /** The statements that deny it, or the policy that would have to allow it. */
  denials?: RequestDenial[];
}

export class PolicyEvaluationError extends Error {
  override readonly name = 'PolicyEvaluationError';
}

/**
 * The global condition keys AWS adds to every request of a role session. aws:SecureTransport is "true": the
 * emulator's loopback HTTP stands in for AWS's HTTPS endpoints, which every SDK uses.
 */
export function globalContext(options: { principal: RoleSessionPrincipal; region: string; viaService?: string; now?: Date }): Record<string, string | string[]> {
  const { principal } = options;
  const now = options.now ?? new Date();
  return {
    'aws:PrincipalArn': principal.roleArn,
    'aws:PrincipalAccount': principal.account,
    'aws:PrincipalType': 'AssumedRole',
    'aws:userid': principal.userId,
    'aws:PrincipalIsAWSService': 'false',
    'aws:SecureTransport': 'true',
    'aws:RequestedRegion': options.region,
    'aws:CurrentTime': now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'aws:EpochTime': String(Math.floor(now.getTime() / 1000)),
    'aws:ViaAWSService': options.viaService ? 'true' : 'false',
    ...(options.viaService ? { 'aws:CalledVia': [options.viaService], 'aws:CalledViaFirst': options.viaService, 'aws:CalledViaLast': options.viaService } : {}),
  };
}

function reasonOf(action: string, denials: RequestDenial[]): string {
  const explicit = denials.find((denial) => denial.denialType === 'Explicit');
  if (explicit) return `with an explicit deny in ${explicit.policyType === 'resource' ? 'a resource-based policy' : 'an identity-based policy'}`;
  if (denials.some((denial) => denial.policyType === 'resource') && !denials.some((denial) => denial.policyType === 'identity')) {
    return `because no resource-based policy allows the ${action} action`;
  }
  return `because no identity-based policy allows the ${action} action`;
}

/** Evaluates one check with @cloud-copilot/iam-simulate: the role's identity policies and the resource's policy, conditions included. */
export async function evaluateAccess(options: {
  principal: RoleSessionPrincipal;
  check: AccessCheck;
  identityPolicies: NamedPolicy[];
  resourcePolicy?: unknown;
  region: string;
  /** The account that owns the resource; S3 bucket ARNs carry none. */
  resourceAccount: string;
}): Promise<AccessDecision> {
  const { principal, check } = options;
  const result = await runSimulation({
    request: {
      principal: principal.sessionArn,
      action: check.action,
      resource: { resource: check.resource, accountId: options.resourceAccount },
      contextVariables: { ...globalContext({ principal, region: options.region, viaService: check.viaService }), ...check.context },
    },
    identityPolicies: options.identityPolicies.filter((policy) => policy.policy !== undefined),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: options.resourcePolicy,
  }, { simulationMode: 'Strict' });
  if (result.resultType === 'error') {
    throw new PolicyEvaluationError(`could not evaluate ${check.action} on ${check.resource} for ${principal.sessionArn}: ${result.errors.message} ${JSON.stringify(result.errors)}`);
  }
  const analysis = result.resultType === 'single' ? result.result.analysis : result.results[0]?.analysis;
  if (result.overallResult === 'Allowed') return { allowed: true };
  const denials = analysis ? getDenialReasons(analysis) : [];
  return { allowed: false, reason: reasonOf(check.action, denials), denials };
}
