import { isNullToken } from './contract-columns.js';
import { delimiterName, detectDelimiter } from './detect-delimiter.js';
import { detectEncoding } from './detect-encoding.js';
import type { FileSample } from './file-sample.js';
import { givenDateFormat, inferDateFormat } from './infer-date-format.js';
import { inferDecimalSeparator } from './infer-decimal-separator.js';
import { inferLineKey, inferOrderLevel } from './infer-line-rules.js';
import { matchHeaders, type UnmatchedColumn } from './match-headers.js';
import { profileProblems, type SourceProfile } from './source-profile.js';

/** One choice the inference made, with what in the file made it. */
export interface InferenceDecision {
  topic: string;
  choice: string;
  evidence: string;
  /** Set when the file could not decide: the user must check the choice. */
  warning?: string;
}

export interface InferredProfile {
  profile: SourceProfile;
  decisions: InferenceDecision[];
}

export class UnmatchedRequiredColumnsError extends Error {
  override readonly name = 'UnmatchedRequiredColumnsError';

  constructor(readonly unmatched: UnmatchedColumn[], readonly decisions: InferenceDecision[]) {
    super(unmatched.map((item) => `required column ${item.column} matches no header; candidates: ${item.candidates.length > 0 ? item.candidates.slice(0, 6).map((header) => `"${header}"`).join(', ') : 'none (every header is taken)'}`).join('\n')
      + `\nname the header with --map ${unmatched[0]!.column}=HEADER (repeat --map for each column)`);
  }
}

export const DEFAULT_SAMPLE_RECORDS = 5000;

/**
 * Infers a source profile from the opening of an export: encoding, delimiter, header mapping, date
 * pattern, decimal separator, line key and order-level columns, each with the evidence for it.
 */
export function inferProfile(options: {
  name: string;
  sample: FileSample;
  maxRecords?: number;
  /** Contract column → header, decided by the user (--map). */
  overrides?: Record<string, string>;
  preferDayFirst?: boolean;
  /** A Spark datetime pattern decided by the user (--date-format), used instead of inferring one. */
  dateFormat?: string;
}): InferredProfile {
  const { sample } = options;
  const decisions: InferenceDecision[] = [];
  const encoding = detectEncoding(sample.bytes, { complete: sample.complete });
  decisions.push({ topic: 'encoding', choice: encoding.encoding, evidence: encoding.evidence });

  const maxRecords = options.maxRecords ?? DEFAULT_SAMPLE_RECORDS;
  const delimiter = detectDelimiter(encoding.text, { maxRecords: maxRecords + 1, complete: sample.complete });
  decisions.push({ topic: 'delimiter', choice: delimiterName(delimiter.delimiter), evidence: delimiter.evidence });
  const [header = [], ...data] = delimiter.records;
  const whole = sample.complete && data.length < maxRecords;
  decisions.unshift({
    topic: 'sample',
    choice: `${data.length} data records`,
    evidence: `${whole ? 'the whole file' : `the first ${data.length} records of the file (--sample-rows)`}${sample.gzip ? ', gzip-compressed' : ''}`,
  });

  // Records with more or fewer fields than the header are malformed: their values sit under the wrong headers.
  const wellFormed = data.filter((record) => record.length === header.length);
  const valuesUnder = (name: string) => {
    const index = header.indexOf(name);
    return wellFormed.map((record) => record[index]!).filter((value) => !isNullToken(value));
  };
  const matching = matchHeaders(header, { overrides: options.overrides, valuesOf: (name) => valuesUnder(name).slice(0, 200) });
  for (const match of matching.matches) decisions.push({ topic: 'column', choice: `${match.column} ← "${match.header}"`, evidence: match.why });
  decisions.push({ topic: 'ignored', choice: `${matching.ignored.length} header(s)`, evidence: matching.ignored.length > 0 ? matching.ignored.map((name) => `"${name}"`).join(', ') : 'every header is mapped' });
  if (matching.unmatchedRequired.length > 0) throw new UnmatchedRequiredColumnsError(matching.unmatchedRequired, decisions);

  const columns = Object.fromEntries(matching.matches.map((match) => [match.column, match.header]));
  const position = (column: string) => (column in columns ? header.indexOf(columns[column]!) : undefined);
  const valuesOf = (column: string) => (column in columns ? valuesUnder(columns[column]!) : []);

  const dateColumn = { header: columns.order_date!, values: valuesOf('order_date') };
  const dates = options.dateFormat !== undefined ? givenDateFormat(dateColumn, options.dateFormat) : inferDateFormat(dateColumn, { preferDayFirst: options.preferDayFirst });
  decisions.push({ topic: 'date format', choice: dates.pattern, evidence: dates.evidence, ...(dates.ambiguity ? { warning: dates.ambiguity } : {}) });

  const numeric = ['quantity', 'unit_price', 'discount'].filter((column) => column in columns);
  const decimal = inferDecimalSeparator(numeric.map((column) => ({ header: columns[column]!, values: valuesOf(column) })));
  decisions.push({ topic: 'decimal separator', choice: `"${decimal.separator}"`, evidence: decimal.evidence });

  const records = { records: wellFormed, position };
  const lineKey = inferLineKey(records, { lineIdHeader: columns.line_id });
  decisions.push({ topic: 'line key', choice: lineKey.lineKey, evidence: lineKey.evidence });
  const orderLevel = inferOrderLevel(records, columns);
  decisions.push({ topic: 'order level', choice: orderLevel.columns.length > 0 ? orderLevel.columns.join(', ') : '(none)', evidence: orderLevel.evidence });

  const profile: SourceProfile = {
    name: options.name,
    format: { delimiter: delimiter.delimiter, encoding: encoding.encoding, decimal_separator: decimal.separator, date_formats: [dates.pattern] },
    line_key: lineKey.lineKey,
    ...(orderLevel.columns.length > 0 ? { order_level: orderLevel.columns } : {}),
    columns,
  };
  const problems = profileProblems(profile);
  if (problems.length > 0) throw new Error(`the inferred profile breaks the profile rules, a bug in profiles/: ${problems.join('; ')}`);
  return { profile, decisions };
}

/** The decisions as aligned lines for a terminal: topic, choice, evidence; warnings marked. */
export function formatDecisions(decisions: InferenceDecision[]): string {
  const topicWidth = Math.max(...decisions.map((decision) => decision.topic.length));
  return decisions.map((decision) => {
    const line = `  ${decision.topic.padEnd(topicWidth)}  ${decision.choice}\n  ${' '.repeat(topicWidth)}    ${decision.evidence}`;
    return decision.warning ? `${line}\n  ${' '.repeat(topicWidth)}    CHECK: ${decision.warning}` : line;
  }).join('\n');
}
