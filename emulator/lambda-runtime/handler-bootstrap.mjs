// Runs one Lambda invocation in this child process: loads the handler module from the task root and
// reports the result (or the error, shaped like Lambda's) to the parent over IPC.
import { existsSync } from 'node:fs';
import process from 'node:process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const { taskRoot, handler, event, context } = JSON.parse(process.argv[2]);
const dot = handler.lastIndexOf('.');
const modulePath = handler.slice(0, dot);
const exportName = handler.slice(dot + 1);

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
  send({ ok: true, result: result === undefined ? null : result });
} catch (error) {
  send({ ok: false, error: errorPayload(error) });
}
