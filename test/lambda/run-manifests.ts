import type { RunManifest } from '../../contract/run-manifest.js';

/** A run manifest as the Glue job writes it for a cleaned file (it conforms to run-manifest.schema.json). */
export function succeededManifest(options: { runId: string; bucket?: string; overrides?: Partial<RunManifest> }): RunManifest {
  const bucket = options.bucket ?? 'sales-data';
  const { runId } = options;
  return {
    run_id: runId,
    source: { uri: `s3://${bucket}/raw/sales_data.csv`, version: 'v1', size: 100, modified_at: '2024-03-05T10:00:00Z' },
    started_at: '2024-03-05T10:01:00Z',
    run_date: '2024-03-05',
    status: 'succeeded',
    counts: { rows_read: 10, rows_clean: 8, rows_rejected: 1, duplicates_dropped: 1, blank_lines: 0 },
    reasons: { invalid_date: 1 },
    ignored_columns: [],
    has_line_id: true,
    quality: { invalid_emails: 0, unknown_countries: 0, unknown_payment_methods: 0, unknown_sales_channels: 0, truncated_values: 0, records_with_invalid_utf8: 0, raw_records_truncated: 0 },
    outputs: {
      clean: [{ uri: `s3://${bucket}/cleaned/sales/run_id=${runId}/order_month=2024-03/part-0.parquet`, size: 900 }],
      rejected: [{ uri: `s3://${bucket}/rejected/run_id=${runId}/part-0.parquet`, size: 300 }],
    },
    copy_manifests: {
      clean: `s3://${bucket}/manifests/${runId}.clean.copy.json`,
      rejected: `s3://${bucket}/manifests/${runId}.rejected.copy.json`,
    },
    checks: [{ name: 'reconciliation', passed: true, detail: 'rows_read 10 = clean 8 + rejected 1 + duplicates_dropped 1' }],
    sample_rejections: [{ source_line: 5, reasons: ['invalid_date'], raw_record: 'O-5,L1,not a date,C-1,P-1,1,2.00' }],
    ended_at: '2024-03-05T10:03:00Z',
    ...options.overrides,
  };
}

/** What every manifest carries, whatever the run's outcome. */
function runFacts(runId: string) {
  const { run_id, source, started_at, run_date, ended_at } = succeededManifest({ runId });
  return { run_id, source, started_at, run_date, ended_at };
}

/** The manifest of a file rejected whole: nothing written but the manifest. */
export function rejectedFileManifest(options: { runId: string; reason: string }): RunManifest {
  return { ...runFacts(options.runId), status: 'rejected_file', reason: options.reason, counts: null, outputs: { clean: [], rejected: [] } };
}

/** The manifest of a run that failed: the job writes no counts and no outputs. */
export function failedManifest(options: { runId: string; error: string }): Omit<RunManifest, 'counts' | 'outputs'> {
  return { ...runFacts(options.runId), status: 'failed', error: options.error };
}
