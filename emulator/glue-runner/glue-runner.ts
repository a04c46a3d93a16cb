import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { GetJobCommand, GlueClient, type Job } from '@aws-sdk/client-glue';
import { S3Client } from '@aws-sdk/client-s3';
import { awsClientConfig, awsProcessEnv, parseS3Uri, type AwsTarget } from '../dev-env/aws-config.js';
import type { EventDispatcher } from '../events/event-dispatcher.js';
import { GlueApiError } from './glue-errors.js';
import { errorMessageFrom, mergeJobArguments, s3MountConf, scriptArgv, sparkSubmitArgs } from './job-command.js';
import { S3Mount } from './s3-mount.js';

export type JobRunState = 'STARTING' | 'RUNNING' | 'STOPPING' | 'STOPPED' | 'SUCCEEDED' | 'FAILED' | 'TIMEOUT';

export interface JobRun {
  Id: string;
  Attempt: number;
  JobName: string;
  StartedOn: Date;
  LastModifiedOn: Date;
  CompletedOn?: Date;
  JobRunState: JobRunState;
  Arguments: Record<string, string>;
  ErrorMessage?: string;
  PredecessorRuns: never[];
  ExecutionTime: number;
  Timeout: number;
  GlueVersion?: string;
  MaxCapacity?: number;
}

export interface GlueRunnerOptions {
  controlPlane: AwsTarget;
  /** The endpoint the job's own AWS calls go to (the gateway). */
  jobEndpoint: AwsTarget;
  python: string;
  sparkSubmit: string;
  workDir: string;
  events?: EventDispatcher;
  /** Length of one minute of the job's Timeout; tests shorten it. */
  minuteMs?: number;
  log?: (message: string) => void;
}

const activeStates: JobRunState[] = ['STARTING', 'RUNNING', 'STOPPING'];

/** Runs Glue jobs defined in the control plane in Spark local mode, with AWS Glue's run states and limits. */
export class GlueRunner {
  private readonly glue: GlueClient;
  private readonly s3: S3Client;
  private readonly runs = new Map<string, { run: JobRun; kill?: () => void; finished: Promise<void> }>();

  constructor(private readonly options: GlueRunnerOptions) {
    this.glue = new GlueClient(awsClientConfig(options.controlPlane));
    this.s3 = new S3Client(awsClientConfig(options.controlPlane));
  }

  async startJobRun(input: { JobName?: string; Arguments?: Record<string, string>; Timeout?: number }): Promise<{ JobRunId: string }> {
    const jobName = input.JobName ?? '';
    const job = await this.job(jobName);
    const maxConcurrentRuns = job.ExecutionProperty?.MaxConcurrentRuns ?? 1;
    const active = [...this.runs.values()].filter(({ run }) => run.JobName === jobName && activeStates.includes(run.JobRunState));
    if (active.length >= maxConcurrentRuns) {
      throw new GlueApiError('ConcurrentRunsExceededException', `Concurrent runs exceeded for ${jobName}`);
    }
    const now = new Date();
    const run: JobRun = {
      Id: `jr_${randomBytes(32).toString('hex')}`, Attempt: 0, JobName: jobName, StartedOn: now, LastModifiedOn: now,
      JobRunState: 'STARTING', Arguments: input.Arguments ?? {}, PredecessorRuns: [], ExecutionTime: 0,
      Timeout: input.Timeout ?? job.Timeout ?? 2880, GlueVersion: job.GlueVersion, MaxCapacity: job.MaxCapacity,
    };
    const entry: { run: JobRun; kill?: () => void; finished: Promise<void> } = { run, finished: Promise.resolve() };
    this.runs.set(run.Id, entry);
    entry.finished = this.execute(job, entry).catch((error) => this.options.log?.(`glue run ${run.Id} crashed: ${error}`));
    return { JobRunId: run.Id };
  }

  getJobRun(input: { JobName?: string; RunId?: string }): { JobRun: JobRun } {
    const entry = this.runs.get(input.RunId ?? '');
    if (!entry || entry.run.JobName !== input.JobName) {
      throw new GlueApiError('EntityNotFoundException', `Job run ${input.RunId} of job ${input.JobName} not found`);
    }
    return { JobRun: entry.run };
  }

  async getJobRuns(input: { JobName?: string }): Promise<{ JobRuns: JobRun[] }> {
    await this.job(input.JobName ?? '');
    const runs = [...this.runs.values()].map(({ run }) => run).filter((run) => run.JobName === input.JobName);
    return { JobRuns: runs.sort((a, b) => b.StartedOn.getTime() - a.StartedOn.getTime()) };
  }

  batchStopJobRun(input: { JobName?: string; JobRunIds?: string[] }) {
    const successful: { JobName?: string; JobRunId: string }[] = [];
    const errors: { JobName?: string; JobRunId: string; ErrorDetail: { ErrorCode: string; ErrorMessage: string } }[] = [];
    for (const id of input.JobRunIds ?? []) {
      const entry = this.runs.get(id);
      if (!entry || entry.run.JobName !== input.JobName || !activeStates.includes(entry.run.JobRunState)) {
        errors.push({ JobName: input.JobName, JobRunId: id, ErrorDetail: { ErrorCode: 'InvalidInputException', ErrorMessage: `Job run ${id} is not running` } });
        continue;
      }
      this.transition(entry.run, 'STOPPING');
      entry.kill?.();
      successful.push({ JobName: input.JobName, JobRunId: id });
    }
    return { SuccessfulSubmissions: successful, Errors: errors };
  }

  /** Stops every active run and waits for them to settle (used on shutdown). */
  async stopAll(): Promise<void> {
    for (const [id, entry] of this.runs) {
      if (activeStates.includes(entry.run.JobRunState)) this.batchStopJobRun({ JobName: entry.run.JobName, JobRunIds: [id] });
    }
    await Promise.all([...this.runs.values()].map((entry) => entry.finished));
  }

  private async job(jobName: string): Promise<Job> {
    try {
      const { Job: job } = await this.glue.send(new GetJobCommand({ JobName: jobName }));
      return job!;
    } catch (error) {
      if ((error as Error).name === 'EntityNotFoundException') throw new GlueApiError('EntityNotFoundException', `Job ${jobName} not found`);
      throw error;
    }
  }

  private transition(run: JobRun, state: JobRunState, errorMessage?: string): void {
    run.JobRunState = state;
    run.LastModifiedOn = new Date();
    if (errorMessage) run.ErrorMessage = errorMessage;
    if (!activeStates.includes(state)) {
      run.CompletedOn = run.LastModifiedOn;
      run.ExecutionTime = Math.round((run.CompletedOn.getTime() - run.StartedOn.getTime()) / 1000);
    }
  }

  private async execute(job: Job, entry: { run: JobRun; kill?: () => void }): Promise<void> {
    const { run } = entry;
    const runDir = join(this.options.workDir, run.Id);
    const mount = new S3Mount(this.s3, join(runDir, 's3'));
    const args = mergeJobArguments({ defaults: job.DefaultArguments ?? {}, run: run.Arguments, jobName: run.JobName, runId: run.Id });
    let outcome: { state: JobRunState; error?: string };
    try {
      const command = await this.prepare({ job, args, runDir, mount });
      if (run.JobRunState === 'STARTING') this.transition(run, 'RUNNING');
      outcome = run.JobRunState === 'STOPPING' ? { state: 'STOPPED' } : await this.runProcess({ entry, command, runDir });
      await mount.uploadChanges();
      mount.remove();
    } catch (error) {
      outcome = { state: run.JobRunState === 'STOPPING' ? 'STOPPED' : 'FAILED', error: (error as Error).message };
    }
    this.transition(run, outcome.state, outcome.error);
    await this.publishStateChange(run);
  }

  private async prepare(options: { job: Job; args: Record<string, string>; runDir: string; mount: S3Mount }) {
    const { job, args, runDir, mount } = options;
    const fetch = async (uri: string, folder: string) => {
      const location = parseS3Uri(uri);
      if (!location) throw new Error(`${uri} is not an s3:// URI: Glue runs scripts and Python files stored in S3`);
      const target = join(runDir, folder, basename(location.key));
      if (!(await mount.download(location.bucket, location.key, target))) throw new Error(`${uri} does not exist: upload it before starting the job`);
      return target;
    };
    const script = await fetch(job.Command?.ScriptLocation ?? '', 'script');
    const pyFiles: string[] = [];
    for (const uri of (args['--extra-py-files'] ?? '').split(',').filter(Boolean)) pyFiles.push(await fetch(uri.trim(), 'py-files'));
    const buckets = new Set<string>();
    for (const value of Object.values(args)) {
      const location = parseS3Uri(value);
      if (!location) continue;
      buckets.add(location.bucket);
      if (location.key && !location.key.endsWith('/')) await mount.download(location.bucket, location.key);
    }
    mount.snapshot();
    const argv = scriptArgv(args);
    if (job.Command?.Name === 'pythonshell') {
      return { file: this.options.python, args: [script, ...argv], pythonPath: pyFiles };
    }
    const conf = s3MountConf({ buckets: [...buckets], mountDir: mount.dir });
    return { file: this.options.sparkSubmit, args: sparkSubmitArgs({ script, pyFiles, conf, args: argv }), pythonPath: [] };
  }

  private runProcess(options: {
    entry: { run: JobRun; kill?: () => void };
    command: { file: string; args: string[]; pythonPath: string[] };
    runDir: string;
  }): Promise<{ state: JobRunState; error?: string }> {
    const { entry, command, runDir } = options;
    const { run } = entry;
    mkdirSync(runDir, { recursive: true });
    const log = createWriteStream(join(runDir, 'output.log'));
    const child = spawn(command.file, command.args, {
      cwd: runDir,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        ...awsProcessEnv(this.options.jobEndpoint),
        PYSPARK_PYTHON: this.options.python,
        PYSPARK_DRIVER_PYTHON: this.options.python,
        PYTHONPATH: command.pythonPath.join(':'),
      },
    });
    let stderrTail = '';
    child.stdout.pipe(log, { end: false });
    child.stderr.on('data', (chunk: Buffer) => {
      log.write(chunk);
      stderrTail = (stderrTail + chunk.toString()).slice(-65536);
    });
    let reason: JobRunState | undefined;
    const kill = (why: JobRunState) => {
      reason ??= why;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    entry.kill = () => kill('STOPPED');
    const timer = setTimeout(() => kill('TIMEOUT'), run.Timeout * (this.options.minuteMs ?? 60_000));
    return new Promise((resolve) => {
      child.on('close', (code) => {
        clearTimeout(timer);
        log.end();
        if (reason === 'TIMEOUT') resolve({ state: 'TIMEOUT', error: `Job run timed out after ${run.Timeout} minutes` });
        else if (reason === 'STOPPED') resolve({ state: 'STOPPED' });
        else if (code === 0) resolve({ state: 'SUCCEEDED' });
        else resolve({ state: 'FAILED', error: errorMessageFrom(stderrTail, code) });
      });
    });
  }

  private async publishStateChange(run: JobRun): Promise<void> {
    if (!this.options.events) return;
    const severity = run.JobRunState === 'SUCCEEDED' || run.JobRunState === 'STOPPED' ? 'INFO' : 'ERROR';
    const message = run.ErrorMessage ?? (run.JobRunState === 'SUCCEEDED' ? 'Job run succeeded' : `Job run ${run.JobRunState.toLowerCase()}`);
    try {
      await this.options.events.publish({
        source: 'aws.glue',
        'detail-type': 'Glue Job State Change',
        detail: { jobName: run.JobName, severity, state: run.JobRunState, jobRunId: run.Id, message },
      });
    } catch (error) {
      this.options.log?.(`could not publish the state change of glue run ${run.Id}: ${error}`);
    }
  }
}
