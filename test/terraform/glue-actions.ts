// The S3 actions the Glue job's code needs, derived from the storage operations its source performs
// (glue_storage_operations.py finds them) and what the S3 connector or the S3 API asks for each.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot, venvPython } from '../../stage/python-env.js';

export interface StorageOperation {
  operation: string;
  file: string;
  line: number;
  /** The wrapper the operation runs in, when the call site calls one (e.g. `write_text (line 47)`). */
  via?: string;
  /** The job argument the path starts from (`output_uri`) and the constant folders after it, when the analysis can tell. */
  target: { base: string; prefix: string } | null;
}

/** An S3 action the job's role needs on a path: objects under `uri` when it ends in `/`, else that object; listing that prefix for s3:ListBucket. */
export interface S3Need {
  action: string;
  uri: string;
  why: string;
}

/**
 * The S3 requests Glue's S3 connector (EMRFS on Glue 5.0; S3A behaves alike) makes for each
 * operation, as IAM actions. A HEAD request is authorized by s3:GetObject, and without
 * s3:ListBucket a missing key answers 403 instead of 404; a path may name a "directory", so
 * status checks also list the prefix.
 */
const s3ActionsOfOperation: Record<string, string[]> = {
  'FileSystem.getFileStatus': ['s3:GetObject', 's3:ListBucket'],
  'FileSystem.exists': ['s3:GetObject', 's3:ListBucket'],
  'FileSystem.open': ['s3:GetObject'],
  // A copy to the local disk looks at the source first; a copy from it checks the target, as create() does.
  'FileSystem.copyToLocalFile': ['s3:GetObject', 's3:ListBucket'],
  'FileSystem.copyFromLocalFile': ['s3:GetObject', 's3:ListBucket', 's3:PutObject'],
  // create() first checks that the path is not a directory; large objects go as multipart uploads (s3:PutObject).
  'FileSystem.create': ['s3:GetObject', 's3:ListBucket', 's3:PutObject'],
  'FileSystem.listFiles': ['s3:ListBucket'],
  'FileSystem.listStatus': ['s3:ListBucket'],
  'FileSystem.delete': ['s3:ListBucket', 's3:DeleteObject'],
  // An S3 "rename" is a copy and a delete.
  'FileSystem.rename': ['s3:GetObject', 's3:ListBucket', 's3:PutObject', 's3:DeleteObject'],
  // boto3's S3 client: a GetObject that names no version reads the current object (s3:GetObject); one
  // that may name a version (VersionId, or ** arguments) is authorized by s3:GetObjectVersion when it
  // does, and by s3:GetObject for the current object (under If-Match on an unversioned bucket).
  'S3.GetObject': ['s3:GetObject'],
  'S3.GetObject(VersionId)': ['s3:GetObject', 's3:GetObjectVersion'],
  'DataFrameReader.text': ['s3:GetObject', 's3:ListBucket'],
  'DataFrameReader.csv': ['s3:GetObject', 's3:ListBucket'],
  'DataFrameReader.parquet': ['s3:GetObject', 's3:ListBucket'],
  'DataFrameReader.json': ['s3:GetObject', 's3:ListBucket'],
  // The output committer checks the target, writes parts and _SUCCESS, and deletes its temporary files.
  'DataFrameWriter.parquet': ['s3:GetObject', 's3:ListBucket', 's3:PutObject', 's3:DeleteObject'],
  'DataFrameWriter.csv': ['s3:GetObject', 's3:ListBucket', 's3:PutObject', 's3:DeleteObject'],
  'DataFrameWriter.json': ['s3:GetObject', 's3:ListBucket', 's3:PutObject', 's3:DeleteObject'],
  'DataFrameWriter.text': ['s3:GetObject', 's3:ListBucket', 's3:PutObject', 's3:DeleteObject'],
};

const analyser = join(import.meta.dirname, 'glue_storage_operations.py');

/** The Python sources of the job: its entry script and every module of the packages it ships with. */
export function glueSources(options: { script: string; packages: string[] }): string[] {
  const glueDir = join(projectRoot, 'glue');
  const files = [join(glueDir, options.script)];
  for (const name of options.packages) {
    const dir = join(glueDir, name);
    if (!existsSync(dir)) throw new Error(`the Glue job ships ${name}.zip, but glue/${name}/ does not exist`);
    files.push(...readdirSync(dir).filter((file) => file.endsWith('.py')).sort().map((file) => join(dir, file)));
  }
  return files;
}

export interface GlueCalls {
  operations: StorageOperation[];
  actions: string[];
  /** Operations without a known S3 meaning or path, and storage access the analysis cannot follow. */
  problems: string[];
}

function where(item: { file: string; line: number; via?: string }): string {
  return `${item.file.replace(`${projectRoot}/`, '')}:${item.line}${item.via ? ` via ${item.via}` : ''}`;
}

export function glueStorageCalls(sources: string[]): GlueCalls {
  const python = existsSync(venvPython) ? venvPython : 'python3';
  const report = JSON.parse(execFileSync(python, [analyser, ...sources], { encoding: 'utf8' })) as {
    operations: StorageOperation[];
    unsupported: { file: string; line: number; what: string }[];
  };
  const problems = report.unsupported.map((item) => `${where(item)}: ${item.what} reaches storage outside Hadoop FileSystem, Spark and boto3's S3 client; the contract cannot derive its actions`);
  const actions = new Set<string>();
  for (const operation of report.operations) {
    const mapped = s3ActionsOfOperation[operation.operation];
    if (mapped) mapped.forEach((action) => actions.add(action));
    else problems.push(`${where(operation)}: no S3 actions known for ${operation.operation}; add them to s3ActionsOfOperation in test/terraform/glue-actions.ts`);
    if (!operation.target) problems.push(`${where(operation)}: cannot tell which job argument the path of ${operation.operation} starts from`);
  }
  return { operations: report.operations, actions: [...actions].sort(), problems };
}

/**
 * The S3 actions each operation needs on the path it reaches, with `uriOf` turning a job argument
 * (`output_uri`) into the S3 folder it names on this stage.
 */
export function s3NeedsOfOperations(operations: StorageOperation[], uriOf: (base: string) => string | undefined): { needs: S3Need[]; problems: string[] } {
  const needs: S3Need[] = [];
  const problems: string[] = [];
  for (const { operation, folder, problem } of operationFolders(operations, uriOf)) {
    if (problem) problems.push(problem);
    else for (const action of s3ActionsOfOperation[operation.operation] ?? []) needs.push({ action, uri: folder!, why: `${operation.operation} at ${where(operation)}` });
  }
  return { needs, problems };
}

/** The S3 folder each operation reaches on this stage, or why it cannot be told. */
function operationFolders(operations: StorageOperation[], uriOf: (base: string) => string | undefined) {
  return operations.filter((operation) => operation.target).map((operation) => {
    const base = uriOf(operation.target!.base);
    if (!base) return { operation, problem: `${where(operation)}: the stack gives no value for the job argument --${operation.target!.base}` };
    return { operation, folder: `${base.replace(/\/$/, '')}/${operation.target!.prefix ? `${operation.target!.prefix}/` : ''}` };
  });
}

/**
 * The folders the job writes its outputs to: `text` where it writes files itself (FileSystem.create: the
 * run manifest and the COPY manifests), `data` where Spark writes a DataFrame (the Parquet parts).
 */
export function jobOutputFolders(operations: StorageOperation[], uriOf: (base: string) => string | undefined): { text: string[]; data: string[] } {
  const folders = operationFolders(operations, uriOf).filter((entry) => entry.folder);
  const of = (test: (operation: string) => boolean) => [...new Set(folders.filter((entry) => test(entry.operation.operation)).map((entry) => entry.folder!))].sort();
  return { text: of((operation) => operation === 'FileSystem.create'), data: of((operation) => operation.startsWith('DataFrameWriter.')) };
}
