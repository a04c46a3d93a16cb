import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PlanChangedError, SavedPlan } from '../../deploy/saved-plan.js';

describe('saved plan', () => {
  let dir: string;
  let planFile: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sdp-saved-plan-'));
    planFile = join(dir, 'dev.tfplan');
    writeFileSync(planFile, 'the plan that was shown');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('accepts the file it recorded, byte for byte', () => {
    expect(() => SavedPlan.record(planFile).assertUnchanged()).not.toThrow();
  });

  it('refuses a plan file rewritten after it was shown, naming both digests', () => {
    const saved = SavedPlan.record(planFile);
    writeFileSync(planFile, 'another plan');
    expect(() => saved.assertUnchanged()).toThrow(PlanChangedError);
    expect(() => saved.assertUnchanged()).toThrow(new RegExp(`sha256 ${saved.sha256.slice(0, 12)}, now [0-9a-f]{12}\\): nothing was applied`));
  });

  it('refuses a plan file that grew after it was shown', () => {
    const saved = SavedPlan.record(planFile);
    appendFileSync(planFile, ' and one more change');
    expect(() => saved.assertUnchanged()).toThrow(/changed after it was shown/);
  });
});
