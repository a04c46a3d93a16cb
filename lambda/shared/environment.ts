export class MissingEnvironmentVariableError extends Error {
  override readonly name = 'MissingEnvironmentVariableError';
}

/**
 * Reads the named variables once, at cold start, so a misconfigured function fails before it touches a
 * single message instead of halfway through a batch.
 */
export function readEnvironment<Name extends string>(
  names: readonly Name[],
  env: NodeJS.ProcessEnv = process.env,
): Record<Name, string> {
  const values = {} as Record<Name, string>;
  for (const name of names) {
    const value = env[name]?.trim();
    if (!value) throw new MissingEnvironmentVariableError(`environment variable ${name} is required`);
    values[name] = value;
  }
  return values;
}
