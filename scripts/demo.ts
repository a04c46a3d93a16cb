// `npm run demo [-- --rows N] [--seed S]`: the whole pipeline on this machine, end to end: starts the
// emulated AWS, applies Terraform, migrates the warehouse, generates sales data, uploads it to raw/,
// follows it through queue, trigger, Glue job and load, checks the warehouse against the generator's
// ground truth, writes the report and prints where everything is. Exits non-zero on any mismatch.
import { mkdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { startLocalStage } from '../emulator/dev-env/local-stage.js';
import { generateSales } from '../generator/generate-sales.js';
import { followRun, RunTimeoutError } from '../drivers/follow-run.js';
import { localPipeline } from '../drivers/local-pipeline.js';
import { describeProgress } from '../drivers/progress-text.js';
import { reconcileRun } from '../drivers/reconcile-run.js';
import { readGroundTruth } from '../generator/truth-file.js';
import { uploadFile } from '../drivers/upload-file.js';
import { generateReport, reportPrefix } from '../report/generate-report.js';
import { insights } from '../report/insights.js';
import { localStageConfig } from '../emulator/dev-env/local-stage-config.js';
import { ensurePythonEnv, projectRoot, requireJava } from '../stage/python-env.js';
import { requireTerraform } from '../stage/terraform.js';

class DemoError extends Error {
  override readonly name = 'DemoError';
}

const DEMO_KEY = 'raw/demo/sales_data.csv';

function options(argv: string[]): { rows: number; seed: number; timeoutMinutes: number } {
  const { values } = parseArgs({ args: argv, options: { rows: { type: 'string', default: '100000' }, seed: { type: 'string', default: '20261125' }, 'timeout-minutes': { type: 'string', default: '30' } } });
  const whole = (name: string, value: string, minimum: number) => {
    if (!/^\d+$/.test(value) || Number(value) < minimum) throw new DemoError(`--${name} must be a whole number of at least ${minimum}, got "${value}"`);
    return Number(value);
  };
  return { rows: whole('rows', values.rows, 1), seed: whole('seed', values.seed, 0), timeoutMinutes: whole('timeout-minutes', values['timeout-minutes'], 1) };
}

const seconds = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)} s`;
const number = (value: number | null) => (value ?? 0).toLocaleString('en-US');

async function main(): Promise<number> {
  const settings = options(process.argv.slice(2));
  const started = Date.now();
  const step = (text: string) => console.log(`\n▶ ${text}`);

  step('checking prerequisites (Python 3.11 environment, Java 17, Terraform)');
  const python = ensurePythonEnv({ quiet: true });
  requireJava();
  requireTerraform();

  step('starting the emulated AWS and applying the Terraform stage local');
  const config = localStageConfig(python);
  const endpoints = await startLocalStage(config, { log: (line) => console.log(`  ${line}`) });
  console.log(`  ready (${seconds(started)}): endpoint ${endpoints.gatewayUrl}, bucket ${endpoints.outputs.data_bucket_name}`);

  step(`generating ${number(settings.rows)} rows of dirty sales data (seed ${settings.seed})`);
  const dataDir = join(projectRoot, 'out', 'demo');
  mkdirSync(dataDir, { recursive: true });
  const generated = Date.now();
  const { csvPath, truthPath, counts } = generateSales({ rows: settings.rows, seed: settings.seed, out: join(dataDir, 'sales_data.csv'), orderPrefix: 'DEMO' });
  console.log(`  ${csvPath} in ${seconds(generated)}: expect ${number(counts.rows_clean)} clean, ${number(counts.rows_rejected)} rejected, ${number(counts.duplicates_dropped)} duplicates dropped`);

  const pipeline = localPipeline(endpoints);
  try {
    step(`uploading to s3://${pipeline.bucket}/${DEMO_KEY} and following the run`);
    const uploaded = Date.now();
    const object = await uploadFile(pipeline.s3, { file: csvPath, bucket: pipeline.bucket, key: DEMO_KEY });
    console.log(`  uploaded ${number(object.bytes)} bytes, version ${object.version}: run ${object.runId}`);
    const audit = await followRun({
      glue: pipeline.glue, warehouse: pipeline.warehouse, jobName: pipeline.jobName, runId: object.runId,
      timeoutMs: settings.timeoutMinutes * 60_000, onProgress: (progress) => console.log(`  ${describeProgress(progress)}`),
    }).catch((error: unknown) => {
      // The run goes on in the stage; a large file on a busy machine may just need longer.
      if (error instanceof RunTimeoutError) throw new DemoError(`${error.message}; it goes on in the stage (\`npm run dev:status\`): to wait longer, run the demo with --timeout-minutes N (now ${settings.timeoutMinutes})`);
      throw error;
    });
    const latency = seconds(uploaded);
    console.log(`  loaded ${number(audit.rowsClean)} rows, ${number(audit.rowsRejected)} rejected, ${latency} after the upload`);

    step('checking the warehouse against the ground truth');
    const problems = await reconcileRun(pipeline.warehouse, object.runId, audit, readGroundTruth(truthPath));
    if (problems.length > 0) {
      for (const problem of problems) console.error(`  ✗ ${problem}`);
      throw new DemoError(`the warehouse does not match the ground truth (${problems.length} difference${problems.length === 1 ? '' : 's'})`);
    }
    console.log('  ✓ every clean row, every rejected row and every monthly total matches, to the cent');

    step('running the analytics and writing the report');
    const generatedAt = new Date();
    const report = await generateReport({
      warehouse: pipeline.warehouse, outDir: join(projectRoot, 'out', 'report'), source: `stage local, ${endpoints.outputs.redshift_cluster_id}`,
      upload: { s3: pipeline.s3, bucket: pipeline.bucket, prefix: reportPrefix(generatedAt) }, generatedAt,
      onProgress: (progress) => {
        if (progress.kind === 'finished') console.log(`  ${progress.result.name}: ${progress.result.rows.length} rows`);
      },
    });
    for (const line of insights(report.results)) console.log(`  • ${line}`);

    console.log(`\ndemo: passed in ${seconds(started)}`);
    console.log(`  data       ${csvPath}`);
    console.log(`  truth      ${truthPath}`);
    console.log(`  run        ${object.runId} (upload to rows queryable: ${latency})`);
    console.log(`  report     ${report.files.at(-1)}`);
    console.log(`  CSV files  ${report.files.slice(0, -1).map((file) => basename(file)).join(', ')} in ${dirname(report.files[0]!)}`);
    console.log(`  in S3      s3://${pipeline.bucket}/${reportPrefix(generatedAt)}`);
    console.log('  next       `npm run dev:status`, `npm run dev:down`; logs under .dev/logs');
    return 0;
  } finally {
    pipeline.destroy();
  }
}

try {
  process.exitCode = await main();
} catch (error) {
  console.error(`\ndemo: FAILED: ${(error as Error).message}`);
  process.exitCode = 1;
}
