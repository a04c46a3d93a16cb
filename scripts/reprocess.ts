// `npm run reprocess -- s3://BUCKET/raw/KEY [--stage local|dev|prod] [--no-wait]`: runs the Glue job again on the
// object's current version, whatever the trigger's idempotency record says (after an emulator crash, a fix of the
// cleaning code, a run that failed), and follows it until the loader has audited it. The new run's load replaces
// the version's earlier load, so its rows are in the warehouse once.
import { GlueClient } from '@aws-sdk/client-glue';
import { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { S3Client } from '@aws-sdk/client-s3';
import { parseArgs } from 'node:util';
import { followRun } from '../drivers/follow-run.js';
import { describeProgress } from '../drivers/progress-text.js';
import { reprocessObject } from '../drivers/reprocess-object.js';
import { stackOutput } from '../stage/stack-outputs.js';
import { parseStageName, warehouseConnection } from '../stage/warehouse-connection.js';
import { RedshiftData } from '../warehouse/redshift-data.js';

const usage = 'usage: npm run reprocess -- s3://BUCKET/raw/KEY [--stage local|dev|prod] [--no-wait]';

try {
  const { values, positionals } = parseArgs({
    allowPositionals: true, options: { stage: { type: 'string', default: 'local' }, 'no-wait': { type: 'boolean', default: false } },
  });
  if (positionals.length !== 1) throw new Error(usage);
  const stage = parseStageName(values.stage);
  const connection = await warehouseConnection({ stage });
  // Stage local: the emulator's endpoint and credentials; a cloud stage: the default credential chain, in the stack's region.
  const { endpoint, region, credentials } = connection.client;
  const clientConfig = endpoint ? { endpoint, region, credentials, forcePathStyle: true } : { region: connection.outputs.region };
  const glue = new GlueClient(clientConfig);
  const s3 = new S3Client(clientConfig);
  const redshift = new RedshiftDataClient(connection.client);
  try {
    const jobName = stackOutput(connection.outputs, 'glue_job_name', stage);
    const started = await reprocessObject({ glue, s3, jobName, uri: positionals[0]! });
    console.log(`reprocess: ${started.uri} version ${started.version}: run ${started.runId} (Glue job run ${started.jobRunId})`);
    if (!values['no-wait']) {
      const audit = await followRun({
        glue, warehouse: new RedshiftData(redshift, connection.target), jobName, runId: started.runId, timeoutMs: 60 * 60_000,
        onProgress: (progress) => console.log(`reprocess: ${describeProgress(progress)}`),
      });
      if (audit.status === 'loaded') console.log(`reprocess: loaded ${audit.rowsClean} clean rows, ${audit.rowsRejected} rejected (run ${started.runId})`);
      else {
        console.error(`reprocess: the run ended ${audit.status}${audit.error ? `: ${audit.error}` : ''}`);
        process.exitCode = 1;
      }
    }
  } finally {
    for (const client of [glue, s3, redshift]) client.destroy();
  }
} catch (error) {
  console.error(`reprocess: ${(error as Error).message}`);
  process.exitCode = 1;
}
