/**
 * The lines of a tier's output that name what failed: vitest's `FAIL  file > test`, pytest's short summary
 * (`FAILED …`, `ERROR …`), TypeScript's `error TS…` and ESLint's `line:col  error`. `npm test` repeats them
 * at its end, so the last lines of a long run (all a CI log may keep) still say which test failed.
 */
export function failureLines(output: string, limit = 30): string[] {
  // eslint-disable-next-line no-control-regex -- colour codes are control characters
  const plain = output.replace(/\x1b\[[0-9;]*m/g, '');
  const lines = plain.split(/\r?\n/).map((line) => line.trim()).filter((line) =>
    /^FAIL\s/.test(line)
    || /^(FAILED|ERROR)\s/.test(line)
    || /\berror TS\d+:/.test(line)
    || /^\d+:\d+\s+error\s/.test(line));
  const unique = [...new Set(lines)];
  return unique.length > limit ? [...unique.slice(0, limit), `… and ${unique.length - limit} more`] : unique;
}
