import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { venvPython } from '../../stage/python-env.js';
import { allowEverything, createRole, startHarness, type Harness } from './emulator-harness.js';

let harness: Harness;

/** Runs a boto3 script with nothing but AWS_ENDPOINT_URL and dummy credentials set, and returns its JSON output. */
// Asynchronous on purpose: the gateway under test runs in this process and must keep answering.
async function boto3(script: string): Promise<unknown> {
  const { stdout } = await promisify(execFile)(venvPython, ['-c', script], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, AWS_ENDPOINT_URL: harness.services.gatewayUrl, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1' },
  });
  return JSON.parse(stdout);
}

beforeAll(async () => {
  harness = await startHarness();
  // The job below runs as role r: under IAM enforcement it needs the rights to read its script.
  await createRole(harness.aws, { name: 'r', statements: allowEverything });
});

afterAll(async () => harness?.close());

describe('boto3 against the emulator', () => {
  it('runs a Glue job and gets ConcurrentRunsExceededException for a second run', async () => {
    const result = await boto3(`
import json, time, boto3
s3, glue = boto3.client("s3"), boto3.client("glue")
s3.create_bucket(Bucket="boto3-jobs")
s3.put_object(Bucket="boto3-jobs", Key="job.py", Body=b"import time\\ntime.sleep(1)\\n")
glue.create_job(Name="nap", Role="r", Command={"Name": "pythonshell", "ScriptLocation": "s3://boto3-jobs/job.py"})
run_id = glue.start_job_run(JobName="nap")["JobRunId"]
try:
    glue.start_job_run(JobName="nap")
    second = "accepted"
except glue.exceptions.ConcurrentRunsExceededException as error:
    second = error.response["Error"]["Code"]
while glue.get_job_run(JobName="nap", RunId=run_id)["JobRun"]["JobRunState"] in ("STARTING", "RUNNING"):
    time.sleep(0.2)
run = glue.get_job_run(JobName="nap", RunId=run_id)["JobRun"]
try:
    glue.get_job_runs(JobName="missing")
    missing = "listed"
except glue.exceptions.EntityNotFoundException as error:
    missing = error.response["Error"]["Code"]
print(json.dumps({"second": second, "state": run["JobRunState"], "completed": run["CompletedOn"] >= run["StartedOn"], "missing": missing}))
`);
    expect(result).toEqual({ second: 'ConcurrentRunsExceededException', state: 'SUCCEEDED', completed: true, missing: 'EntityNotFoundException' });
  });

  it('delivers S3 object-created notifications to SQS through the proxied control plane', async () => {
    const result = await boto3(`
import json, boto3
from urllib.parse import unquote_plus
s3, sqs = boto3.client("s3"), boto3.client("sqs")
url = sqs.create_queue(QueueName="notifications")["QueueUrl"]
arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
s3.create_bucket(Bucket="boto3-data")
s3.put_bucket_notification_configuration(Bucket="boto3-data", NotificationConfiguration={"QueueConfigurations": [{
    "QueueArn": arn, "Events": ["s3:ObjectCreated:*"],
    "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "raw/"}, {"Name": "suffix", "Value": ".csv"}]}}}]})
s3.put_object(Bucket="boto3-data", Key="raw/sales.csv", Body=b"a\\n1\\n")
s3.put_object(Bucket="boto3-data", Key="other/sales.csv", Body=b"a\\n1\\n")
messages = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1).get("Messages", [])
# Keys arrive URL-encoded, as on AWS (moto also encodes "/"), so consumers decode them.
keys = [unquote_plus(record["s3"]["object"]["key"]) for message in messages for record in json.loads(message["Body"]).get("Records", [])]
print(json.dumps(keys))
`);
    expect(result).toEqual(['raw/sales.csv']);
  });
});
