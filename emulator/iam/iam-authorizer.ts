import type { IncomingMessage, ServerResponse } from 'node:http';
import { emulatedAccountId, type AwsTarget } from '../../stage/aws-target.js';
import type { AccessCheck, AwsCall, HttpRequestView, ResourceDirectory } from './access-check.js';
import { evaluateAccess, type AccessDecision } from './access-evaluator.js';
import { DecisionLog } from './decision-log.js';
import { denialResponse, sendDenial } from './denial-response.js';
import { PolicyStore } from './policy-store.js';
import { PrincipalResolver, type RoleSessionPrincipal } from './principal-resolver.js';
import { requestCredential } from './request-credential.js';
import { peekBody } from './request-body.js';
import { describeS3Call, s3NeedsBody } from './s3-access.js';
import { describeServiceCall, serviceNeedsBody } from './service-access.js';

export interface IamAuthorizerOptions {
  /** The control plane (moto): the emulated STS that knows the session keys, and where policies are read. */
  controlPlane: AwsTarget;
  /** The JSON-lines file of every decision on a role session's call (the stage's logs/iam.log). */
  decisionLogFile: string;
  log?: (message: string) => void;
  /** How long policies read from the control plane are reused when no call through the gateway changed them. */
  policyTtlMs?: number;
}

/** What the account owner's calls need from the directory: nothing, they are never checked. */
const noLookups: ResourceDirectory = {
  objectHead: async () => ({ exists: true }),
  bucketKmsKey: async () => undefined,
  keyArn: async () => undefined,
  queueKmsKey: async () => undefined,
  secret: async () => undefined,
  statementOwner: () => undefined,
};

/**
 * IAM for the emulator's gateway: every call signed with a role session's keys (what Lambda functions and Glue
 * runs get from AssumeRole) is checked against the role's policies and the resource's policy before it is
 * served; other callers are the account owner and always allowed. A denial is answered as the service would
 * answer it and logged with the grant that is missing.
 */
export class IamAuthorizer {
  private readonly store: PolicyStore;
  private readonly principals: PrincipalResolver;
  private readonly decisions: DecisionLog;

  constructor(private readonly options: IamAuthorizerOptions) {
    this.store = new PolicyStore(options.controlPlane, options.policyTtlMs);
    this.principals = new PrincipalResolver(options.controlPlane);
    this.decisions = new DecisionLog(options.decisionLogFile, options.log);
  }

  get logFile(): string {
    return this.decisions.path;
  }

  /** Checks one request before it is served. Returns true when it answered the request itself (denied it). */
  async authorize(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const credential = requestCredential(req);
    // Unsigned requests are the emulator's own (health checks, moto's dashboard), never an AWS SDK's.
    if (!credential) return false;
    const principal = await this.principals.resolve(credential.accessKeyId);
    const view: HttpRequestView = {
      method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, credential,
      // moto holds one account: the account owner's calls are in it too.
      account: principal.kind === 'role-session' ? principal.account : emulatedAccountId,
    };
    const isS3 = credential.signingService === 's3';
    if (isS3 ? s3NeedsBody(view) : serviceNeedsBody(view)) view.body = await peekBody(req);
    const directory = principal.kind === 'role-session' ? this.store : noLookups;
    const call = isS3 ? await describeS3Call(view, directory) : await describeServiceCall(view, directory);
    if (call.changesPolicies) {
      this.store.invalidate();
      res.once('finish', () => this.store.invalidate());
    }
    if (call.service === 'redshift-data' && (call.operation === 'ExecuteStatement' || call.operation === 'BatchExecuteStatement')) {
      this.recordStatementOwner(res, principal.userId);
    }
    if (principal.kind === 'unknown-session') {
      const message = `The security token included in the request is invalid: the emulated STS does not know the temporary key ${principal.accessKeyId} `
        + '(it was restarted since it issued the key); restart the emulator with `npm run dev:up`';
      this.options.log?.(`iam: REFUSED ${call.service}:${call.operation}: ${message}`);
      sendDenial(res, denialResponse({ call, message, kind: 'unknown-keys' }), view.method);
      return true;
    }
    if (principal.kind !== 'role-session') return false;
    const denial = await this.firstDenial(principal, call, credential.region);
    if (!denial) {
      this.decisions.allowed({ principal, call });
      return false;
    }
    const contentType = typeof req.headers['content-type'] === 'string' ? req.headers['content-type'] : undefined;
    sendDenial(res, denialResponse({ call, message: denial.message, contentType }), view.method);
    return true;
  }

  private async firstDenial(principal: RoleSessionPrincipal, call: AwsCall, region: string): Promise<{ message: string } | undefined> {
    if (!call.checks) {
      const reason = `the emulator does not know which permissions ${call.service}:${call.operation} needs, so it refuses it rather than guess: `
        + 'add the operation to emulator/iam/ (or set EMULATOR_IAM=off to run without IAM enforcement)';
      this.decisions.denied({ principal, call, reason });
      return { message: `User: ${principal.sessionArn} is not authorized to perform: ${call.service}:${call.operation}: ${reason}` };
    }
    for (const check of call.checks) {
      const decision = await this.decide({ principal, check, region });
      if (decision.allowed) continue;
      this.decisions.denied({ principal, call, check, reason: decision.reason!, denials: decision.denials });
      return { message: accessDeniedMessage({ principal, check, reason: decision.reason!, quoteResource: call.service === 's3' }) };
    }
    if (call.missingObject) {
      // S3 tells a missing key from a forbidden one only to callers who may list the bucket.
      const list: AccessCheck = { action: 's3:ListBucket', resource: `arn:aws:s3:::${call.missingObject.bucket}`, context: {}, resourcePolicy: { kind: 's3-bucket', bucket: call.missingObject.bucket } };
      const decision = await this.decide({ principal, check: list, region });
      if (!decision.allowed) {
        const reason = 'the object does not exist, and S3 answers 403 instead of 404 to a caller that may not list the bucket (s3:ListBucket)';
        this.decisions.denied({ principal, call, check: list, reason, denials: decision.denials });
        return { message: 'Access Denied' };
      }
    }
    return undefined;
  }

  /** Evaluates a check outside any HTTP request, e.g. what the Lambda service does with a function's role. */
  async decide(options: { principal: RoleSessionPrincipal; check: AccessCheck; region: string }): Promise<AccessDecision> {
    const { principal, check } = options;
    const [identityPolicies, resourcePolicy] = await Promise.all([
      this.store.identityPolicies(principal.roleName),
      check.resourcePolicy ? this.store.resourcePolicy(check.resourcePolicy) : Promise.resolve(undefined),
    ]);
    return evaluateAccess({ principal, check, identityPolicies, resourcePolicy, region: options.region, resourceAccount: principal.account });
  }

  /** Reads the statement id from the answer of ExecuteStatement, so DescribeStatement can be checked against its owner. */
  private recordStatementOwner(res: ServerResponse, userId: string): void {
    const chunks: Buffer[] = [];
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
    const keep = (chunk: unknown) => {
      if (typeof chunk === 'string' || chunk instanceof Uint8Array) chunks.push(Buffer.from(chunk as string));
    };
    res.write = ((chunk: unknown, ...rest: unknown[]) => {
      keep(chunk);
      return write(chunk, ...rest);
    }) as ServerResponse['write'];
    res.end = ((chunk?: unknown, ...rest: unknown[]) => {
      if (typeof chunk !== 'function') keep(chunk);
      try {
        const id = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { Id?: unknown }).Id;
        if (typeof id === 'string') this.store.recordStatementOwner(id, userId);
      } catch {
        // not a statement's answer (an error): nothing to remember
      }
      return end(chunk, ...rest);
    }) as ServerResponse['end'];
  }
}

/** AWS's wording: `User: <session ARN> is not authorized to perform: <action> on resource: <ARN> <reason>`. */
export function accessDeniedMessage(options: { principal: RoleSessionPrincipal; check: AccessCheck; reason: string; quoteResource?: boolean }): string {
  const resource = options.quoteResource ? `"${options.check.resource}"` : options.check.resource;
  return `User: ${options.principal.sessionArn} is not authorized to perform: ${options.check.action} on resource: ${resource} ${options.reason}`;
}
