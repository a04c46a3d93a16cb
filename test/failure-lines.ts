import { plainLines } from './plain-lines.js';

/**
 * The lines of a tier's output that name what failed: vitest's `FAIL  file > test`, pytest's short summary
 * (`FAILED …`, `ERROR …`), TypeScript's `error TS…` and ESLint's `line:col  error`. `npm test` repeats them
 * at its end, so the last lines of a long run (all a CI log may keep) still say which test failed.
 */
export function failureLines(output: string, limit = 30): string[] {
  const lines = plainLines(output).filter((line) =>
    /^FAIL\s/.test(line)
    || /^(FAILED|ERROR)\s/.test(line)
    || /\berror TS\d+:/.test(line)
    || /^\d+:\d+\s+error\s/.test(line));
  const unique = [...new Set(lines)];
  return unique.length > limit ? [...unique.slice(0, limit), `… and ${unique.length - limit} more`] : unique;
}
