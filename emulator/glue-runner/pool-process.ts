import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, renameSync, rmSync, writeFileSync, type WriteStream } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The launcher spark-submit runs in a pre-warmed process (it prints READY_LINE once warm). */
export const poolWorkerScript = join(dirname(fileURLToPath(import.meta.url)), 'pool_worker.py');
const READY_LINE = 'glue-runner-pool: ready';
const WARMUP_FAILED_LINE = 'glue-runner-pool: warm-up failed';

export type PoolProcessState = 'warming' | 'ready' | 'assigned' | 'gone';

/** What a run hands a pre-warmed process: everything a cold run's command line and environment carry. */
export interface PoolAssignment {
  script: string;
  pyFiles: string[];
  argv: string[];
  /** Variables to set, or to unset (null), in the Python driver before the script is imported. */
  env: Record<string, string | null>;
  /** bucket → the local folder its s3:// paths resolve to. */
  buckets: Record<string, string>;
  cwd: string;
}

/**
 * One pre-warmed Spark process of a job: spark-submit running pool_worker.py in its own folder, which
 * holds the warm-up's copy of the job's files and its scratch outputs (removed with the process). Its
 * output goes to the folder's log until a run takes it; then it is the run's process and the run's output.
 */
export class PoolProcess {
  state: PoolProcessState = 'warming';
  readonly startedAt = new Date();
  readySince?: Date;
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  private readonly log: WriteStream;
  private readonly onOutput: (chunk: string) => void;
  private partial = '';

  constructor(readonly options: {
    jobName: string;
    /** Digest of the job's script and Python files the process warmed with: a run with others cannot take it. */
    digest: string;
    /** ETags of the job's files in S3 when it started: when they change, it is stale. */
    signature: string;
    dir: string;
    command: string;
    args: string[];
    env: NodeJS.ProcessEnv;
    onReady: (process: PoolProcess) => void;
    onWarmUpFailed: (process: PoolProcess) => void;
  }) {
    this.log = createWriteStream(join(options.dir, 'output.log'));
    this.child = spawn(options.command, options.args, { cwd: options.dir, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: options.env });
    this.onOutput = (chunk: string) => this.log.write(chunk);
    for (const stream of [this.child.stdout!, this.child.stderr!]) {
      stream.setEncoding('utf8');
      stream.on('data', this.onOutput);
    }
    this.child.stdout!.on('data', this.watchLines);
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => {
      this.state = 'gone';
      this.log.end();
      resolve(code);
    }));
    this.child.once('error', () => undefined);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /**
   * Hands the process to a run: detaches the pool's output handling (the caller attaches the run's, in
   * the same tick, so no output is lost) and writes the assignment the worker is polling for.
   */
  assign(assignment: PoolAssignment): ChildProcess {
    if (this.state !== 'ready') throw new Error(`pre-warmed process ${this.pid} of job ${this.options.jobName} is ${this.state}, not ready`);
    this.state = 'assigned';
    for (const stream of [this.child.stdout!, this.child.stderr!]) stream.off('data', this.onOutput);
    this.child.stdout!.off('data', this.watchLines);
    this.log.end();
    const file = join(this.options.dir, 'assignment.json');
    writeFileSync(`${file}.tmp`, JSON.stringify({
      script: assignment.script, py_files: assignment.pyFiles, argv: assignment.argv, env: assignment.env, buckets: assignment.buckets, cwd: assignment.cwd,
    }));
    renameSync(`${file}.tmp`, file);
    return this.child;
  }

  /** Kills the process (and its JVM's children) and, once it is gone, its folder. */
  async discard(): Promise<void> {
    if (this.state !== 'gone') {
      try {
        process.kill(-this.child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
      await this.exited;
    }
    this.removeFolder();
  }

  removeFolder(): void {
    rmSync(this.options.dir, { recursive: true, force: true });
  }

  private readonly watchLines = (chunk: string) => {
    const lines = (this.partial + chunk).split('\n');
    this.partial = lines.pop()!.slice(-4096);
    for (const line of lines) {
      if (line.trim() === WARMUP_FAILED_LINE) this.options.onWarmUpFailed(this);
      if (line.trim() === READY_LINE && this.state === 'warming') {
        this.state = 'ready';
        this.readySince = new Date();
        this.options.onReady(this);
      }
    }
  };
}
