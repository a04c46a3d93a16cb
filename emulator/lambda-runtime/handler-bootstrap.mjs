// Runs one Lambda invocation in this child process: loads the handler module from the task root and
// reports the result (or the error, shaped like Lambda's) to the parent over IPC. The invocation itself
// (event, handler, context) also arrives over IPC: a command line holds 128 KiB at most.
import { existsSync } from 'node:fs';
import process from 'node:process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

function send(message) {
  process.send(message, () => process.exit(0));
}

function errorPayload(error) {
  return {
    errorType: error?.name ?? 'Error',
    errorMessage: error?.message ?? String(error),
    trace: String(error?.stack ?? '').split('\n'),
  };
}

process.once('message', invoke);

async function invoke({ taskRoot, handler, event, context }) {
  const dot = handler.lastIndexOf('.');
  const modulePath = handler.slice(0, dot);
  const exportName = handler.slice(dot + 1);
  try {
    const file = ['.js', '.mjs', '.cjs'].map((ext) => join(taskRoot, modulePath + ext)).find((path) => existsSync(path));
    if (!file) throw Object.assign(new Error(`Cannot find module '${modulePath}' in ${taskRoot}`), { name: 'Runtime.ImportModuleError' });
    const loaded = await import(pathToFileURL(file).href);
    const fn = loaded[exportName] ?? loaded.default?.[exportName];
    if (typeof fn !== 'function') throw Object.assign(new Error(`${handler} is undefined or not exported`), { name: 'Runtime.HandlerNotFound' });
    const deadline = Date.now() + context.timeoutMs;
    const result = await fn(event, {
      functionName: context.functionName,
      functionVersion: '$LATEST',
      invokedFunctionArn: context.functionArn,
      memoryLimitInMB: String(context.memoryMb),
      awsRequestId: context.requestId,
      logGroupName: `/aws/lambda/${context.functionName}`,
      logStreamName: context.requestId,
      callbackWaitsForEmptyEventLoop: true,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    });
    // Serialised here, as Lambda's runtime does, so the parent can measure the response against its quota.
    send({ ok: true, result: JSON.stringify(result === undefined ? null : result) });
  } catch (error) {
    send({ ok: false, error: errorPayload(error) });
  }
}
