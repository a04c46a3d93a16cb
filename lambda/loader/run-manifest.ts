import { GetObjectCommand, NoSuchKey, type S3Client } from '@aws-sdk/client-s3';
import { runManifestProblems, type RunManifest } from '../../contract/run-manifest.js';

export type { OutputObject, RunCounts, RunManifest } from '../../contract/run-manifest.js';

export class InvalidManifestError extends Error {
  override readonly name = 'InvalidManifestError';
}

export class ManifestNotFoundError extends Error {
  override readonly name = 'ManifestNotFoundError';
}

function problemsOf(manifest: unknown, runId: string): string[] {
  const problems = runManifestProblems(manifest);
  const { run_id: actual, status, copy_manifests: copy } = manifest as Partial<RunManifest>;
  if (actual !== runId) problems.push(`run_id is ${JSON.stringify(actual)}, expected "${runId}"`);
  if (status === 'succeeded') {
    for (const kind of ['clean', 'rejected'] as const) {
      if (!/^s3:\/\/[^/]+\/.+/.test(String(copy?.[kind]))) problems.push(`copy_manifests.${kind} is not an s3:// URI`);
    }
  }
  return problems;
}

/** Checks a manifest's text against the contract, so a malformed manifest fails before any SQL runs. */
export function parseRunManifest(text: string, runId: string): RunManifest {
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch (error) {
    throw new InvalidManifestError(`the manifest of run ${runId} is not JSON: ${(error as Error).message}`, { cause: error });
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
