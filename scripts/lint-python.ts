import { spawnSync } from 'node:child_process';
import { projectRoot } from '../stage/python-env.js';
import { projectPythonOrExit } from './lib/project-python.js';

/** `npm run lint:python`: ruff's lint rules and its formatter, in check mode, over every Python file (ruff.toml). */
const python = projectPythonOrExit('lint:python');
const checks = [
  { name: 'ruff check', args: ['check', '.'] },
  { name: 'ruff format --check', args: ['format', '--check', '.'] },
];
const failed = checks.filter((check) => spawnSync(python, ['-m', 'ruff', ...check.args], { stdio: 'inherit', cwd: projectRoot }).status !== 0);
if (failed.length > 0) {
  console.error(`lint:python: ${failed.map((check) => check.name).join(' and ')} failed; \`.venv/bin/python -m ruff check --fix .\` and \`.venv/bin/python -m ruff format .\` fix most findings`);
  process.exit(1);
}
