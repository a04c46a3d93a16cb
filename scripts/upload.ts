// `npm run upload -- FILE [--bucket NAME] [--key KEY]`: puts a CSV under raw/ of the local stage's data bucket.
import { createReadStream, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { awsClientConfig } from '../stage/aws-target.js';
import { devPaths } from '../stage/dev-paths.js';
import { readEndpoints } from '../stage/endpoints-file.js';
import { projectRoot } from '../stage/python-env.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { bucket: { type: 'string' }, key: { type: 'string' } } });

try {
  const file = positionals[0];
  if (!file) throw new Error('usage: npm run upload -- FILE [--bucket NAME] [--key raw/NAME.csv]');
  const endpoints = readEndpoints(devPaths(join(projectRoot, '.dev')).endpoints);
  const bucket = values.bucket ?? endpoints.outputs.data_bucket_name;
  if (!bucket) throw new Error('no data bucket is known: `npm run dev:up` records it from the Terraform output data_bucket_name; or pass --bucket');
  const key = values.key ?? `raw/${basename(file)}`;
  const s3 = new S3Client(awsClientConfig({ endpoint: endpoints.gatewayUrl, region: endpoints.region }));
  const { size } = statSync(file);
  const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: createReadStream(file), ContentLength: size }));
  console.log(`uploaded ${file} (${size} bytes) to s3://${bucket}/${key}${put.VersionId ? ` version ${put.VersionId}` : ''}`);
} catch (error) {
  console.error(`upload: ${(error as Error).message}`);
  process.exitCode = 1;
}
