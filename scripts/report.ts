// `npm run report [-- --stage local|dev|prod] [--out DIR] [--bucket NAME]`: runs sql/analytics/*.sql through the
// Redshift Data API, writes one CSV per query and report.html into DIR (default out/report/) and puts the same files
// under reports/<time>/ in the stage's data bucket. The warehouse is found as db:migrate finds it.
import { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { S3Client } from '@aws-sdk/client-s3';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { RedshiftData } from '../warehouse/redshift-data.js';
import { generateReport, reportHtmlFile, reportPrefix, type ReportProgress } from '../report/generate-report.js';
import { resolveReportTarget } from '../report/report-target.js';
import { parseStageName } from '../stage/warehouse-connection.js';

function progressLine(progress: ReportProgress): string | undefined {
  if (progress.kind !== 'finished') return undefined;
  const { result, index, total } = progress;
  return `report: [${index + 1}/${total}] ${result.name}: ${result.rows.length} row${result.rows.length === 1 ? '' : 's'} in ${(result.elapsedMs / 1000).toFixed(1)} s`;
}

try {
  const { values } = parseArgs({ args: process.argv.slice(2), options: {
    stage: { type: 'string', default: 'local' }, out: { type: 'string', default: join('out', 'report') }, bucket: { type: 'string' },
  } });
  const stage = parseStageName(values.stage);
  const outDir = resolve(values.out);
  const target = await resolveReportTarget({ stage, bucket: values.bucket });
  const generatedAt = new Date();
  const prefix = reportPrefix(generatedAt);
  const redshift = new RedshiftDataClient(target.client);
  const s3 = new S3Client(target.s3Client);
  console.log(`report: stage ${stage}, warehouse ${target.target.clusterId}/${target.target.database}`);
  const report = await generateReport({
    warehouse: new RedshiftData(redshift, target.target),
    outDir,
    source: `stage ${stage}, ${target.target.clusterId}/${target.target.database}`,
    upload: { s3, bucket: target.bucket, prefix },
    generatedAt,
    onProgress: (progress) => {
      const line = progressLine(progress);
      if (line) console.log(line);
    },
  });
  redshift.destroy();
  s3.destroy();
  if (report.empty) console.log('report: the warehouse has no sales yet: upload a file (npm run upload -- FILE), let the pipeline load it, and run the report again');
  console.log(`report: ${report.files.length - 1} CSV files and ${reportHtmlFile} in ${relative(process.cwd(), outDir) || '.'}, copied to s3://${target.bucket}/${prefix}`);
} catch (error) {
  console.error(`report: ${(error as Error).message}`);
  process.exitCode = 1;
}
