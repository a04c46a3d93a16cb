// `npm run sources:infer -- --input FILE --name NAME [--out DIR] [--force] [--map COLUMN=HEADER ...] [--dates day-first|month-first] [--date-format PATTERN] [--sample-rows N]`:
// infers a source profile from an export, prints every decision with its evidence and writes DIR/NAME.json (default sources/).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isSourceName } from '../contract/source-name.js';
import { readFileSample } from '../profiles/file-sample.js';
import { DEFAULT_SAMPLE_RECORDS, formatDecisions, inferProfile, UnmatchedRequiredColumnsError } from '../profiles/infer-profile.js';
import { formatSourceProfile } from '../profiles/source-profile.js';
import { sparkPatternProblems } from '../profiles/spark-date-pattern.js';
import { projectRoot } from '../stage/python-env.js';

const usage = 'usage: npm run sources:infer -- --input FILE --name NAME [--out DIR] [--force] [--map COLUMN=HEADER ...] [--dates day-first|month-first] [--date-format PATTERN] [--sample-rows N]';

function fail(message: string, code = 2): never {
  console.error(`sources:infer: ${message}`);
  process.exit(code);
}

const { values } = parseArgs({
  options: {
    input: { type: 'string' }, name: { type: 'string' }, out: { type: 'string' }, force: { type: 'boolean', default: false },
    map: { type: 'string', multiple: true, default: [] }, dates: { type: 'string' }, 'date-format': { type: 'string' }, 'sample-rows': { type: 'string' },
  },
});
const input = values.input ?? fail(`--input FILE is required. ${usage}`);
const name = values.name ?? fail(`--name NAME is required. ${usage}`);
if (!existsSync(input)) fail(`input file not found: ${input}`);
if (!isSourceName(name)) fail(`--name "${name}" is not a profile name: lower-case letters, digits and '-' (it becomes raw/${name}/ and sources/${name}.json)`);
if (values.dates !== undefined && values.dates !== 'day-first' && values.dates !== 'month-first') fail(`--dates must be day-first or month-first, got "${values.dates}"`);
const datePatternProblems = values['date-format'] === undefined ? [] : sparkPatternProblems(values['date-format']);
if (datePatternProblems.length > 0) fail(`--date-format: ${datePatternProblems.join('; ')}`);
const sampleRows = values['sample-rows'] === undefined ? DEFAULT_SAMPLE_RECORDS : Number(values['sample-rows']);
if (!Number.isInteger(sampleRows) || sampleRows < 1) fail(`--sample-rows must be a positive whole number, got "${values['sample-rows']}"`);
const overrides = Object.fromEntries(values.map.map((pair) => {
  const separator = pair.indexOf('=');
  if (separator <= 0) fail(`--map takes COLUMN=HEADER (e.g. --map order_id="Order Ref"), got "${pair}"`);
  return [pair.slice(0, separator).trim(), pair.slice(separator + 1)];
}));
const outDir = resolve(values.out ?? join(projectRoot, 'sources'));
const target = join(outDir, `${name}.json`);
if (existsSync(target) && !values.force) fail(`${target} exists: review or remove it, or pass --force to overwrite it`);

try {
  const sample = await readFileSample(input);
  const { profile, decisions } = inferProfile({
    name, sample, maxRecords: sampleRows, overrides, dateFormat: values['date-format'], ...(values.dates ? { preferDayFirst: values.dates === 'day-first' } : {}),
  });
  console.log(`sources:infer ${input} → ${target}\n${formatDecisions(decisions)}`);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(target, formatSourceProfile(profile));
  const warnings = decisions.filter((decision) => decision.warning).length;
  console.log(`\nwrote ${target}${warnings > 0 ? ` (${warnings} choice(s) marked CHECK above)` : ''}. Review it, then upload files with: npm run upload -- FILE --source ${name}`);
} catch (error) {
  if (error instanceof UnmatchedRequiredColumnsError) {
    console.error(`sources:infer ${input}\n${formatDecisions(error.decisions)}\n`);
    fail(`${error.message}; nothing written`, 1);
  }
  fail(`${(error as Error).message}; nothing written`, 1);
}
