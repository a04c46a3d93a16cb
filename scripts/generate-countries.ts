// `npm run countries:generate`: rewrites glue/sales_cleaning/countries.json, the job's ISO 3166-1 country list,
// from pycountry (pinned in glue/requirements-dev.txt) and glue/tools/country_aliases.json.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ensurePythonEnv, PrerequisiteError, projectRoot } from '../stage/python-env.js';

let python: string;
try {
  python = ensurePythonEnv({ quiet: true });
} catch (error) {
  if (!(error instanceof PrerequisiteError)) throw error;
  console.error(`countries:generate: ${error.message}`);
  process.exit(2);
}
const result = spawnSync(python, ['-m', 'tools.generate_countries'], { stdio: 'inherit', cwd: join(projectRoot, 'glue') });
process.exit(result.status ?? 1);
