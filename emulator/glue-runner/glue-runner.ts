import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { GetJobCommand, GlueClient, type Job } from '@aws-sdk/client-glue';
import { S3Client } from '@aws-sdk/client-s3';
import { isS3Uri, parseS3Uri } from '../../contract/s3-uri.js';
import { awsClientConfig, type AwsTarget } from '../../stage/aws-target.js';
import type { EventDispatcher } from '../events/event-dispatcher.js';
import { GlueApiError } from './glue-errors.js';
import type { JobRun, JobRunState } from './job-run.js';
import { driverConf, isShortRun, mergeJobArguments, s3MountConf, scriptArgv, sparkSubmitArgs } from './job-command.js';
import { stopOrphanedProcesses } from './orphaned-processes.js';
import type { RoleSessions } from '../iam/role-sessions.js';
import { runAccess, type RunAccess } from './run-environment.js';
import { RunStore } from './run-store.js';
import { S3Mount } from './s3-mount.js';
import { ScriptErrorScanner } from './script-error.js';
import { artifactDigest, WarmPool } from './warm-pool.js';

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
  /** Pre-warmed Spark processes kept per glueetl job (0 or absent: every run starts cold); tests shorten the limits. */
  pool?: { size: number; idleLimitMs?: number; sweepMs?: number };
  log?: (message: string) => void;
}

/** States of a run that holds one of the job's MaxConcurrentRuns slots. */
const activeStates: JobRunState[] = ['STARTING', 'RUNNING', 'STOPPING'];
/** States BatchStopJobRun accepts: a run in a slot, or one queued for a slot. */
const stoppableStates: JobRunState[] = ['WAITING', ...activeStates];
/** The state-change event's message for a run that ended without an ErrorMessage. */
const stateChangeMessages: Partial<Record<JobRunState, string>> = {
  SUCCEEDED: 'Job run succeeded',
  STOPPED: 'Job run stopped by a BatchStopJobRun request',
};

interface RunEntry {
  run: JobRun;
  /** The job definition as it was when the run was started. */
  job: Job;
  kill?: () => void;
  finished: Promise<void>;
  /** When the run left WAITING: its ExecutionTime counts from here. */
  runningSince?: Date;
  /** Why a run that was not asked to stop by BatchStopJobRun was stopped: its ErrorMessage. */
  stopCause?: string;
  /** Whether the state-change event of the run's end went out. */
  announced: boolean;
}

/** A run's files and arguments, downloaded and checked, ready for a process. */
interface PreparedRun {
  /** A pythonshell job: the script runs under Python, without Spark. */
  shell: boolean;
  script: string;
  pyFiles: string[];
  argv: string[];
  /** Buckets the arguments name: mounted for Spark. */
  buckets: string[];
  /** Bytes of the objects the arguments name (the run's inputs). */
  inputBytes: number;
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
  private readonly store: RunStore;
  private readonly pool?: WarmPool;

  /** Knows every run an earlier runner on the same workDir stored; call recover() before anything runs. */
  constructor(private readonly options: GlueRunnerOptions) {
    this.glue = new GlueClient(awsClientConfig(options.controlPlane));
    this.s3 = new S3Client(awsClientConfig(options.controlPlane));
    this.store = new RunStore(options.workDir);
    if (options.pool && options.pool.size > 0) {
      this.pool = new WarmPool({
        ...options.pool, dir: join(options.workDir, 'pool'), glue: this.glue, s3: this.s3,
        sparkSubmit: options.sparkSubmit, sparkEnv: this.sparkEnv(), log: options.log,
        busy: (jobName) => [...this.runs.values()].some(({ run }) => run.JobName === jobName && stoppableStates.includes(run.JobRunState)),
      });
    }
    for (const { run, announced } of this.store.load()) {
      // Only the name is known of the job a stored run ran; recover() fetches the definition of a run that must start.
      this.runs.set(run.Id, { run, job: { Name: run.JobName } as Job, finished: Promise.resolve(), announced });
    }
  }

  /**
   * Ends what an earlier emulator process left unfinished, the way AWS ends a run whose workers died: it
   * stops that process's orphaned Spark processes and ends each run that was running as FAILED with an
   * ErrorMessage saying why (a run being stopped as STOPPED); their outputs are discarded, and the file
   * is run again with `npm run reprocess`. Call it before serving requests, then resume() once serving.
   */
  async recover(): Promise<void> {
    const orphans = await stopOrphanedProcesses(this.options.workDir);
    if (orphans.length > 0) this.options.log?.(`glue runner: stopped ${orphans.length} orphaned process(es) of an earlier emulator: ${orphans.join(', ')}`);
    for (const entry of this.runs.values()) {
      const { run } = entry;
      if (!activeStates.includes(run.JobRunState)) continue;
      const stopping = run.JobRunState === 'STOPPING';
      this.options.log?.(`glue run ${run.Id} of ${run.JobName} was ${run.JobRunState} when the emulator stopped; it ends ${stopping ? 'STOPPED' : 'FAILED'}`);
      this.transition(entry, stopping ? 'STOPPED' : 'FAILED', stopping ? undefined : interruptedMessage(run));
      new S3Mount(this.s3, join(this.options.workDir, run.Id, 's3')).remove();
    }
  }

  /**
   * Announces every end that never was (so the loader audits it, through the gateway: hence once serving)
   * and starts the runs an earlier emulator process left queued.
   */
  async resume(): Promise<void> {
    this.pool?.start();
    for (const entry of this.runs.values()) {
      if (!entry.announced && !stoppableStates.includes(entry.run.JobRunState)) await this.publishStateChange(entry);
    }
    const queued = new Set([...this.runs.values()].filter(({ run }) => run.JobRunState === 'WAITING').map(({ run }) => run.JobName));
    for (const jobName of queued) {
      for (const entry of this.waiting(jobName)) {
        try {
          entry.job = await this.job(jobName);
        } catch (error) {
          this.transition(entry, 'FAILED', `The run waited in the queue when the emulator stopped, and its job cannot be read now: ${(error as Error).message}`);
          await this.publishStateChange(entry);
        }
      }
      this.startQueued(jobName);
    }
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
    const entry: RunEntry = { run, job, finished: Promise.resolve(), announced: false };
    this.runs.set(run.Id, entry);
    this.store.save({ run, announced: false });
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
        this.transition(entry, 'STOPPED', entry.stopCause);
        entry.finished = this.publishStateChange(entry);
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
        if (!states.includes(entry.run.JobRunState)) continue;
        entry.stopCause = `The run was stopped because the emulator was shut down while the run was ${entry.run.JobRunState}. ${rerunHint(entry.run)}`;
        this.batchStopJobRun({ JobName: entry.run.JobName, JobRunIds: [id] });
      }
    }
    await Promise.all([...this.runs.values()].map((entry) => entry.finished));
    await this.pool?.stop();
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
    this.store.save({ run, announced: entry.announced });
  }

  private async execute(entry: RunEntry): Promise<void> {
    const { run, job } = entry;
    const runDir = join(this.options.workDir, run.Id);
    const args = mergeJobArguments({ defaults: job.DefaultArguments ?? {}, run: run.Arguments, jobName: run.JobName, runId: run.Id });
    let outcome: { state: JobRunState; error?: string };
    try {
      const access = await runAccess({ job, jobEndpoint: this.options.jobEndpoint, roleSessions: this.options.roleSessions });
      const mount = new S3Mount(access.s3, join(runDir, 's3'));
      const prepared = await this.prepare({ job, args, runDir, mount });
      if (run.JobRunState === 'STARTING') this.transition(entry, 'RUNNING');
      outcome = run.JobRunState === 'STOPPING' ? { state: 'STOPPED', error: entry.stopCause } : await this.runProcess({ entry, prepared, runDir, mount, access });
      await mount.uploadChanges();
      mount.remove();
    } catch (error) {
      const stopped = run.JobRunState === 'STOPPING';
      outcome = { state: stopped ? 'STOPPED' : 'FAILED', error: stopped ? entry.stopCause : (error as Error).message };
    }
    this.transition(entry, outcome.state, outcome.error);
    await this.publishStateChange(entry);
  }

  /** Downloads the run's script and Python files and the objects its arguments name, and checks every s3:// argument. */
  private async prepare(options: { job: Job; args: Record<string, string>; runDir: string; mount: S3Mount }): Promise<PreparedRun> {
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
    let inputBytes = 0;
    for (const value of Object.values(args)) {
      if (!isS3Uri(value)) continue;
      const location = parseS3Uri(value);
      const isPrefix = location.key === '' || location.key.endsWith('/');
      // Every s3:// argument is checked, downloaded or not: Spark writes through the mount as well.
      mount.path(location.bucket, location.key, { prefix: isPrefix });
      buckets.add(location.bucket);
      if (!isPrefix && await mount.download(location.bucket, location.key)) inputBytes += statSync(mount.path(location.bucket, location.key)).size;
    }
    mount.snapshot();
    return { shell: job.Command?.Name === 'pythonshell', script, pyFiles, argv: scriptArgv(args), buckets: [...buckets], inputBytes };
  }

  /**
   * The run's process: a pythonshell script under Python; a glueetl script in a pre-warmed Spark process
   * of the job when one is ready with the run's very files, else in a new spark-submit (a cold start).
   */
  private launch(options: { run: JobRun; prepared: PreparedRun; runDir: string; mount: S3Mount; env: Record<string, string> }): ChildProcess {
    const { run, prepared, runDir, mount, env } = options;
    const spawnRun = (file: string, args: string[], extraEnv: Record<string, string>) => spawn(file, args, {
      cwd: runDir, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...extraEnv, ...env },
    });
    if (prepared.shell) {
      return spawnRun(this.options.python, [prepared.script, ...prepared.argv], { PYTHONPATH: prepared.pyFiles.join(':') });
    }
    // A pre-warmed process runs a JVM for short runs (driverConf): a large input starts cold on the full JIT and a larger heap.
    const long = !isShortRun(prepared.inputBytes);
    const pooled = long ? undefined : this.pool?.take(run.JobName, artifactDigest([prepared.script, ...prepared.pyFiles]), {
      script: prepared.script, pyFiles: prepared.pyFiles, argv: prepared.argv, env, cwd: runDir,
      buckets: Object.fromEntries(prepared.buckets.map((bucket) => [bucket, join(mount.dir, bucket)])),
    });
    if (pooled) {
      this.options.log?.(`glue run ${run.Id} of ${run.JobName} runs in the pre-warmed Spark process ${pooled.pid}`);
      return pooled;
    }
    if (this.pool) {
      const why = long ? `its input of ${(prepared.inputBytes / 2 ** 20).toFixed(0)} MiB runs on a JVM for long runs` : 'no pre-warmed Spark process is ready';
      this.options.log?.(`glue run ${run.Id} of ${run.JobName} starts cold: ${why}`);
    }
    const conf = [...s3MountConf({ buckets: prepared.buckets, mountDir: mount.dir }), ...driverConf(prepared.inputBytes)];
    return spawnRun(this.options.sparkSubmit, sparkSubmitArgs({ script: prepared.script, pyFiles: prepared.pyFiles, conf, args: prepared.argv }), this.sparkEnv());
  }

  /** Environment of every Spark process, cold or pre-warmed, before the run's own. */
  private sparkEnv(): Record<string, string> {
    return { PYSPARK_PYTHON: this.options.python, PYSPARK_DRIVER_PYTHON: this.options.python, PYTHONPATH: '' };
  }

  private async runProcess(options: { entry: RunEntry; prepared: PreparedRun; runDir: string; mount: S3Mount; access: RunAccess }): Promise<{ state: JobRunState; error?: string }> {
    const { entry, runDir, mount } = options;
    const { run } = entry;
    mkdirSync(runDir, { recursive: true });
    const log = createWriteStream(join(runDir, 'output.log'));
    const { env } = options.access;
    // From here to the output handlers, one synchronous stretch: a pre-warmed process's output is never lost.
    const child = this.launch({ run, prepared: options.prepared, runDir, mount, env });
    const errors = new ScriptErrorScanner();
    for (const stream of ['stdout', 'stderr'] as const) {
      child[stream]!.setEncoding('utf8');
      child[stream]!.on('data', (chunk: string) => {
        log.write(chunk);
        errors.push(chunk, stream);
      });
    }
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
      const ended = (code: number | null, signal: NodeJS.Signals | null) => {
        clearTimeout(timer);
        log.end();
        if (reason === 'TIMEOUT') resolve({ state: 'TIMEOUT', error: `Job run exceeded its timeout of ${run.Timeout} minutes and was stopped: raise Timeout on the job or the run if it needs longer` });
        else if (reason === 'STOPPED') resolve({ state: 'STOPPED', error: entry.stopCause });
        else if (code === 0) resolve({ state: 'SUCCEEDED' });
        else resolve({ state: 'FAILED', error: errors.message({ code, signal }, (text) => mount.userPaths(text)) });
      };
      child.once('close', ended);
    });
  }

  private async publishStateChange(entry: RunEntry): Promise<void> {
    const { run } = entry;
    if (!this.options.events) return;
    const severity = run.JobRunState === 'SUCCEEDED' || run.JobRunState === 'STOPPED' ? 'INFO' : 'ERROR';
    const message = run.ErrorMessage ?? stateChangeMessages[run.JobRunState] ?? `Job run ${run.JobRunState.toLowerCase()}`;
    try {
      await this.options.events.publish({
        source: 'aws.glue',
        'detail-type': 'Glue Job State Change',
        detail: { jobName: run.JobName, severity, state: run.JobRunState, jobRunId: run.Id, message },
      });
      entry.announced = true;
      this.store.save({ run, announced: true });
    } catch (error) {
      this.options.log?.(`could not publish the state change of glue run ${run.Id}: ${error}`);
    }
  }
}

/** The ErrorMessage of a run whose process was lost with the emulator: what happened, and how to run the file again. */
function interruptedMessage(run: JobRun): string {
  return `The run was interrupted: the emulator stopped (it was killed or crashed) while the run was ${run.JobRunState}, `
    + `so its Spark process was stopped and its outputs were discarded. ${rerunHint(run)}`;
}

function rerunHint(run: JobRun): string {
  const input = run.Arguments['--input_uri'];
  return input ? `Run the file again with \`npm run reprocess -- ${input}\`.` : 'Start the run again.';
}
