// The AWS API actions a Lambda's code calls, read from the bundle that ships: every AWS SDK v3
// command class esbuild keeps after tree-shaking, from our code or from a library (Powertools'
// idempotency store calls DynamoDB itself), mapped to the IAM action that authorizes it.
// A command in the bundle is not always sent (a library without "sideEffects": false keeps every
// command it imports, e.g. lib-dynamodb's Query and Scan): the contract then asks for too much and
// fails, naming the action, rather than passing with too little.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { lambdaBuildOptions } from '../../artifacts/lambda-bundle.js';
import { projectRoot } from '../../stage/python-env.js';

export interface SdkCall {
  /** The client package, e.g. `@aws-sdk/client-glue`. */
  client: string;
  /** The API operation, e.g. `StartJobRun`. */
  operation: string;
  /** The IAM action that authorizes it, e.g. `glue:StartJobRun`. */
  action: string;
}

/**
 * S3 operations whose IAM action has another name (the S3 "actions, resources and condition keys"
 * reference); every other operation of every client is authorized by `<prefix>:<operation>`.
 */
const s3ActionOfOperation: Record<string, string> = {
  HeadObject: 's3:GetObject',
  ListObjects: 's3:ListBucket',
  ListObjectsV2: 's3:ListBucket',
  HeadBucket: 's3:ListBucket',
  DeleteObjects: 's3:DeleteObject',
  CreateMultipartUpload: 's3:PutObject',
  UploadPart: 's3:PutObject',
  CompleteMultipartUpload: 's3:PutObject',
};

/**
 * Commands a client class imports for its own machinery, which run only when a feature this stack
 * does not use is on. A command imported by a client class and missing here fails the contract,
 * so that someone decides whether the stack needs it.
 */
const clientInternalCommands: Record<string, string> = {
  '@aws-sdk/client-s3 CreateSession': 'S3 Express One Zone sessions, for directory buckets only; the data bucket is a general purpose bucket',
  '@aws-sdk/client-dynamodb DescribeEndpoints': 'endpoint discovery, off unless a client sets endpointDiscoveryEnabled; ours do not',
};

/** Where a module path names an SDK command: `.../@aws-sdk/client-<service>/dist-es/commands/<Operation>Command.js`. */
const commandModule = /node_modules\/(@aws-sdk\/client-[a-z0-9-]+)\/dist-es\/commands\/(\w+)Command\.js$/;
const clientClassModule = /node_modules\/@aws-sdk\/client-[a-z0-9-]+\/dist-es\/\w+Client\.js$/;

const prefixes = new Map<string, string>();

/** The IAM service prefix of a client: the SigV4 signing name its auth scheme declares. */
export function iamPrefixOf(client: string): string {
  let prefix = prefixes.get(client);
  if (!prefix) {
    const source = readFileSync(join(projectRoot, 'node_modules', client, 'dist-es', 'auth', 'httpAuthSchemeProvider.js'), 'utf8');
    const names = new Set([...source.matchAll(/\bname: "([a-z0-9-]+)"/g)].map((match) => match[1]!));
    if (names.size !== 1) throw new Error(`${client}: expected one SigV4 signing name in its auth scheme, found ${[...names].join(', ') || 'none'}`);
    prefix = [...names][0]!;
    prefixes.set(client, prefix);
  }
  return prefix;
}

function iamActionOf(client: string, operation: string): string {
  const prefix = iamPrefixOf(client);
  return (prefix === 's3' ? s3ActionOfOperation[operation] : undefined) ?? `${prefix}:${operation}`;
}

export interface BundleCalls {
  calls: SdkCall[];
  /** Client-internal commands in the bundle that `clientInternalCommands` does not explain. */
  unexplainedInternal: string[];
}

/**
 * The SDK calls in a metafile's single output. Only `@aws-sdk/client-*` packages count: the credential
 * providers' own clients (`@aws-sdk/nested-clients`: STS, SSO) run only when credentials come from a
 * profile or a web identity token, and a Lambda gets its role's credentials from its environment.
 */
export function sdkCallsInMetafile(metafile: Metafile): BundleCalls {
  const outputs = Object.values(metafile.outputs);
  if (outputs.length !== 1) throw new Error(`expected one bundle output, got ${outputs.length}`);
  const kept = Object.entries(outputs[0]!.inputs).filter(([, input]) => input.bytesInOutput > 0).map(([path]) => path);
  const importedByClientClass = new Set(
    Object.entries(metafile.inputs)
      .filter(([path]) => clientClassModule.test(path))
      .flatMap(([, input]) => input.imports.map((imported) => imported.path)),
  );
  const calls: SdkCall[] = [];
  const unexplainedInternal: string[] = [];
  for (const path of kept) {
    const match = commandModule.exec(path);
    if (!match) continue;
    const [, client, operation] = match as unknown as [string, string, string];
    if (importedByClientClass.has(path)) {
      if (!(`${client} ${operation}` in clientInternalCommands)) unexplainedInternal.push(`${client} ${operation}`);
      continue;
    }
    calls.push({ client, operation, action: iamActionOf(client, operation) });
  }
  return { calls: calls.sort((a, b) => a.action.localeCompare(b.action)), unexplainedInternal };
}

/** Bundles a function exactly as `npm run build:lambdas` does, in memory, and lists its SDK calls. */
export async function sdkCallsOfFunction(name: string): Promise<BundleCalls> {
  const result = await build({ ...lambdaBuildOptions(name), write: false, metafile: true, outfile: join(projectRoot, 'dist', 'lambda', name, 'index.js') });
  return sdkCallsInMetafile(result.metafile);
}
