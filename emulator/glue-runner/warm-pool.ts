import { createHash, randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { GetJobsCommand, type GlueClient, type Job } from '@aws-sdk/client-glue';
import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { isS3Uri, parseS3Uri } from '../../contract/s3-uri.js';
import { generateSales } from '../../generator/generate-sales.js';
import { driverConf, mergeJobArguments, s3MountConf, scriptArgv, sparkSubmitArgs } from './job-command.js';
import { PoolProcess, poolWorkerScript, type PoolAssignment } from './pool-process.js';
import { unassignedEnvironment } from './run-environment.js';
import { S3Mount } from './s3-mount.js';

/** The bucket the dry run reads its sample from and writes its outputs to: a scratch folder, never S3. */
const WARMUP_BUCKET = 'glue-runner-warmup';
/** Rows of the dry run's sample: enough for every kind of dirt the generator writes, small enough to take a second. */
const WARMUP_ROWS = 400;

export interface WarmPoolOptions {
  /** Pre-warmed processes kept per job (GLUE_RUNNER_POOL); 0 turns the pool off. */
  size: number;
  /** The pool's folder (under the runner's work folder, so that orphans are found by command line). */
  dir: string;
  glue: GlueClient;
  s3: S3Client;
  sparkSubmit: string;
  /** Environment of every Spark process (PYSPARK_PYTHON and the like), before any run's. */
  sparkEnv: Record<string, string>;
  /** A ready process older than this is replaced (a fresh JVM, fresh credentials). */
  idleLimitMs?: number;
  /** How often the pool looks for new and changed jobs. */
  sweepMs?: number;
  /**
   * Whether runs of the job are running or queued. A replacement waits until none are: under a burst of
   * runs its warm-up (a JVM and a dry run of the job) would only add work to the queue's CPU.
   */
  busy?: (jobName: string) => boolean;
  log?: (message: string) => void;
}

export interface PoolProcessStatus {
  jobName: string;
  pid: number;
  state: 'warming' | 'ready';
  since: string;
}

/** Where the pool says which processes it keeps (what dev:status reads, from another process). */
export function poolStatusFile(poolDir: string): string {
  return join(poolDir, 'status.json');
}

/** The digest of a run's (or a warm-up's) script and Python files: equal digests, same code. */
export function artifactDigest(files: string[]): string {
  const hash = createHash('sha256');
  for (const file of files) hash.update(createHash('sha256').update(readFileSync(file)).digest('hex')).update('\n');
  return hash.digest('hex');
}

/**
 * Keeps `size` Spark processes per glueetl job started before any run needs one: Python, the JVM and the
 * SparkSession up, and the JVM warmed by a dry run of the job on a small generated sample (the pipeline's
 * job contract: --input_uri and --output_uri; another job's dry run just fails, harmlessly, with no AWS
 * reachable and only scratch folders mounted). A run takes a ready process whose files are its own (by
 * digest), or starts cold. A replacement starts once the taken process has ended and no run of the job
 * runs or waits, so that it never competes with runs for the CPU. A process that dies, outlives its idle limit, or whose job's files
 * or definition changed is replaced.
 */
export class WarmPool {
  private readonly processes = new Set<PoolProcess>();
  private timer?: NodeJS.Timeout;
  private sweeping?: Promise<void>;
  private stopped = false;
  /** Failed warm-ups in a row per job, and when the next attempt may start. */
  private readonly failures = new Map<string, { count: number; retryAt: number }>();

  constructor(private readonly options: WarmPoolOptions) {}

  /** Starts keeping the pool; call it once no process of an earlier pool runs any more (after recover()). */
  start(): void {
    if (this.options.size <= 0) return;
    mkdirSync(this.options.dir, { recursive: true });
    // Folders an earlier emulator's processes left: their processes are gone, their dry runs are scratch.
    for (const entry of readdirSync(this.options.dir)) if (entry !== 'sample') rmSync(join(this.options.dir, entry), { recursive: true, force: true });
    this.writeStatus();
    this.sweep();
    this.timer = setInterval(() => this.sweep(), this.options.sweepMs ?? 5000);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.sweeping;
    await Promise.all([...this.processes].filter((pooled) => pooled.state !== 'assigned').map((pooled) => pooled.discard()));
    this.writeStatus();
  }

  /** A ready process of the job that warmed with exactly these files, now the caller's; else undefined (start cold). */
  take(jobName: string, digest: string, assignment: PoolAssignment): ReturnType<PoolProcess['assign']> | undefined {
    for (const pooled of this.processes) {
      if (pooled.options.jobName !== jobName || pooled.state !== 'ready') continue;
      if (pooled.options.digest !== digest) {
        this.options.log?.(`glue pool: the pre-warmed process ${pooled.pid} of ${jobName} warmed with other job files than this run's (changed since); it is replaced`);
        void this.retire(pooled);
        continue;
      }
      const child = pooled.assign({ ...assignment, env: coldEnvironment(assignment.env) });
      this.writeStatus();
      return child;
    }
    return undefined;
  }

  /** Looks at every job once: starts what is missing, retires what is stale. One sweep at a time. */
  private sweep(): void {
    if (this.sweeping || this.stopped) return;
    this.sweeping = this.sweepJobs()
      .catch((error) => this.options.log?.(`glue pool: ${(error as Error).message}`))
      .finally(() => { this.sweeping = undefined; });
  }

  private async sweepJobs(): Promise<void> {
    const jobs = (await this.sparkJobs()).filter((job) => job.Name);
    const names = new Set(jobs.map((job) => job.Name!));
    for (const pooled of this.processes) {
      if (!names.has(pooled.options.jobName) && pooled.state !== 'assigned') await this.retire(pooled);
    }
    for (const job of jobs) {
      if (this.stopped) return;
      const signature = await this.signature(job);
      const idleLimit = this.options.idleLimitMs ?? 30 * 60_000;
      for (const pooled of this.processes) {
        if (pooled.options.jobName !== job.Name || pooled.state === 'assigned') continue;
        if (pooled.options.signature !== signature) {
          this.options.log?.(`glue pool: the files or definition of ${job.Name} changed; its pre-warmed process ${pooled.pid} is replaced`);
          await this.retire(pooled);
        } else if (pooled.readySince && Date.now() - pooled.readySince.getTime() > idleLimit) {
          this.options.log?.(`glue pool: the pre-warmed process ${pooled.pid} of ${job.Name} was idle past its limit; it is replaced`);
          await this.retire(pooled);
        }
      }
      // A taken process counts until it ends, and a replacement waits while runs of the job run or
      // queue: both would compete with it for the CPU.
      const kept = [...this.processes].filter((pooled) => pooled.options.jobName === job.Name).length;
      const failure = this.failures.get(job.Name!);
      const busy = this.options.busy?.(job.Name!) ?? false;
      if (kept < this.options.size && !busy && !(failure && Date.now() < failure.retryAt)) await this.startProcess(job, signature);
    }
  }

  private async sparkJobs(): Promise<Job[]> {
    const jobs: Job[] = [];
    let NextToken: string | undefined;
    do {
      const page = await this.options.glue.send(new GetJobsCommand({ NextToken }));
      jobs.push(...(page.Jobs ?? []));
      NextToken = page.NextToken;
    } while (NextToken);
    return jobs.filter((job) => job.Command?.Name === 'glueetl' && isS3Uri(job.Command.ScriptLocation ?? ''));
  }

  /** What a warm process depends on: the job's definition and the current versions of its files. */
  private async signature(job: Job): Promise<string> {
    const etags: string[] = [];
    for (const uri of jobFiles(job)) {
      const { bucket, key } = parseS3Uri(uri);
      const head = await this.options.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })).catch(() => undefined);
      etags.push(`${uri}=${head?.ETag ?? 'missing'}`);
    }
    return JSON.stringify({ command: job.Command, defaults: job.DefaultArguments ?? {}, etags });
  }

  private async startProcess(job: Job, signature: string): Promise<void> {
    const dir = join(this.options.dir, `${job.Name!.replace(/[^\w.-]/g, '_')}-${randomBytes(4).toString('hex')}`);
    mkdirSync(dir, { recursive: true });
    const mount = new S3Mount(this.options.s3, join(dir, 's3'));
    const fetch = async (uri: string, folder: string) => {
      const { bucket, key } = parseS3Uri(uri);
      const target = join(dir, folder, basename(key));
      if (!(await mount.download(bucket, key, target))) throw new Error(`${uri} does not exist`);
      return target;
    };
    let pooled: PoolProcess;
    try {
      const script = await fetch(job.Command!.ScriptLocation!, 'script');
      const pyFiles: string[] = [];
      for (const uri of pyFileUris(job)) pyFiles.push(await fetch(uri, 'py-files'));
      const warmupBucket = join(mount.dir, WARMUP_BUCKET);
      this.copySample(join(warmupBucket, 'raw', 'sample.csv'));
      // The sample as a local path: the job fetches an s3:// input through the S3 API, which a dry run never reaches.
      const args = mergeJobArguments({
        defaults: job.DefaultArguments ?? {},
        run: { '--input_uri': join(warmupBucket, 'raw', 'sample.csv'), '--output_uri': `s3://${WARMUP_BUCKET}/out/`, '--run_id': 'glue-runner-warmup' },
        jobName: job.Name!, runId: 'jr_glue_runner_warmup',
      });
      writeFileSync(join(dir, 'warmup.json'), JSON.stringify({ script, py_files: pyFiles, argv: scriptArgv(args), buckets: [WARMUP_BUCKET] }));
      pooled = new PoolProcess({
        jobName: job.Name!, digest: artifactDigest([script, ...pyFiles]), signature, dir,
        command: this.options.sparkSubmit,
        args: sparkSubmitArgs({ script: poolWorkerScript, name: basename(script), pyFiles: [], conf: [...s3MountConf({ buckets: [WARMUP_BUCKET], mountDir: mount.dir }), ...driverConf(undefined)], args: [dir] }),
        env: { ...process.env, ...this.options.sparkEnv, ...unassignedEnvironment() },
        onReady: (ready) => {
          this.failures.delete(job.Name!);
          this.options.log?.(`glue pool: pre-warmed process ${ready.pid} of ${job.Name} ready in ${((Date.now() - ready.startedAt.getTime()) / 1000).toFixed(1)} s`);
          this.writeStatus();
        },
        onWarmUpFailed: (failed) => this.options.log?.(`glue pool: the dry run of ${job.Name} failed in process ${failed.pid} (see ${join(dir, 'output.log')}); its session is warm all the same`),
      });
    } catch (error) {
      this.noteFailure(job.Name!, `could not prepare a pre-warmed process of ${job.Name}: ${(error as Error).message}`);
      return;
    }
    this.processes.add(pooled);
    this.writeStatus();
    void pooled.exited.then((code) => {
      const diedWarming = pooled.readySince === undefined && !this.stopped;
      this.processes.delete(pooled);
      pooled.removeFolder();
      if (diedWarming) this.noteFailure(job.Name!, `the pre-warmed process ${pooled.pid} of ${job.Name} exited (code ${code}) before it was ready; see its log ${join(dir, 'output.log')}`);
      this.writeStatus();
      this.sweep();
    });
  }

  private noteFailure(jobName: string, message: string): void {
    const count = (this.failures.get(jobName)?.count ?? 0) + 1;
    // Backs off 5 s, 10 s, 20 s … up to 5 minutes, so a job that cannot warm does not keep two cores busy.
    const delayMs = Math.min(5 * 60_000, 5000 * 2 ** (count - 1));
    this.failures.set(jobName, { count, retryAt: Date.now() + delayMs });
    this.options.log?.(`glue pool: ${message}; next attempt in ${Math.round(delayMs / 1000)} s`);
  }

  private async retire(pooled: PoolProcess): Promise<void> {
    this.processes.delete(pooled);
    await pooled.discard();
    this.writeStatus();
  }

  /** The dry run's input: a small dirty sales file from the project's generator, made once. */
  private copySample(target: string): void {
    const sample = join(this.options.dir, 'sample', 'sales_sample.csv');
    if (!existsSync(sample)) {
      mkdirSync(join(this.options.dir, 'sample'), { recursive: true });
      generateSales({ rows: WARMUP_ROWS, seed: 20_240_305, out: sample, truthRowsLimit: 0, dirtyRate: 0.2 });
    }
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(sample, target);
  }

  private writeStatus(): void {
    const status: PoolProcessStatus[] = [...this.processes]
      .filter((pooled) => (pooled.state === 'warming' || pooled.state === 'ready') && pooled.pid !== undefined)
      .map((pooled) => ({
        jobName: pooled.options.jobName, pid: pooled.pid!, state: pooled.state as 'warming' | 'ready',
        since: (pooled.readySince ?? pooled.startedAt).toISOString(),
      }));
    const file = poolStatusFile(this.options.dir);
    mkdirSync(this.options.dir, { recursive: true });
    writeFileSync(`${file}.tmp`, JSON.stringify(status, null, 2));
    renameSync(`${file}.tmp`, file);
  }
}

/**
 * The environment a cold run's process would have, as changes to the pre-warmed one's: the run's own
 * variables, and the variables the pool set to reach no AWS back to the emulator's values, or unset
 * (null) where the emulator has none. So the script sees the same environment on either path.
 */
function coldEnvironment(runEnv: Record<string, string | null>): Record<string, string | null> {
  const restored = Object.fromEntries(Object.keys(unassignedEnvironment()).map((name) => [name, process.env[name] ?? null]));
  return { ...restored, ...runEnv };
}

function pyFileUris(job: Job): string[] {
  return (job.DefaultArguments?.['--extra-py-files'] ?? '').split(',').map((uri) => uri.trim()).filter(Boolean);
}

function jobFiles(job: Job): string[] {
  return [job.Command?.ScriptLocation ?? '', ...pyFileUris(job)].filter(Boolean);
}
