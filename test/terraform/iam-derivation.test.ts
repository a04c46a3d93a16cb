// How the IAM contract derives actions from code, on small inputs: what counts as a call and what does not.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { lambdaBuildOptions } from '../../artifacts/lambda-bundle.js';
import { projectRoot } from '../../stage/python-env.js';
import { glueStorageCalls, s3NeedsOfOperations } from './glue-actions.js';
import { allowsS3Request } from './s3-grants.js';
import { iamPrefixOf, sdkCallsInMetafile } from './sdk-actions.js';
import type { PolicyStatement } from './stack-plan.js';
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
  it('counts a FileSystem wrapper at each call site, on the path that site passes, and skips helpers nobody calls', () => {
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
      'def run(spark, files, config):',
      '    files.read(config.input_uri)',
      '    out = join(config.output_uri, "cleaned", "sales", f"run_id={config.run_id}")',
      '    spark.read.option("header", "true").csv(config.input_uri).write.mode("overwrite").parquet(out)',
      'run(None, None, None)',
      '',
    ].join('\n'));
    const calls = glueStorageCalls([source]);
    expect(calls.operations.map(({ operation, line, via, target }) => ({ operation, line, via, target }))).toEqual([
      { operation: 'FileSystem.open', line: 12, via: 'read (line 7)', target: { base: 'input_uri', prefix: '' } },
      { operation: 'DataFrameReader.csv', line: 14, via: undefined, target: { base: 'input_uri', prefix: '' } },
      { operation: 'DataFrameWriter.parquet', line: 14, via: undefined, target: { base: 'output_uri', prefix: 'cleaned/sales' } },
    ]);
    expect(calls.actions).toEqual(['s3:DeleteObject', 's3:GetObject', 's3:ListBucket', 's3:PutObject']);
    expect(calls.problems).toEqual([]);

    const uris: Record<string, string> = { input_uri: 's3://b/raw/', output_uri: 's3://b/' };
    const { needs } = s3NeedsOfOperations(calls.operations, (base) => uris[base]);
    expect(needs.filter((need) => need.action === 's3:PutObject').map((need) => need.uri)).toEqual(['s3://b/cleaned/sales/']);
    expect(needs.filter((need) => need.action === 's3:GetObject').map((need) => need.uri)).toEqual(['s3://b/raw/', 's3://b/raw/', 's3://b/cleaned/sales/']);
  });

  it("follows a path through the parameters that pass it on, and counts an S3 client's calls as S3 operations", () => {
    const source = tempFile('job.py', [
      'import boto3',
      'from botocore.exceptions import ClientError',
      'def download(uri, target, version, s3=None):',
      '    client = s3 or boto3.client("s3")',
      '    return client.get_object(Bucket="b", Key=uri, VersionId=version)',
      'def fetch(input_uri, target):',
      '    return download(input_uri, target, "v1")',
      'def read(spark, path):',
      '    return spark.read.text(path)',
      'def run(spark, config):',
      '    fetch(config.input_uri, "/tmp/x")',
      '    read(spark, join(config.output_uri, "tmp", config.run_id))',
      'run(None, None)',
      '',
    ].join('\n'));
    const calls = glueStorageCalls([source]);
    expect(calls.operations.map(({ operation, line, via, target }) => ({ operation, line, via, target }))).toEqual([
      { operation: 'S3.GetObject(VersionId)', line: 7, via: 'download (line 5)', target: { base: 'input_uri', prefix: '' } },
      { operation: 'DataFrameReader.text', line: 9, via: undefined, target: { base: 'output_uri', prefix: 'tmp' } },
    ]);
    expect(calls.actions).toEqual(['s3:GetObject', 's3:GetObjectVersion', 's3:ListBucket']);
    expect(calls.problems).toEqual([]);
  });

  it('needs s3:GetObjectVersion only for a GetObject that may name a version', () => {
    const source = tempFile('job.py', [
      'import boto3',
      'def current(uri, s3=None):',
      '    client = s3 or boto3.client("s3")',
      '    return client.get_object(Bucket="b", Key=uri)',
      'def exact(uri, condition, s3=None):',
      '    client = s3 or boto3.client("s3")',
      '    return client.get_object(Bucket="b", Key=uri, **condition)',
      'def run(config):',
      '    current(config.profile_uri)',
      '    exact(config.input_uri, {"VersionId": "v1"})',
      'run(None)',
      '',
    ].join('\n'));
    const calls = glueStorageCalls([source]);
    expect(calls.operations.map(({ operation, target }) => ({ operation, base: target?.base }))).toEqual([
      { operation: 'S3.GetObject', base: 'profile_uri' },
      { operation: 'S3.GetObject(VersionId)', base: 'input_uri' },
    ]);
    const uris: Record<string, string> = { profile_uri: 's3://b/config/', input_uri: 's3://b/raw/' };
    const { needs } = s3NeedsOfOperations(calls.operations, (base) => uris[base]);
    expect(needs.filter((need) => need.action === 's3:GetObjectVersion').map((need) => need.uri)).toEqual(['s3://b/raw/']);
  });

  it('reports storage access it cannot map, and paths it cannot place, instead of missing them', () => {
    const source = tempFile('job.py', [
      'import boto3',
      'def run(path, conf):',
      '    fs = path.getFileSystem(conf)',
      '    fs.setPermission(path, None)',
      '    spark.read.text("s3://somewhere/")',
      '    boto3.resource("s3").Object("b", "k").get()',
      'run(None, None)',
      '',
    ].join('\n'));
    const { problems } = glueStorageCalls([source]);
    expect(problems).toEqual([
      expect.stringMatching(/job\.py:6: boto3\.resource other than client\('s3'\) reaches storage outside Hadoop FileSystem, Spark and boto3's S3 client/),
      expect.stringMatching(/job\.py:5: cannot tell which job argument the path of DataFrameReader\.text starts from/),
      expect.stringMatching(/job\.py:7 via run \(line 4\): no S3 actions known for FileSystem\.setPermission/),
      expect.stringMatching(/job\.py:7 via run \(line 4\): cannot tell which job argument the path of FileSystem\.setPermission starts from/),
    ]);
  });
});

describe('S3 grants of a policy', () => {
  const statements: PolicyStatement[] = [
    { sid: 'Read', effect: null, actions: ['s3:GetObject'], not_actions: null, resources: ['arn:aws:s3:::bkt/raw/*'], not_resources: null, condition: [] },
    {
      sid: 'List', effect: null, actions: ['s3:ListBucket'], not_actions: null, resources: ['arn:aws:s3:::bkt'], not_resources: null,
      condition: [{ test: 'StringLike', variable: 's3:prefix', values: ['raw/*'] }],
    },
  ];
  const arn = (bucket: string) => `arn:aws:s3:::${bucket === 'data' ? 'bkt' : bucket}`;

  it('allows object actions under the granted folders only', () => {
    expect(allowsS3Request({ statements, request: { action: 's3:GetObject', uri: 's3://data/raw/2024/' }, bucketArn: arn })).toBe(true);
    expect(allowsS3Request({ statements, request: { action: 's3:GetObject', uri: 's3://data/cleaned/' }, bucketArn: arn })).toBe(false);
    expect(allowsS3Request({ statements, request: { action: 's3:PutObject', uri: 's3://data/raw/' }, bucketArn: arn })).toBe(false);
  });

  it('allows listing only prefixes the s3:prefix condition admits', () => {
    expect(allowsS3Request({ statements, request: { action: 's3:ListBucket', uri: 's3://data/raw/x/' }, bucketArn: arn })).toBe(true);
    expect(allowsS3Request({ statements, request: { action: 's3:ListBucket', uri: 's3://data/manifests/' }, bucketArn: arn })).toBe(false);
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
    expect(referencedName(blocks[0]!, { attribute: 'role', type: 'aws_iam_role' })).toBe('f');
    expect(referencedName(blocks[0]!, { attribute: 'kms_key_arn', type: 'aws_kms_key' })).toBeUndefined();
  });

  it('gives each "*" resource the comments of its own statement only', () => {
    expect(starResources(blocks)).toEqual([
      { file: 'main.tf', line: 9, document: 'data.aws_iam_policy_document.f', comments: ['X-Ray has no resource-level permissions: AWS requires "*".'] },
      { file: 'main.tf', line: 13, document: 'data.aws_iam_policy_document.f', comments: [] },
    ]);
  });
});
