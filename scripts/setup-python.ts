import { ensurePythonEnv, PrerequisiteError, requireJava } from './lib/python-env.js';

try {
  ensurePythonEnv();
  requireJava();
} catch (error) {
  if (!(error instanceof PrerequisiteError)) throw error;
  console.error(`setup: ${error.message}`);
  process.exit(1);
}
