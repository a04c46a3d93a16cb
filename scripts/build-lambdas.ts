// `npm run build:lambdas`: bundles each Lambda (handler + AWS SDK v3 clients, tree-shaken, minified) into
// dist/lambda/<name>.zip holding index.js, the file Terraform's handler "index.handler" names.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { lambdaBuildOptions, lambdaFunctions } from '../artifacts/lambda-bundle.js';
import { projectRoot } from '../stage/python-env.js';

const outDir = join(projectRoot, 'dist', 'lambda');
// A fixed file time makes the zip depend on the code only, so Terraform redeploys only on real changes.
const FIXED_TIME = new Date('2020-01-01T00:00:00Z');

async function bundle(name: string): Promise<string> {
  const dir = join(outDir, name);
  rmSync(dir, { recursive: true, force: true });
  const outfile = join(dir, 'index.js');
  await build({ ...lambdaBuildOptions(name), outfile });
  utimesSync(outfile, FIXED_TIME, FIXED_TIME);
  const zip = join(outDir, `${name}.zip`);
  rmSync(zip, { force: true });
  const result = spawnSync('zip', ['-q', '-X', '-9', zip, 'index.js'], { cwd: dir, encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    throw new Error(`could not zip ${outfile}: ${result.error?.message ?? result.stderr}; install the zip command (apt-get install zip)`);
  }
  return zip;
}

try {
  mkdirSync(outDir, { recursive: true });
  for (const name of lambdaFunctions) {
    const zip = await bundle(name);
    const kib = (path: string) => `${(statSync(path).size / 1024).toFixed(0)} KiB`;
    console.log(`${name}: ${zip} ${kib(zip)} (index.js ${kib(join(outDir, name, 'index.js'))})`);
  }
} catch (error) {
  console.error(`build:lambdas: ${(error as Error).message}`);
  process.exitCode = 1;
}
