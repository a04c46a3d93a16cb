import { plainLines } from './plain-lines.js';

/**
 * A test tier that needs a program the machine lacks (Terraform, Java, Chromium, sqlfluff) fails under CI
 * and skips elsewhere, loudly: it prints one line starting with `skipMarker`, which `npm test` collects
 * into its summary.
 */
export const skipMarker = '!!! SKIPPED';

/** CI services set CI (to `true`, `1`, a name…), and `.ci/run` sets it too: any non-empty value counts. */
export function ciIsSet(env: NodeJS.ProcessEnv = process.env): boolean {
  return (env.CI ?? '') !== '';
}

export class MissingPrerequisiteError extends Error {
  override readonly name = 'MissingPrerequisiteError';
}

/** Under CI, throws; elsewhere prints the skip line. `what` names what does not run, `missing` what to install. */
export function failOrSkip(options: { what: string; missing: string }): void {
  if (ciIsSet()) throw new MissingPrerequisiteError(`${options.what} cannot run: ${options.missing}`);
  console.warn(`${skipMarker} ${options.what}: ${options.missing}`);
}

/**
 * The lines of a tier's output that say something did not run: the skip line above, vitest's and pytest's
 * own skip counts, and pytest's skip reasons (`-rs`).
 */
export function skipLines(output: string): string[] {
  return plainLines(output).filter((line) =>
    line.startsWith(skipMarker)
    || /^Tests\s.*\b\d+ skipped\b/.test(line)
    || /^SKIPPED \[\d+\]/.test(line)
    || /^=+ .*\b\d+ skipped\b.* =+$/.test(line));
}
