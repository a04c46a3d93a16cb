// `npm run build:glue`: the Glue job's two artifacts, which Terraform uploads under scripts/glue/:
// dist/glue/clean_sales.py (the job's entry script) and dist/glue/sales_cleaning.zip (the package,
// passed to the job with --extra-py-files).
import { buildGlueArtifacts } from '../artifacts/glue-artifacts.js';

try {
  const built = buildGlueArtifacts();
  for (const file of built) console.log(`glue: ${file.path} ${(file.bytes / 1024).toFixed(0)} KiB`);
} catch (error) {
  console.error(`build:glue: ${(error as Error).message}`);
  process.exitCode = 1;
}
