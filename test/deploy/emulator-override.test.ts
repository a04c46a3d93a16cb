import { describe, expect, it } from 'vitest';
import { checkEmulatorOverride, LocalOverrideError, localProviderOverride } from '../../stage/terraform.js';

describe('a cloud stage run pointed at the emulator on purpose', () => {
  const endpoint = 'http://127.0.0.1:45123';

  it('accepts the override generated for its endpoint', () => {
    expect(() => checkEmulatorOverride(endpoint, localProviderOverride({ endpoint }))).not.toThrow();
  });

  it('refuses the override of another endpoint, such as the one npm run dev:up left', () => {
    expect(() => checkEmulatorOverride(endpoint, localProviderOverride({ endpoint: 'http://127.0.0.1:4566' }))).toThrow(LocalOverrideError);
  });

  it('refuses an edited override and a missing one', () => {
    const edited = localProviderOverride({ endpoint }).replace('max_retries = 2', 'max_retries = 25');
    expect(edited).not.toBe(localProviderOverride({ endpoint }));
    expect(() => checkEmulatorOverride(endpoint, edited)).toThrow(/not the override generated for the emulator endpoint http:\/\/127\.0\.0\.1:45123/);
    expect(() => checkEmulatorOverride(endpoint, undefined)).toThrow(/is missing for the emulator endpoint/);
  });
});
