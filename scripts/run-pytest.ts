import { spawnSync } from 'node:child_process';
import { ensurePythonEnv, projectRoot, requireJava } from '../stage/python-env.js';

const python = ensurePythonEnv({ quiet: true });
requireJava();
// -rfEs lists every failed, erroring and skipped test (with its reason), which `npm test` repeats in its summary.
const result = spawnSync(python, ['-m', 'pytest', 'glue/tests', '-rfEs', ...process.argv.slice(2)], { stdio: 'inherit', cwd: projectRoot });
// pytest exits 5 when it collected no tests: that is a failure of the suite, not a pass.
if (result.status === 5) console.error('pytest: no tests were collected under glue/tests');
process.exit(result.status ?? 1);
