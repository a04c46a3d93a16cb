import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { awsClientConfig, awsProcessEnv, type AwsTarget } from '../../stage/aws-target.js';
import type { RoleSessions } from '../iam/role-sessions.js';
import type { LambdaCodeStore } from './lambda-code-store.js';

/** Lambda's quota for a synchronous invoke's request ("6 MB", where the Lambda docs' MB is 1,024 KB). */
export const invocationPayloadLimitBytes = 6 * 1024 * 1024;
/** The response quota as Lambda enforces it: its error message names 6,291,556 bytes, 100 more than the request's. */
export const responsePayloadLimitBytes = 6_291_556;

const bootstrap = join(dirname(fileURLToPath(import.meta.url)), 'handler-bootstrap.mjs');

export interface InvocationError {
  errorType: string;
  errorMessage: string;
  trace?: string[];
}

export type InvocationResult =
  | { ok: true; requestId: string; payload: unknown }
  | { ok: false; requestId: string; error: InvocationError };

export interface FunctionInvokerOptions {
  /** Where the functions' configuration is read (the control plane). */
  controlPlane: AwsTarget;
  /** The endpoint the handlers' own AWS SDK calls go to (the gateway). */
  handlerEndpoint: AwsTarget;
  codeStore: LambdaCodeStore;
  logDir: string;
  /** Gives each function its execution role's temporary keys, as Lambda does; without it, handlers get the dummy keys. */
  roleSessions?: RoleSessions;
}

/** Runs Lambda handlers as Lambda would: configured environment, timeout, one JSON log file per function. */
export class FunctionInvoker {
  private readonly lambda: LambdaClient;

  constructor(private readonly options: FunctionInvokerOptions) {
    this.lambda = new LambdaClient(awsClientConfig(options.controlPlane));
    mkdirSync(options.logDir, { recursive: true });
  }

  logFile(functionName: string): string {
    return join(this.options.logDir, `${functionName}.log`);
  }

  async invoke(functionName: string, event: unknown): Promise<InvocationResult> {
    const config = await this.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: functionName }));
    const name = config.FunctionName ?? functionName;
    const requestId = randomUUID();
    const logFile = this.logFile(name);
    const log = (record: Record<string, unknown>) =>
      appendFileSync(logFile, `${JSON.stringify({ time: new Date().toISOString(), requestId, ...record })}\n`);
    let taskRoot: string;
    try {
      taskRoot = this.options.codeStore.unpacked({ functionName: name, codeSha256: config.CodeSha256 ?? '' });
    } catch (error) {
      const failure = { errorType: 'Runtime.CodeNotFound', errorMessage: (error as Error).message };
      log({ type: 'platform.initError', ...failure });
      return { ok: false, requestId, error: failure };
    }
    let roleEnv: Record<string, string> = {};
    try {
      roleEnv = (await this.options.roleSessions?.processEnv({ roleArn: config.Role ?? '', sessionName: name })) ?? {};
    } catch (error) {
      const failure = { errorType: 'Runtime.RoleAssumptionError', errorMessage: (error as Error).message };
      log({ type: 'platform.initError', ...failure });
      return { ok: false, requestId, error: failure };
    }
    const timeoutMs = (config.Timeout ?? 3) * 1000;
    const started = Date.now();
    log({ type: 'platform.start', function: name });
    const result = await this.runChild({
      name, taskRoot, handler: config.Handler ?? 'index.handler', event, requestId, timeoutMs, logFile,
      memoryMb: config.MemorySize ?? 128, functionArn: config.FunctionArn ?? name,
      environment: config.Environment?.Variables ?? {}, roleEnv,
    });
    log({ type: 'platform.report', function: name, durationMs: Date.now() - started, status: result.ok ? 'success' : 'error', ...(result.ok ? {} : { error: result.error }) });
    return result;
  }

  private runChild(run: {
    name: string; taskRoot: string; handler: string; event: unknown; requestId: string; timeoutMs: number;
    logFile: string; memoryMb: number; functionArn: string; environment: Record<string, string>; roleEnv: Record<string, string>;
  }): Promise<InvocationResult> {
    const env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      // The functions run on Node.js 22 on AWS; the SDK's warning about this machine's older Node would
      // land in every function log as if the function had a problem.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      ...run.environment,
      ...awsProcessEnv(this.options.handlerEndpoint),
      ...run.roleEnv,
      AWS_LAMBDA_FUNCTION_NAME: run.name,
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(run.memoryMb),
      AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${run.name}`,
      AWS_LAMBDA_LOG_STREAM_NAME: run.requestId,
      LAMBDA_TASK_ROOT: run.taskRoot,
      _HANDLER: run.handler,
    };
    const context = { functionName: run.name, functionArn: run.functionArn, memoryMb: run.memoryMb, requestId: run.requestId, timeoutMs: run.timeoutMs };
    const child = fork(bootstrap, [], { cwd: run.taskRoot, env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'], execArgv: [] });
    const appendOutput = (chunk: Buffer) => appendFileSync(run.logFile, chunk);
    child.stdout?.on('data', appendOutput);
    child.stderr?.on('data', appendOutput);
    return new Promise((resolve) => {
      let settled = false;
      const settle = (result: InvocationResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(result);
      };
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        settle({ ok: false, requestId: run.requestId, error: { errorType: 'Sandbox.Timedout', errorMessage: `Task timed out after ${(run.timeoutMs / 1000).toFixed(2)} seconds` } });
      }, run.timeoutMs);
      child.on('message', (message: { ok: boolean; result?: string; error?: InvocationError }) => {
        settle(message.ok
          ? resultOf(run.requestId, message.result ?? 'null')
          : { ok: false, requestId: run.requestId, error: message.error ?? { errorType: 'Error', errorMessage: 'unknown error' } });
      });
      child.on('exit', (code, signal) => {
        settle({ ok: false, requestId: run.requestId, error: { errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${run.requestId} Error: Runtime exited with ${signal ? `signal ${signal}` : `exit code ${code}`}` } });
      });
      // An IPC failure (the process died before reading its event) must fail this invocation, not the emulator.
      child.on('error', (error) => {
        child.kill('SIGKILL');
        settle({ ok: false, requestId: run.requestId, error: { errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${run.requestId} Error: the handler process failed: ${error.message}` } });
      });
      // The event goes over IPC: in the command line, past 128 KiB, fork fails with E2BIG.
      child.send({ taskRoot: run.taskRoot, handler: run.handler, event: run.event, context });
    });
  }
}

/** The handler's JSON result, or Lambda's error for a result past its response quota. */
function resultOf(requestId: string, json: string): InvocationResult {
  if (Buffer.byteLength(json) > responsePayloadLimitBytes) {
    return { ok: false, requestId, error: { errorType: 'Function.ResponseSizeTooLarge', errorMessage: `Response payload size exceeded maximum allowed payload size (${responsePayloadLimitBytes} bytes).` } };
  }
  return { ok: true, requestId, payload: JSON.parse(json) };
}
