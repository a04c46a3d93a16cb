import { ensurePythonEnv, PrerequisiteError, requireJava } from '../stage/python-env.js';

try {
  ensurePythonEnv();
  requireJava();
} catch (error) {
  if (!(error instanceof PrerequisiteError)) throw error;
  console.error(`setup: ${error.message}`);
  process.exit(1);
}
