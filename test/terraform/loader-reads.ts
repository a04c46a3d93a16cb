// The S3 objects the loader reads, and those its COPY statements make Redshift read with the COPY role,
// found by running the loader's own code (loadGlueRun) on a succeeded run whose outputs lie where the
// Glue job's code writes them. Only the AWS clients and the warehouse are stand-ins, which record.
import type { GlueClient } from '@aws-sdk/client-glue';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Logger } from '@aws-lambda-powertools/logger';
import { loadGlueRun } from '../../lambda/loader/load-glue-run.js';
import type { RunManifest } from '../../lambda/loader/run-manifest.js';
import type { RedshiftData } from '../../warehouse/redshift-data.js';
import type { S3Need } from './glue-actions.js';
import { succeededManifest } from '../lambda/run-manifests.js';

/** S3 operations the loader may send, as IAM actions; any other fails the analysis, naming it. */
const s3ActionOfCommand: Record<string, string> = {
  GetObjectCommand: 's3:GetObject',
  HeadObjectCommand: 's3:GetObject',
  ListObjectsV2Command: 's3:ListBucket',
};

export interface LoaderReads {
  /** What the loader's own role reads. */
  loader: S3Need[];
  /** What Redshift reads for each COPY statement, with the role the statement names. */
  copies: { roleArn: string; needs: S3Need[] }[];
  problems: string[];
}

const copyFromManifest = /^COPY \w+ FROM '([^']+)' IAM_ROLE '([^']+)' .*\bMANIFEST$/;

/**
 * `jobOutputs` are the folders the Glue job writes (glue-actions' jobOutputFolders): the COPY manifests
 * go to its one text folder, and each COPY manifest lists Parquet parts from its data folders.
 */
export async function loaderS3Reads(options: {
  dataBucket: string;
  jobName: string;
  copyRoleArn: string;
  jobOutputs: { text: string[]; data: string[] };
}): Promise<LoaderReads> {
  const { jobOutputs } = options;
  const problems: string[] = [];
  if (jobOutputs.text.length !== 1) problems.push(`the Glue job writes text files to ${jobOutputs.text.length} folders (${jobOutputs.text.join(', ')}); the analysis expects one, holding the manifests`);
  const runId = 'contract-run';
  const manifestFolder = jobOutputs.text[0] ?? '';
  const part = (folder: string) => ({ uri: `${folder}run_id=${runId}/part-00000.snappy.parquet`, size: 1 });
  const manifest: RunManifest = succeededManifest({
    runId,
    bucket: options.dataBucket,
    overrides: {
      outputs: { clean: jobOutputs.data.map(part), rejected: jobOutputs.data.map(part) },
      copy_manifests: { clean: `${manifestFolder}${runId}.clean.copy.json`, rejected: `${manifestFolder}${runId}.rejected.copy.json` },
    },
  });

  const loader: S3Need[] = [];
  const s3 = {
    send: async (command: { constructor: { name: string }; input: { Bucket?: string; Key?: string; Prefix?: string } }) => {
      const action = s3ActionOfCommand[command.constructor.name];
      if (!action) problems.push(`the loader sends ${command.constructor.name}; add its IAM action to test/terraform/loader-reads.ts`);
      else loader.push({ action, uri: `s3://${command.input.Bucket}/${command.input.Key ?? command.input.Prefix ?? ''}`, why: `the loader's ${command.constructor.name}` });
      return { Body: { transformToString: async () => JSON.stringify(manifest) } };
    },
  };
  const glue = {
    send: async () => ({ JobRun: { Id: 'jr_contract', JobRunState: 'SUCCEEDED', Arguments: { '--run_id': runId, '--input_uri': manifest.source.uri } } }),
  };
  const statements: string[] = [];
  const warehouse: Pick<RedshiftData, 'query' | 'transaction'> = {
    query: async () => [],
    transaction: async (_name, sqls) => { statements.push(...sqls); },
  };
  const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
  await loadGlueRun({ jobName: options.jobName, jobRunId: 'jr_contract', state: 'SUCCEEDED', message: '' }, {
    glue: glue as unknown as GlueClient, s3: s3 as unknown as S3Client, warehouse: warehouse as RedshiftData, logger: silent as unknown as Logger,
    settings: { dataBucket: options.dataBucket, jobName: options.jobName, copyRoleArn: options.copyRoleArn },
  });

  const copies: LoaderReads['copies'] = [];
  for (const sql of statements.filter((statement) => /^COPY\b/.test(statement))) {
    const copy = copyFromManifest.exec(sql);
    if (!copy) {
      problems.push(`the loader's COPY does not read through a manifest, so its reads cannot be derived: ${sql}`);
      continue;
    }
    const [, manifestUri, roleArn] = copy as unknown as [string, string, string];
    copies.push({
      roleArn,
      needs: [
        { action: 's3:GetObject', uri: manifestUri, why: 'COPY reads its manifest' },
        ...jobOutputs.data.map((folder) => ({ action: 's3:GetObject', uri: folder, why: `COPY reads the Parquet parts the manifest lists, under ${folder}` })),
      ],
    });
  }
  if (copies.length === 0) problems.push('the loader ran no COPY for a succeeded run with clean and rejected rows');
  return { loader, copies, problems };
}
