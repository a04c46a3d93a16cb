import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { BatchStopJobRunCommand, CreateJobCommand, GetJobRunCommand, GetJobRunsCommand, GlueClient, StartJobRunCommand } from '@aws-sdk/client-glue';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { down, status, up, type DevEnvConfig } from '../../emulator/dev-env/dev-env.js';
import { listProcesses } from '../../emulator/process/managed-process.js';
import { awsClientConfig } from '../../stage/aws-target.js';
import { venvDir, venvPython } from '../../stage/python-env.js';
import { allowEverything, createRole, freePort } from './emulator-harness.js';
import { waitFor } from '../deadline.js';

const bucket = 'crash-recovery';
let config: DevEnvConfig;

function clients(gatewayUrl: string) {
  const aws = awsClientConfig({ endpoint: gatewayUrl, region: 'us-east-1' });
  return { glue: new GlueClient(aws), s3: new S3Client(aws), sqs: new SQSClient(aws), events: new EventBridgeClient(aws) };
}

/** The processes of one Glue run, told by their command line, which names the run's folder. */
function runProcesses(runId: string): number[] {
  return listProcesses().filter((candidate) => candidate.command.includes(join(config.stateDir, 'glue-runs', runId))).map((found) => found.pid);
}

beforeAll(async () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'sdp-crash-'));
  // Run as root, the warehouse's embedded Postgres runs as an unprivileged user that must be able to enter this folder.
  chmodSync(stateDir, 0o711);
  config = { stateDir, region: 'us-east-1', python: venvPython, venvDir, iam: true, ports: { gateway: await freePort(), moto: await freePort() } };
});

afterAll(async () => {
  await down(config);
  rmSync(config.stateDir, { recursive: true, force: true });
});

describe('an emulator killed while a Glue run runs', () => {
  it('ends the run FAILED on the next start, says why, announces it, stops the orphaned Spark processes and starts the queued runs', async () => {
    const { gatewayUrl } = await up(config);
    const { glue, s3, sqs, events } = clients(gatewayUrl);
    await createRole(awsClientConfig({ endpoint: gatewayUrl, region: 'us-east-1' }), { name: 'glue', statements: allowEverything });
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'glue-state' }))).QueueUrl!;
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
    await events.send(new PutRuleCommand({ Name: 'glue-state', EventPattern: JSON.stringify({ source: ['aws.glue'] }) }));
    await events.send(new PutTargetsCommand({ Rule: 'glue-state', Targets: [{ Id: 'queue', Arn: Attributes!.QueueArn! }] }));
    await s3.send(new PutObjectCommand({
      Bucket: bucket, Key: 'scripts/slow.py',
      Body: 'import time\nfrom pyspark.sql import SparkSession\nSparkSession.builder.getOrCreate()\nprint("session ready", flush=True)\ntime.sleep(600)\n',
    }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'raw/sales.csv', Body: 'order_id\n1\n' }));
    await glue.send(new CreateJobCommand({
      Name: 'slow', Role: 'arn:aws:iam::123456789012:role/glue', GlueVersion: '5.0',
      Command: { Name: 'glueetl', ScriptLocation: `s3://${bucket}/scripts/slow.py` }, JobRunQueuingEnabled: true,
    }));
    const input = `s3://${bucket}/raw/sales.csv`;
    const { JobRunId } = await glue.send(new StartJobRunCommand({ JobName: 'slow', Arguments: { '--input_uri': input } }));
    const runId = JobRunId!;
    const log = join(config.stateDir, 'glue-runs', runId, 'output.log');
    await waitFor('the run\'s Spark session', async () => (existsSync(log) && readFileSync(log, 'utf8').includes('session ready')) || undefined, 120_000);
    const { JobRunId: queuedId } = await glue.send(new StartJobRunCommand({ JobName: 'slow' }));
    const sparkProcesses = runProcesses(runId);
    expect(sparkProcesses.length).toBeGreaterThan(0);

    // As a closed terminal or a crash would: the emulator dies at once, its Spark processes live on.
    const [, emulator] = await status(config);
    process.kill(emulator!.pid!, 'SIGKILL');
    await waitFor('the emulator to die', async () => ((await status(config))[1]!.pid === undefined) || undefined);
    expect(runProcesses(runId)).toEqual(sparkProcesses);

    await up(config);
    const { JobRun } = await glue.send(new GetJobRunCommand({ JobName: 'slow', RunId: runId }));
    expect(JobRun).toMatchObject({ JobRunState: 'FAILED', Arguments: { '--input_uri': input } });
    expect(JobRun!.ErrorMessage).toBe('The run was interrupted: the emulator stopped (it was killed or crashed) while the run was RUNNING, '
      + `so its Spark process was stopped and its outputs were discarded. Run the file again with \`npm run reprocess -- ${input}\`.`);
    expect(JobRun!.CompletedOn).toBeInstanceOf(Date);
    expect((await glue.send(new GetJobRunsCommand({ JobName: 'slow' }))).JobRuns!.map((run) => run.Id)).toEqual([queuedId, runId]);
    expect(runProcesses(runId)).toEqual([]);
    expect(existsSync(join(config.stateDir, 'glue-runs', runId, 's3'))).toBe(false);

    const announced = await waitFor('the state-change event', async () => {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }));
      return Messages.length > 0 ? Messages.map((message) => (JSON.parse(message.Body!) as { detail: unknown }).detail) : undefined;
    });
    expect(announced).toEqual([{ jobName: 'slow', severity: 'ERROR', state: 'FAILED', jobRunId: runId, message: JobRun!.ErrorMessage }]);

    // A run that was still queued lost nothing: it leaves the queue as the slot frees, as on AWS.
    await waitFor('the queued run to start', async () => {
      const { JobRun: queued } = await glue.send(new GetJobRunCommand({ JobName: 'slow', RunId: queuedId }));
      return queued!.JobRunState === 'RUNNING' || undefined;
    });
    await glue.send(new BatchStopJobRunCommand({ JobName: 'slow', JobRunIds: [queuedId!] }));
  }, 300_000);
});
