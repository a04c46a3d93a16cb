import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, inject } from 'vitest';
import { generateSales, type GenerateOptions } from '../../generator/generate-sales.js';
import { followRun, type AuditRecord, type RunProgress } from '../../drivers/follow-run.js';
import { localPipeline, type PipelineHandle } from '../../drivers/local-pipeline.js';
import { describeProgress } from '../../drivers/progress-text.js';
import { uploadFile, type UploadedObject } from '../../drivers/upload-file.js';

/** The shared local stage, or undefined when the tier is skipped (a prerequisite is missing off CI). */
export function sharedStage(): PipelineHandle | undefined {
  const stage = inject('stage');
  if (!stage) return undefined;
  const pipeline = localPipeline(stage);
  afterAll(() => pipeline.destroy());
  return pipeline;
}

export interface GeneratedFile {
  csv: string;
  truth: string;
}

/** A generated sales file and its ground truth in a fresh folder. */
export function generatedFile(options: Omit<GenerateOptions, 'out'> & { name?: string }): GeneratedFile {
  const out = join(mkdtempSync(join(tmpdir(), 'sdp-e2e-data-')), options.name ?? 'sales_data.csv');
  const { csvPath, truthPath } = generateSales({ ...options, out });
  return { csv: csvPath, truth: truthPath };
}

export async function upload(pipeline: PipelineHandle, file: string, key: string): Promise<UploadedObject> {
  return uploadFile(pipeline.s3, { file, bucket: pipeline.bucket, key });
}

/** Waits until the loader audited the run, logging its phases so a slow CI run shows where it is; the default
 * stays under the tier's 15-minute test timeout, since concurrent tests queue their runs behind each other. */
export function loaded(pipeline: PipelineHandle, runId: string, timeoutMs = 14 * 60_000): Promise<AuditRecord> {
  const log = (progress: RunProgress) => console.log(`  ${runId} ${describeProgress(progress)}`);
  return followRun({ glue: pipeline.glue, warehouse: pipeline.warehouse, jobName: pipeline.jobName, runId, timeoutMs, onProgress: log });
}
