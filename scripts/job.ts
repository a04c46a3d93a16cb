import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ensurePythonEnv, PrerequisiteError, projectRoot, requireJava } from '../stage/python-env.js';

/** Runs the Glue job on one local file in Spark local mode, then prints the manifest's counts. */
function fail(message: string): never {
  console.error(`job: ${message}`);
  process.exit(2);
}

const { values } = parseArgs({
  options: { input: { type: 'string' }, output: { type: 'string' }, 'run-date': { type: 'string' }, 'run-id': { type: 'string' }, profile: { type: 'string' } },
});
const input = values.input ?? fail('--input FILE is required (a sales CSV). Usage: npm run job -- --input FILE --output DIR [--profile sources/NAME.json]');
if (!existsSync(input)) fail(`input file not found: ${input}`);
const output = resolve(values.output ?? 'out/job');
if (values.profile !== undefined && !existsSync(values.profile)) fail(`profile not found: ${values.profile} (a source profile, e.g. sources/NAME.json; npm run sources:infer writes one)`);
if (values['run-date'] && !/^\d{4}-\d{2}-\d{2}$/.test(values['run-date'])) fail(`--run-date must be YYYY-MM-DD, got "${values['run-date']}"`);
const runId = values['run-id'] ?? `local-${new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14)}`;
mkdirSync(output, { recursive: true });

let python: string;
try {
  python = ensurePythonEnv({ quiet: true });
  requireJava();
} catch (error) {
  if (error instanceof PrerequisiteError) fail(error.message);
  throw error;
}

const args = ['glue/clean_sales.py', '--input_uri', resolve(input), '--output_uri', output, '--run_id', runId];
if (values['run-date']) args.push('--run_date', values['run-date']);
// The same argument the trigger gives a file under raw/<name>/ on AWS (docs/data-contract.md, Source profiles).
if (values.profile) args.push('--source_profile_uri', resolve(values.profile));
console.log(`job: cleaning ${input}${values.profile ? ` with profile ${values.profile}` : ''} with Spark local mode (run ${runId})`);
const started = Date.now();
const result = spawnSync(python, args, {
  cwd: projectRoot,
  stdio: ['ignore', 'inherit', 'pipe'],
  env: { ...process.env, PYSPARK_SUBMIT_ARGS: '--conf spark.ui.showConsoleProgress=false --conf spark.ui.enabled=false pyspark-shell' },
  encoding: 'utf8',
});
const manifestPath = join(output, 'manifests', `${runId}.json`);
if (!existsSync(manifestPath)) {
  console.error(result.stderr.split('\n').filter((line) => !/ WARN /.test(line)).slice(-20).join('\n'));
  fail(`the job ended without a manifest (exit ${result.status})`);
}
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
console.log(`job: ${manifest.status} in ${((Date.now() - started) / 1000).toFixed(1)} s; manifest ${manifestPath}`);
if (manifest.status === 'rejected_file') console.log(`job: the file was rejected whole: ${manifest.reason}`);
if (manifest.counts) console.table(manifest.counts);
if (manifest.reasons && Object.keys(manifest.reasons).length) console.table(manifest.reasons);
if (manifest.status === 'succeeded') console.log(`job: clean Parquet under ${join(output, 'cleaned', 'sales', `run_id=${runId}`)}, rejected rows under ${join(output, 'rejected', `run_id=${runId}`)}`);
process.exit(manifest.status === 'failed' ? 1 : 0);
