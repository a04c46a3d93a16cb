import { Ajv2020 } from 'ajv/dist/2020.js';
import schema from '../glue/sales_cleaning/run-manifest.schema.json' with { type: 'json' };

/**
 * The run manifest the Glue job writes at the end of every run (manifests/<run_id>.json, DESIGN 4.3),
 * checked against the JSON Schema the job's tests hold its output to
 * (glue/sales_cleaning/run-manifest.schema.json).
 */
export interface RunCounts {
  rows_read: number;
  rows_clean: number;
  rows_rejected: number;
  duplicates_dropped: number;
  blank_lines: number;
}

export interface OutputObject {
  uri: string;
  size: number;
}

export interface RunManifest {
  run_id: string;
  source: { uri: string; version: string | null; size: number | null; modified_at: string | null };
  started_at: string;
  ended_at: string;
  run_date: string;
  status: 'succeeded' | 'rejected_file' | 'failed';
  counts: RunCounts | null;
  reasons?: Record<string, number>;
  ignored_columns?: string[];
  has_line_id?: boolean;
  quality?: Record<string, number>;
  outputs: { clean: OutputObject[]; rejected: OutputObject[] };
  copy_manifests?: { clean: string; rejected: string };
  checks?: { name: string; passed: boolean; detail: string }[];
  sample_rejections?: { source_line: number; reasons: string[]; raw_record: string }[];
  /** The source profile the run was given (docs/data-contract.md, Source profiles); absent without one. */
  source_profile?: { name: string; digest: string | null };
  reason?: string;
  /** For a rejected file: what exactly is wrong (an invalid profile's problems). */
  detail?: string;
  error?: string;
}

const validate = new Ajv2020({ allErrors: true }).compile(schema);

/** What makes a parsed manifest break the schema, one line per problem (empty when it conforms). */
export function runManifestProblems(manifest: unknown): string[] {
  if (validate(manifest)) return [];
  // A branch of the schema that fails also leaves its properties unevaluated and its `if` unmatched:
  // those follow from the real problems, so they are listed only when nothing else is wrong.
  const errors = validate.errors ?? [];
  const causes = errors.filter((error) => error.keyword !== 'if' && error.keyword !== 'unevaluatedProperties');
  return (causes.length > 0 ? causes : errors).map((error) => {
    const where = error.instancePath === '' ? 'the manifest' : error.instancePath.slice(1).replaceAll('/', '.');
    const extra = error.keyword === 'unevaluatedProperties' ? ` (${String((error.params as { unevaluatedProperty?: string }).unevaluatedProperty)})` : '';
    return `${where} ${error.message ?? 'is invalid'}${extra}`;
  });
}
