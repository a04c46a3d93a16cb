import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../stage/python-env.js';

type Row = Record<string, string | number | null>;

export interface ExportTruth {
  source: string;
  counts: { rows_read: number; rows_clean: number; rows_rejected: number; duplicates_dropped: number; blank_lines: number };
  reasons: Record<string, number>;
}

export interface FixtureRun {
  truth: ExportTruth;
  runId: string;
  sourceUri: string;
  /** Day the run started, YYYY-MM-DD. */
  day: string;
  rejected: { source_line: number; reasons: string[]; raw_record: string }[];
}

const exportsDir = join(projectRoot, 'test', 'fixtures', 'exports');

/**
 * One loaded run per export fixture (test/fixtures/exports), on consecutive days from 2026-11-20, with
 * the counts and rejected rows its hand-computed truth says: what load_audit and sales_rejected hold
 * once the pipeline has cleaned them.
 */
export function exportFixtureRuns(): FixtureRun[] {
  return readdirSync(exportsDir).filter((file) => file.endsWith('.truth.json')).sort().map((file, index) => {
    const truth = JSON.parse(readFileSync(join(exportsDir, file), 'utf8')) as ExportTruth & { rejected_rows_file: string };
    const rejected = readFileSync(join(exportsDir, truth.rejected_rows_file), 'utf8').split('\n').filter(Boolean)
      .map((line) => JSON.parse(line) as FixtureRun['rejected'][number]);
    const dataFile = readdirSync(exportsDir).find((name) => name.startsWith(`${truth.source}.csv`))!;
    return {
      truth, rejected, runId: `${truth.source}-run`, sourceUri: `s3://data/raw/${truth.source}/${dataFile}`, day: `2026-11-${String(20 + index).padStart(2, '0')}`,
    };
  });
}

/** The load_audit and sales_rejected rows of the runs. */
export function warehouseRowsOf(runs: FixtureRun[]): { audit: Row[]; rejected: Row[] } {
  return {
    audit: runs.map((run) => ({
      run_id: run.runId, job_run_id: `jr_${run.runId}`, source_uri: run.sourceUri, source_version: 'v1', source_name: run.truth.source, status: 'loaded',
      ...run.truth.counts, started_at: `${run.day} 10:00:00`, ended_at: `${run.day} 10:01:00`, loaded_at: `${run.day} 10:02:00`, error: null,
    })),
    rejected: runs.flatMap((run) => run.rejected.map((row) => ({
      run_id: run.runId, source_uri: run.sourceUri, source_line: row.source_line, raw_record: row.raw_record, reasons: row.reasons.join(';'),
      rejected_at: `${run.day} 10:02:00`,
    }))),
  };
}
