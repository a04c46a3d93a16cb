export class IamModeError extends Error {
  override readonly name = 'IamModeError';
}

/**
 * Whether the emulator enforces IAM: on unless EMULATOR_IAM=off. Any other value is refused, so a typo
 * never turns enforcement off silently.
 */
export function iamEnforced(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = (env.EMULATOR_IAM ?? 'on').trim().toLowerCase();
  if (value === 'on' || value === '') return true;
  if (value === 'off') return false;
  throw new IamModeError(`EMULATOR_IAM=${env.EMULATOR_IAM} is not understood: use "on" (the default) or "off"`);
}

export const iamOffWarning = '!!! IAM enforcement is OFF (EMULATOR_IAM=off): Lambda functions and Glue runs may do what their roles would be refused on AWS';
