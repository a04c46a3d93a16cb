import { describe, expect, it } from 'vitest';
import { iamEnforced, IamModeError } from '../../../emulator/iam/iam-mode.js';

describe('EMULATOR_IAM', () => {
  it('enforces IAM unless set to off, and refuses values it does not know', () => {
    expect(iamEnforced({})).toBe(true);
    expect(iamEnforced({ EMULATOR_IAM: 'on' })).toBe(true);
    expect(iamEnforced({ EMULATOR_IAM: 'OFF' })).toBe(false);
    expect(() => iamEnforced({ EMULATOR_IAM: 'false' })).toThrow(IamModeError);
  });
});
