import { ensurePythonEnv, PrerequisiteError } from '../../stage/python-env.js';

/** The project's Python (.venv, prepared if needed); a missing prerequisite ends the command with exit 2 and says why. */
export function projectPythonOrExit(command: string): string {
  try {
    return ensurePythonEnv({ quiet: true });
  } catch (error) {
    if (!(error instanceof PrerequisiteError)) throw error;
    console.error(`${command}: ${error.message}`);
    process.exit(2);
  }
}
