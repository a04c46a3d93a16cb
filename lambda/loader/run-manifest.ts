import { GetObjectCommand, NoSuchKey, type S3Client } from '@aws-sdk/client-s3';

export interface RunCounts {
  rows_read: number;
  rows_clean: number;
  rows_rejected: number;
  duplicates_dropped: number;
  blank_lines: number;
}

export interface OutputObject {
  uri: string;
  size: number;
}

/** The part of the Glue job's run manifest (DESIGN 4.3) that the loader relies on. */
export interface RunManifest {
  run_id: string;
  source: { uri: string; version: string | null; size?: number; modified_at?: string };
  started_at: string;
  ended_at: string;
  status: 'succeeded' | 'rejected_file' | 'failed';
  counts: RunCounts | null;
  outputs: { clean: OutputObject[]; rejected: OutputObject[] };
  copy_manifests?: { clean: string; rejected: string };
  /** The source profile the run was given (docs/data-contract.md, Source profiles); absent without one. */
  source_profile?: { name: string; digest: string | null };
  reason?: string;
  error?: string;
}

export class InvalidManifestError extends Error {
  override readonly name = 'InvalidManifestError';
}

export class ManifestNotFoundError extends Error {
  override readonly name = 'ManifestNotFoundError';
}

const COUNT_NAMES: (keyof RunCounts)[] = ['rows_read', 'rows_clean', 'rows_rejected', 'duplicates_dropped', 'blank_lines'];
const STATUSES: RunManifest['status'][] = ['succeeded', 'rejected_file', 'failed'];

function isOutputList(value: unknown): value is OutputObject[] {
  return Array.isArray(value) && value.every((item) => typeof at(item, 'uri') === 'string' && typeof at(item, 'size') === 'number');
}

/** The value at a path in parsed JSON, or undefined where the path does not exist. */
function at(value: unknown, ...path: string[]): unknown {
  return path.reduce<unknown>((node, name) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[name] : undefined), value);
}

function problemsOf(manifest: unknown, runId: string): string[] {
  const problems: string[] = [];
  const status = at(manifest, 'status');
  if (at(manifest, 'run_id') !== runId) problems.push(`run_id is ${JSON.stringify(at(manifest, 'run_id'))}, expected "${runId}"`);
  if (!STATUSES.includes(status as RunManifest['status'])) problems.push(`status ${JSON.stringify(status)} is not one of ${STATUSES.join(', ')}`);
  if (typeof at(manifest, 'source', 'uri') !== 'string') problems.push('source.uri is missing');
  for (const name of ['started_at', 'ended_at']) {
    if (typeof at(manifest, name) !== 'string') problems.push(`${name} is missing`);
  }
  if (at(manifest, 'source_profile') !== undefined && typeof at(manifest, 'source_profile', 'name') !== 'string') problems.push('source_profile.name is missing');
  if (status !== 'succeeded') return problems;
  for (const name of COUNT_NAMES) {
    if (!Number.isInteger(at(manifest, 'counts', name))) problems.push(`counts.${name} is not an integer`);
  }
  for (const kind of ['clean', 'rejected']) {
    if (!isOutputList(at(manifest, 'outputs', kind))) problems.push(`outputs.${kind} is not a list of {uri, size}`);
    if (!/^s3:\/\/[^/]+\/.+/.test(String(at(manifest, 'copy_manifests', kind)))) problems.push(`copy_manifests.${kind} is not an s3:// URI`);
  }
  return problems;
}

/** Checks a manifest's text against the contract, so a malformed manifest fails before any SQL runs. */
export function parseRunManifest(text: string, runId: string): RunManifest {
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch (error) {
    throw new InvalidManifestError(`the manifest of run ${runId} is not JSON: ${(error as Error).message}`);
  }
  if (typeof manifest !== 'object' || manifest === null) throw new InvalidManifestError(`the manifest of run ${runId} is not a JSON object`);
  const problems = problemsOf(manifest, runId);
  if (problems.length > 0) {
    throw new InvalidManifestError(`the manifest of run ${runId} breaks the run-manifest contract (DESIGN 4.3): ${problems.join('; ')}`);
  }
  const parsed = manifest as RunManifest;
  return { ...parsed, outputs: parsed.outputs ?? { clean: [], rejected: [] } };
}

export function manifestKey(runId: string): string {
  return `manifests/${runId}.json`;
}

export async function readRunManifest(s3: S3Client, location: { bucket: string; runId: string }): Promise<RunManifest> {
  const key = manifestKey(location.runId);
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: location.bucket, Key: key }));
    return parseRunManifest(await object.Body!.transformToString('utf-8'), location.runId);
  } catch (error) {
    if (error instanceof NoSuchKey || (error as Error).name === 'NoSuchKey') {
      throw new ManifestNotFoundError(
        `manifest s3://${location.bucket}/${key} of run ${location.runId} does not exist: ` +
        'the Glue job writes it before it ends; check the job run\'s logs, then replay the event',
      );
    }
    throw error;
  }
}
