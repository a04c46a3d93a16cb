import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, readdirSync, rmSync, statSync, utimesSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));

export const glueSourceDir = join(projectRoot, 'glue');
export const glueDistDir = join(projectRoot, 'dist', 'glue');

// A fixed file time makes the artifacts depend on the code only, so Terraform re-uploads only on real changes.
const FIXED_TIME = new Date('2020-01-01T00:00:00Z');

function packageFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.name !== '__pycache__' && !entry.name.endsWith('.pyc'))
    .flatMap((entry) => (entry.isDirectory() ? packageFiles(join(dir, entry.name)) : [join(dir, entry.name)]))
    .sort();
}

/** Copies the entry script and zips the sales_cleaning package (sources and data files, no caches). */
export function buildGlueArtifacts(options: { sourceDir?: string; outDir?: string } = {}): { path: string; bytes: number }[] {
  const sourceDir = options.sourceDir ?? glueSourceDir;
  const outDir = options.outDir ?? glueDistDir;
  const staging = join(outDir, 'package');
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });

  const script = join(outDir, 'clean_sales.py');
  copyFileSync(join(sourceDir, 'clean_sales.py'), script);
  utimesSync(script, FIXED_TIME, FIXED_TIME);

  const files = packageFiles(join(sourceDir, 'sales_cleaning')).map((file) => relative(sourceDir, file));
  if (!files.includes(join('sales_cleaning', '__init__.py'))) throw new Error(`${join(sourceDir, 'sales_cleaning')} is not a Python package (no __init__.py)`);
  for (const file of files) {
    cpSync(join(sourceDir, file), join(staging, file));
    utimesSync(join(staging, file), FIXED_TIME, FIXED_TIME);
  }
  const zip = join(outDir, 'sales_cleaning.zip');
  rmSync(zip, { force: true });
  // -X: no extra attributes (uid, times beyond the fixed mtime), so the same sources give the same bytes.
  const result = spawnSync('zip', ['-q', '-X', '-9', zip, ...files], { cwd: staging, encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    throw new Error(`could not zip the sales_cleaning package: ${result.error?.message ?? result.stderr}; install the zip command (apt-get install zip)`);
  }
  rmSync(staging, { recursive: true, force: true });
  return [script, zip].map((path) => ({ path, bytes: statSync(path).size }));
}
