import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { GetJobCommand, GlueClient, type Job } from '@aws-sdk/client-glue';
import { S3Client } from '@aws-sdk/client-s3';
import { isS3Uri, parseS3Uri } from '../../contract/s3-uri.js';
import { awsClientConfig, awsProcessEnv, emulatedAccountId, type AwsTarget } from '../../stage/aws-target.js';
import type { EventDispatcher } from '../events/event-dispatcher.js';
import type { RoleSessions } from '../iam/role-sessions.js';
import { GlueApiError } from './glue-errors.js';
import { mergeJobArguments, s3MountConf, scriptArgv, sparkSubmitArgs } from './job-command.js';
import { S3Mount } from './s3-mount.js';
import { ScriptErrorScanner } from './script-error.js';

export type JobRunState = 'WAITING' | 'STARTING' | 'RUNNING' | 'STOPPING' | 'STOPPED' | 'SUCCEEDED' | 'FAILED' | 'TIMEOUT';

export interface JobRun {
  Id: string;
  Attempt: number;
  JobName: string;
  StartedOn: Date;
  LastModifiedOn: Date;
  CompletedOn?: Date;
  JobRunState: JobRunState;
  JobRunQueuingEnabled: boolean;
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
  /** Gives each run its job role's temporary keys (as Glue does), for the S3 mount and the job's process; without it, the dummy keys. */
  roleSessions?: RoleSessions;
  log?: (message: string) => void;
}

/** States of a run that holds one of the job's MaxConcurrentRuns slots. */
const activeStates: JobRunState[] = ['STARTING', 'RUNNING', 'STOPPING'];
/** States BatchStopJobRun accepts: a run in a slot, or one queued for a slot. */
const stoppableStates: JobRunState[] = ['WAITING', ...activeStates];

interface RunEntry {
  run: JobRun;
  /** The job definition as it was when the run was started. */
  job: Job;
  kill?: () => void;
  finished: Promise<void>;
  /** When the run left WAITING: its ExecutionTime counts from here. */
  runningSince?: Date;
}

export interface StartJobRunInput {
  JobName?: string;
  Arguments?: Record<string, string>;
  Timeout?: number;
  JobRunQueuingEnabled?: boolean;
}

/**
 * Runs Glue jobs defined in the control plane in Spark local mode, with AWS Glue's run states and limits.
 *
 * Past the job's MaxConcurrentRuns, a run is refused with ConcurrentRunsExceededException, or, when job
 * run queuing is enabled (on the job or the run, the run's value winning), it waits in WAITING and starts,
 * first come first served, when a slot frees.
 */
export class GlueRunner {
  private readonly glue: GlueClient;
  private readonly s3: S3Client;
  private readonly runs = new Map<string, RunEntry>();

  constructor(private readonly options: GlueRunnerOptions) {
    this.glue = new GlueClient(awsClientConfig(options.controlPlane));
    this.s3 = new S3Client(awsClientConfig(options.controlPlane));
  }

  async startJobRun(input: StartJobRunInput): Promise<{ JobRunId: string }> {
    const jobName = input.JobName ?? '';
    const job = await this.job(jobName);
    const queuing = input.JobRunQueuingEnabled ?? job.JobRunQueuingEnabled ?? false;
    const slotFree = this.hasFreeSlot(job) && this.waiting(jobName).length === 0;
    if (!slotFree && !queuing) {
      throw new GlueApiError('ConcurrentRunsExceededException', `Concurrent runs exceeded for ${jobName}`);
    }
    const now = new Date();
    const run: JobRun = {
      Id: `jr_${randomBytes(32).toString('hex')}`, Attempt: 0, JobName: jobName, StartedOn: now, LastModifiedOn: now,
      JobRunState: slotFree ? 'STARTING' : 'WAITING', JobRunQueuingEnabled: queuing, Arguments: input.Arguments ?? {},
      PredecessorRuns: [], ExecutionTime: 0, Timeout: input.Timeout ?? job.Timeout ?? 2880, GlueVersion: job.GlueVersion,
      MaxCapacity: job.MaxCapacity,
    };
    const entry: RunEntry = { run, job, finished: Promise.resolve() };
    this.runs.set(run.Id, entry);
    if (slotFree) this.begin(entry);
    else this.options.log?.(`glue run ${run.Id} of ${jobName} waits for a free slot (${this.waiting(jobName).length} queued)`);
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
      if (!entry || entry.run.JobName !== input.JobName || !stoppableStates.includes(entry.run.JobRunState)) {
        errors.push({ JobName: input.JobName, JobRunId: id, ErrorDetail: { ErrorCode: 'InvalidInputException', ErrorMessage: `Job run ${id} is not running` } });
        continue;
      }
      if (entry.run.JobRunState === 'WAITING') {
        // A queued run never started: it ends at once, and its end is announced like any other.
        this.transition(entry, 'STOPPED');
        entry.finished = this.publishStateChange(entry.run);
      } else {
        this.transition(entry, 'STOPPING');
        entry.kill?.();
      }
      successful.push({ JobName: input.JobName, JobRunId: id });
    }
    return { SuccessfulSubmissions: successful, Errors: errors };
  }

  /** Stops every active run and waits for them to settle (used on shutdown). */
  async stopAll(): Promise<void> {
    // Queued runs first, so that no stopped run hands its slot to one of them.
    for (const states of [['WAITING'], activeStates]) {
      for (const [id, entry] of this.runs) {
        if (states.includes(entry.run.JobRunState)) this.batchStopJobRun({ JobName: entry.run.JobName, JobRunIds: [id] });
      }
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

  private hasFreeSlot(job: Job): boolean {
    const active = [...this.runs.values()].filter(({ run }) => run.JobName === job.Name && activeStates.includes(run.JobRunState));
    return active.length < (job.ExecutionProperty?.MaxConcurrentRuns ?? 1);
  }

  /** The job's queued runs, oldest first. */
  private waiting(jobName: string): RunEntry[] {
    return [...this.runs.values()].filter(({ run }) => run.JobName === jobName && run.JobRunState === 'WAITING');
  }

  /** Executes the run in a slot; when it ends, its slot goes to the oldest queued run of the job. */
  private begin(entry: RunEntry): void {
    const { run } = entry;
    if (run.JobRunState === 'WAITING') this.transition(entry, 'STARTING');
    entry.runningSince = new Date();
    entry.finished = this.execute(entry)
      .catch((error) => this.options.log?.(`glue run ${run.Id} crashed: ${error}`))
      .finally(() => this.startQueued(run.JobName));
  }

  private startQueued(jobName: string): void {
    for (const next of this.waiting(jobName)) {
      if (!this.hasFreeSlot(next.job)) return;
      this.options.log?.(`glue run ${next.run.Id} of ${jobName} leaves the queue`);
      this.begin(next);
    }
  }

  private transition(entry: RunEntry, state: JobRunState, errorMessage?: string): void {
    const { run } = entry;
    run.JobRunState = state;
    run.LastModifiedOn = new Date();
    if (errorMessage) run.ErrorMessage = errorMessage;
    if (!stoppableStates.includes(state)) {
      run.CompletedOn = run.LastModifiedOn;
      const since = entry.runningSince ?? run.CompletedOn;
      run.ExecutionTime = Math.round((run.CompletedOn.getTime() - since.getTime()) / 1000);
    }
  }

  private async execute(entry: RunEntry): Promise<void> {
    const { run, job } = entry;
    const runDir = join(this.options.workDir, run.Id);
    const args = mergeJobArguments({ defaults: job.DefaultArguments ?? {}, run: run.Arguments, jobName: run.JobName, runId: run.Id });
    let outcome: { state: JobRunState; error?: string };
    try {
      const access = await this.runAccess(job);
      const mount = new S3Mount(access.s3, join(runDir, 's3'));
      const command = await this.prepare({ job, args, runDir, mount });
      if (run.JobRunState === 'STARTING') this.transition(entry, 'RUNNING');
      outcome = run.JobRunState === 'STOPPING' ? { state: 'STOPPED' } : await this.runProcess({ entry, command, runDir, env: access.env });
      await mount.uploadChanges();
      mount.remove();
    } catch (error) {
      outcome = { state: run.JobRunState === 'STOPPING' ? 'STOPPED' : 'FAILED', error: (error as Error).message };
    }
    this.transition(entry, outcome.state, outcome.error);
    await this.publishStateChange(run);
  }

  /** How a run reaches AWS: with the job role's session (Glue names it GlueJobRunnerSession) through the gateway, or the dummy keys. */
  private async runAccess(job: Job): Promise<{ s3: S3Client; env: Record<string, string> }> {
    const sessions = this.options.roleSessions;
    if (!sessions) return { s3: this.s3, env: awsProcessEnv(this.options.jobEndpoint) };
    const roleArn = job.Role?.startsWith('arn:') ? job.Role : `arn:aws:iam::${emulatedAccountId}:role/${job.Role ?? ''}`;
    const session = { roleArn, sessionName: 'GlueJobRunnerSession' };
    return {
      s3: new S3Client({ ...awsClientConfig(this.options.jobEndpoint), credentials: sessions.provider(session) }),
      env: { ...awsProcessEnv(this.options.jobEndpoint), ...await sessions.processEnv(session) },
    };
  }

  private async prepare(options: { job: Job; args: Record<string, string>; runDir: string; mount: S3Mount }) {
    const { job, args, runDir, mount } = options;
    const fetch = async (uri: string, folder: string) => {
      if (!isS3Uri(uri)) throw new Error(`${uri} is not an s3:// URI: Glue runs scripts and Python files stored in S3`);
      const location = parseS3Uri(uri);
      const target = join(runDir, folder, basename(location.key));
      if (!(await mount.download(location.bucket, location.key, target))) throw new Error(`${uri} does not exist: upload it before starting the job`);
      return target;
    };
    const script = await fetch(job.Command?.ScriptLocation ?? '', 'script');
    const pyFiles: string[] = [];
    for (const uri of (args['--extra-py-files'] ?? '').split(',').filter(Boolean)) pyFiles.push(await fetch(uri.trim(), 'py-files'));
    const buckets = new Set<string>();
    for (const value of Object.values(args)) {
      if (!isS3Uri(value)) continue;
      const location = parseS3Uri(value);
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
    entry: RunEntry;
    command: { file: string; args: string[]; pythonPath: string[] };
    runDir: string;
    env: Record<string, string>;
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
        ...options.env,
        PYSPARK_PYTHON: this.options.python,
        PYSPARK_DRIVER_PYTHON: this.options.python,
        PYTHONPATH: command.pythonPath.join(':'),
      },
    });
    const errors = new ScriptErrorScanner();
    child.stdout.pipe(log, { end: false });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      log.write(chunk);
      errors.push(chunk);
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
        else resolve({ state: 'FAILED', error: errors.message(code) });
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
