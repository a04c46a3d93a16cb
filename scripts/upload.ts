// `npm run upload -- FILE [--source NAME] [--bucket NAME] [--key KEY]`: puts a CSV (or .csv.gz) under raw/ of the local
// stage's data bucket; with --source under raw/NAME/, where the trigger gives the job the source profile NAME.
import { createReadStream, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { profileUri, rawObjectKey } from '../contract/source-name.js';
import { sourceProfileExists } from '../lambda/trigger/source-profile.js';
import { awsClientConfig } from '../stage/aws-target.js';
import { devPaths } from '../stage/dev-paths.js';
import { readEndpoints } from '../stage/endpoints-file.js';
import { projectRoot } from '../stage/python-env.js';
import { stackOutput } from '../stage/stack-outputs.js';

const usage = 'usage: npm run upload -- FILE [--source NAME] [--bucket NAME] [--key raw/NAME.csv]';
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { bucket: { type: 'string' }, key: { type: 'string' }, source: { type: 'string' } },
});

try {
  const file = positionals[0];
  if (!file) throw new Error(usage);
  if (values.source !== undefined && values.key !== undefined) throw new Error(`--source and --key both name the key: pass one. ${usage}`);
  const endpoints = readEndpoints(devPaths(join(projectRoot, '.dev')).endpoints);
  const bucket = values.bucket ?? endpoints.outputs.data_bucket_name;
  if (!bucket) throw new Error('no data bucket is known: `npm run dev:up` records it from the Terraform output data_bucket_name; or pass --bucket');
  const key = values.key ?? rawObjectKey({ fileName: basename(file), source: values.source });
  const s3 = new S3Client(awsClientConfig({ endpoint: endpoints.gatewayUrl, region: endpoints.region }));
  if (values.source !== undefined) {
    const profile = profileUri(stackOutput(endpoints.outputs, 'source_profiles_uri', 'local'), values.source);
    if (!(await sourceProfileExists(s3, profile))) {
      throw new Error(`the stack has no source profile ${values.source} (${profile}), so the file would be read with the contract's own headers: `
        + `write sources/${values.source}.json (npm run sources:infer -- --input ${file} --name ${values.source}) and apply it with npm run dev:up`);
    }
  }
  const { size } = statSync(file);
  const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: createReadStream(file), ContentLength: size }));
  console.log(`uploaded ${file} (${size} bytes) to s3://${bucket}/${key}${put.VersionId ? ` version ${put.VersionId}` : ''}`);
} catch (error) {
  console.error(`upload: ${(error as Error).message}`);
  process.exitCode = 1;
}
