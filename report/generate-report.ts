import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RedshiftData } from '../warehouse/redshift-data.js';
import { loadAnalyticsQueries, type AnalyticsQuery } from './analytics-queries.js';
import { resultToCsv } from './csv-writer.js';
import { renderHtmlReport } from './html-report.js';
import { isEmptyWarehouse } from './insights.js';
import { runAnalytics, type AnalyticsProgress, type AnalyticsResults } from './run-analytics.js';

export const reportHtmlFile = 'report.html';

export interface ReportUpload {
  s3: S3Client;
  bucket: string;
  /** Key prefix, e.g. `reports/2026-11-25T11-20-00Z/`. */
  prefix: string;
}

export type ReportProgress =
  | AnalyticsProgress
  | { kind: 'written'; path: string }
  | { kind: 'uploaded'; uri: string };

export interface GeneratedReport {
  results: AnalyticsResults;
  empty: boolean;
  /** Local paths: one CSV per query, then the HTML page. */
  files: string[];
  /** s3:// URIs of the same files, when uploaded. */
  uploaded: string[];
}

/** `reports/2026-11-25T11-20-05Z/`: one folder per run, sortable by time. */
export function reportPrefix(generatedAt: Date): string {
  return `reports/${generatedAt.toISOString().slice(0, 19).replaceAll(':', '-')}Z/`;
}

/** Runs the analytics, writes `<query>.csv` and report.html into outDir, and puts the same files under the upload prefix. */
export async function generateReport(options: {
  warehouse: Pick<RedshiftData, 'query'>;
  outDir: string;
  /** Shown in the page header. */
  source: string;
  upload?: ReportUpload;
  queries?: AnalyticsQuery[];
  generatedAt?: Date;
  onProgress?: (progress: ReportProgress) => void;
}): Promise<GeneratedReport> {
  const { warehouse, outDir, upload, onProgress = () => undefined } = options;
  const results = await runAnalytics({ warehouse, queries: options.queries ?? loadAnalyticsQueries(), onProgress });
  const documents: [string, string, string][] = [
    ...Object.values(results).map((result): [string, string, string] => [`${result.name}.csv`, resultToCsv(result), 'text/csv; charset=utf-8']),
    [reportHtmlFile, renderHtmlReport({ results, source: options.source, generatedAt: options.generatedAt ?? new Date() }), 'text/html; charset=utf-8'],
  ];
  mkdirSync(outDir, { recursive: true });
  const files: string[] = [];
  const uploaded: string[] = [];
  for (const [name, body] of documents) {
    const path = join(outDir, name);
    writeFileSync(path, body);
    files.push(path);
    onProgress({ kind: 'written', path });
  }
  if (upload) {
    for (const [name, body, contentType] of documents) {
      const key = `${upload.prefix}${name}`;
      await upload.s3.send(new PutObjectCommand({ Bucket: upload.bucket, Key: key, Body: body, ContentType: contentType }));
      const uri = `s3://${upload.bucket}/${key}`;
      uploaded.push(uri);
      onProgress({ kind: 'uploaded', uri });
    }
  }
  return { results, empty: isEmptyWarehouse(results), files, uploaded };
}
