import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PrerequisiteError } from './python-env.js';

/** spark-submit of the PySpark installed in a virtualenv (the same Spark the job's tests use). */
export function sparkSubmitPath(venvDir: string): string {
  const lib = join(venvDir, 'lib');
  const python = existsSync(lib) ? readdirSync(lib).find((name) => name.startsWith('python3')) : undefined;
  const path = python && join(lib, python, 'site-packages', 'pyspark', 'bin', 'spark-submit');
  if (!path || !existsSync(path)) throw new PrerequisiteError(`PySpark is not installed in ${venvDir}: run \`npm run setup:python\``);
  return path;
}
