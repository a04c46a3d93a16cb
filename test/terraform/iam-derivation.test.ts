// How the IAM contract derives actions from code, on small inputs: what counts as a call and what does not.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { lambdaBuildOptions } from '../../scripts/lib/lambda-bundle.js';
import { projectRoot } from '../../scripts/lib/python-env.js';
import { glueStorageCalls } from './glue-actions.js';
import { iamPrefixOf, sdkCallsInMetafile } from './sdk-actions.js';
import { readConfigBlocks, referencedName, starResources } from './terraform-config.js';

async function callsOf(source: string) {
  // The shipped bundle's options, with the source given in place of an entry point.
  const result = await build({ ...lambdaBuildOptions('fixture'), entryPoints: undefined, stdin: { contents: source, resolveDir: projectRoot, loader: 'ts' }, write: false, metafile: true, outfile: join(tmpdir(), 'fixture.js') });
  return sdkCallsInMetafile(result.metafile);
}

function tempFile(name: string, text: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'iam-derivation-')), name);
  writeFileSync(file, text);
  return file;
}

describe('SDK calls in a Lambda bundle', () => {
  it('counts the commands a bundle sends, by their IAM action, and not an imported command that tree-shaking drops', async () => {
    const { calls, unexplainedInternal } = await callsOf(`
      import { HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
      const s3 = new S3Client({});
      void PutObjectCommand;
      export const handler = () => s3.send(new HeadObjectCommand({ Bucket: 'b', Key: 'k' }));
    `);
    expect(calls).toEqual([{ client: '@aws-sdk/client-s3', operation: 'HeadObject', action: 's3:GetObject' }]);
    // S3Client's own CreateSession (directory buckets) is explained, not counted.
    expect(unexplainedInternal).toEqual([]);
  });

  it("counts a library's calls: Powertools' idempotency store reads and writes DynamoDB items itself", async () => {
    const { calls } = await callsOf(`
      import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
      export const store = new DynamoDBPersistenceLayer({ tableName: 't' });
    `);
    expect(calls.map((call) => call.action)).toEqual(['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']);
  });

  it("takes a client's IAM prefix from its SigV4 signing name", () => {
    expect(iamPrefixOf('@aws-sdk/client-redshift-data')).toBe('redshift-data');
    expect(iamPrefixOf('@aws-sdk/client-glue')).toBe('glue');
  });
});

describe('storage operations of the Glue code', () => {
  it('follows a FileSystem returned in a tuple, Spark reads and writes, and skips helpers nobody calls', () => {
    const source = tempFile('job.py', [
      'class Files:',
      '    def _path(self, uri):',
      '        path = self.jvm.Path(uri)',
      '        return path, path.getFileSystem(self.conf)',
      '    def read(self, uri):',
      '        path, fs = self._path(uri)',
      '        return fs.open(path)',
      '    def remove(self, uri):',
      '        path, fs = self._path(uri)',
      '        fs.delete(path, True)',
      'def run(spark, files):',
      '    files.read("s3://b/raw/a.csv")',
      '    df = spark.read.option("header", "true").csv("s3://b/raw/")',
      '    df.write.mode("overwrite").partitionBy("m").parquet("s3://b/out/")',
      'run(None, None)',
      '',
    ].join('\n'));
    const calls = glueStorageCalls([source]);
    expect(calls.operations.map((operation) => operation.operation)).toEqual(['FileSystem.open', 'DataFrameReader.csv', 'DataFrameWriter.parquet']);
    expect(calls.actions).toEqual(['s3:DeleteObject', 's3:GetObject', 's3:ListBucket', 's3:PutObject']);
    expect(calls.problems).toEqual([]);
  });

  it('reports storage access it cannot map instead of missing it', () => {
    const source = tempFile('job.py', [
      'import boto3',
      'def run(path, conf):',
      '    fs = path.getFileSystem(conf)',
      '    fs.setPermission(path, None)',
      'run(None, None)',
      '',
    ].join('\n'));
    const { problems } = glueStorageCalls([source]);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/job\.py:1: import boto3 reaches storage outside Hadoop FileSystem and Spark/);
    expect(problems[1]).toMatch(/job\.py:4: no S3 actions known for FileSystem\.setPermission/);
  });
});

describe('references in the Terraform configuration', () => {
  const dir = mkdtempSync(join(tmpdir(), 'iam-config-'));
  writeFileSync(join(dir, 'main.tf'), [
    'resource "aws_lambda_function" "f" {',
    '  role = aws_iam_role.f.arn',
    '}',
    '',
    'data "aws_iam_policy_document" "f" {',
    '  statement {',
    '    # X-Ray has no resource-level permissions: AWS requires "*".',
    '    actions   = ["xray:PutTraceSegments"]',
    '    resources = ["*"]',
    '  }',
    '  statement {',
    '    actions   = ["s3:GetObject"]',
    '    resources = ["*"]',
    '  }',
    '}',
    '',
  ].join('\n'));
  const blocks = readConfigBlocks(dir);

  it('finds the block an attribute refers to', () => {
    expect(blocks.map((block) => block.address)).toEqual(['aws_lambda_function.f', 'data.aws_iam_policy_document.f']);
    expect(referencedName(blocks[0]!, 'role', 'aws_iam_role')).toBe('f');
    expect(referencedName(blocks[0]!, 'kms_key_arn', 'aws_kms_key')).toBeUndefined();
  });

  it('gives each "*" resource the comments of its own statement only', () => {
    expect(starResources(blocks)).toEqual([
      { file: 'main.tf', line: 9, document: 'data.aws_iam_policy_document.f', comments: ['X-Ray has no resource-level permissions: AWS requires "*".'] },
      { file: 'main.tf', line: 13, document: 'data.aws_iam_policy_document.f', comments: [] },
    ]);
  });
});
