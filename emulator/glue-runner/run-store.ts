import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JobRun } from './job-run.js';

/** A run as the runner keeps it on disk: what GetJobRun answers, and whether its end was announced. */
export interface StoredRun {
  run: JobRun;
  /** Whether the "Glue Job State Change" event of its end went out; false while it runs. */
  announced: boolean;
}

const DATE_FIELDS = ['StartedOn', 'LastModifiedOn', 'CompletedOn'] as const;

/**
 * The runner's run state, one `run.json` per run in the run's folder (beside its log), so that a new
 * emulator process finds the runs an earlier one left, however that one ended. Each write replaces the
 * file whole (write, then rename), so a crash mid-write leaves the previous state, never half a file.
 */
export class RunStore {
  constructor(private readonly dir: string) {}

  save(stored: StoredRun): void {
    const folder = join(this.dir, stored.run.Id);
    mkdirSync(folder, { recursive: true });
    const file = join(folder, 'run.json');
    writeFileSync(`${file}.tmp`, JSON.stringify(stored));
    renameSync(`${file}.tmp`, file);
  }

  /** Every stored run, oldest first. */
  load(): StoredRun[] {
    if (!existsSync(this.dir)) return [];
    const stored: StoredRun[] = [];
    for (const entry of readdirSync(this.dir, { withFileTypes: true })) {
      const file = join(this.dir, entry.name, 'run.json');
      if (!entry.isDirectory() || !existsSync(file)) continue;
      const { run, announced } = JSON.parse(readFileSync(file, 'utf8')) as StoredRun;
      for (const field of DATE_FIELDS) {
        if (run[field] !== undefined) (run as unknown as Record<string, Date>)[field] = new Date(run[field] as unknown as string);
      }
      stored.push({ run, announced });
    }
    return stored.sort((a, b) => a.run.StartedOn.getTime() - b.run.StartedOn.getTime());
  }
}
