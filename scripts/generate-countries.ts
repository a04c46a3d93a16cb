// `npm run countries:generate`: rewrites glue/sales_cleaning/countries.json, the job's ISO 3166-1 country list,
// from pycountry (pinned in glue/requirements-dev.txt) and glue/tools/country_aliases.json.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../stage/python-env.js';
import { projectPythonOrExit } from './lib/project-python.js';

const python = projectPythonOrExit('countries:generate');
const result = spawnSync(python, ['-m', 'tools.generate_countries'], { stdio: 'inherit', cwd: join(projectRoot, 'glue') });
process.exit(result.status ?? 1);
