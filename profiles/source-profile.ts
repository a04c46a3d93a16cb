import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { requiredColumns, sourceProfileSchemaPath } from './contract-columns.js';
import { sparkPatternProblems } from './spark-date-pattern.js';

/** A source profile (docs/data-contract.md, Source profiles; glue/sales_cleaning/source-profile.schema.json). */
export interface SourceProfile {
  name: string;
  format?: {
    delimiter?: ',' | ';' | '\t' | '|';
    encoding?: 'utf-8' | 'utf-16' | 'windows-1252' | 'iso-8859-1';
    decimal_separator?: '.' | ',';
    date_formats?: string[];
  };
  line_key?: 'line_id' | 'product' | 'product_occurrence';
  columns?: Record<string, string>;
  order_level?: string[];
}

export const sourceProfileSchema = JSON.parse(readFileSync(sourceProfileSchemaPath, 'utf8')) as Record<string, unknown>;

const validateSchema = new Ajv2020({ allErrors: true, strict: true }).compile(sourceProfileSchema);

/** The schema's findings as `path: message` lines. */
function schemaProblems(profile: unknown): string[] {
  if (validateSchema(profile)) return [];
  return (validateSchema.errors ?? []).map((error) => {
    const where = error.instancePath || '(the profile)';
    const allowed = error.params && 'allowedValues' in error.params ? ` (${(error.params.allowedValues as unknown[]).map((value) => JSON.stringify(value)).join(', ')})` : '';
    const property = error.params && 'additionalProperty' in error.params ? ` "${String(error.params.additionalProperty)}"` : '';
    return `${where}: ${error.message}${property}${allowed}`;
  });
}

/** The rules the schema cannot say; the profile has passed the schema. */
function ruleProblems(profile: SourceProfile, fileName: string | undefined): string[] {
  const problems: string[] = [];
  if (fileName !== undefined && `${profile.name}.json` !== fileName) {
    problems.push(`/name: "${profile.name}" differs from the file name ${fileName}: a profile is sources/<name>.json, as files under raw/<name>/ find it`);
  }
  const { columns } = profile;
  if (columns) {
    const unmapped = requiredColumns.filter((column) => !(column in columns));
    if (unmapped.length > 0) problems.push(`/columns: the required contract column(s) ${unmapped.join(', ')} are not mapped to a header`);
    if (profile.line_key === 'line_id' && !('line_id' in columns)) {
      problems.push('/line_key: "line_id" needs columns.line_id, the header that holds the line id; map it or choose "product" / "product_occurrence"');
    }
    for (const column of profile.order_level ?? []) {
      if (!(column in columns)) problems.push(`/order_level: "${column}" is not mapped in columns, so no header gives its value`);
    }
  }
  for (const [index, pattern] of (profile.format?.date_formats ?? []).entries()) {
    for (const problem of sparkPatternProblems(pattern)) problems.push(`/format/date_formats/${index}: ${problem}`);
  }
  return problems;
}

/** Every problem of a parsed profile, schema first; an empty list means the profile is valid. `fileName` is the file it came from. */
export function profileProblems(profile: unknown, options: { fileName?: string } = {}): string[] {
  const problems = schemaProblems(profile);
  if (problems.length > 0) return problems;
  return ruleProblems(profile as SourceProfile, options.fileName);
}

export class InvalidSourceProfileError extends Error {
  override readonly name = 'InvalidSourceProfileError';
}

/** Reads and checks sources/<name>.json; throws InvalidSourceProfileError listing every problem. */
export function readSourceProfile(path: string): SourceProfile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new InvalidSourceProfileError(`${path} is not a JSON file: ${(error as Error).message}`, { cause: error });
  }
  const problems = profileProblems(parsed, { fileName: basename(path) });
  if (problems.length > 0) throw new InvalidSourceProfileError(`${path} is not a valid source profile:\n  ${problems.join('\n  ')}`);
  return parsed as SourceProfile;
}

/** The profile as written to sources/<name>.json: fields in the documented order, two-space indent, a final newline. */
export function formatSourceProfile(profile: SourceProfile): string {
  const ordered: SourceProfile = {
    name: profile.name,
    ...(profile.format ? { format: profile.format } : {}),
    ...(profile.line_key ? { line_key: profile.line_key } : {}),
    ...(profile.order_level ? { order_level: profile.order_level } : {}),
    ...(profile.columns ? { columns: profile.columns } : {}),
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}
