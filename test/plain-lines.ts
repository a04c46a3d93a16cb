/** A tool's output as trimmed lines without colour codes: what skipLines and failureLines read. */
export function plainLines(output: string): string[] {
  // eslint-disable-next-line no-control-regex -- colour codes are control characters
  return output.replace(/\x1b\[[0-9;]*m/g, '').split(/\r?\n/).map((line) => line.trim());
}
