import { describe, expect, it } from 'vitest';
import { ciIsSet, failOrSkip, MissingPrerequisiteError, skipLines } from './prerequisites.js';

describe('test prerequisites', () => {
  it('counts any non-empty CI variable as CI', () => {
    expect(['true', '1', 'yes', 'github-actions'].map((value) => ciIsSet({ CI: value }))).toEqual([true, true, true, true]);
    expect(ciIsSet({ CI: '' })).toBe(false);
    expect(ciIsSet({})).toBe(false);
  });

  it('fails under CI and prints the skip line elsewhere', () => {
    const saved = process.env.CI;
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (line: string) => warnings.push(line);
    try {
      process.env.CI = '1';
      expect(() => failOrSkip({ what: 'the Terraform tier', missing: 'terraform was not found on PATH' }))
        .toThrow(new MissingPrerequisiteError('the Terraform tier cannot run: terraform was not found on PATH'));
      delete process.env.CI;
      failOrSkip({ what: 'the Terraform tier', missing: 'terraform was not found on PATH' });
      expect(warnings).toEqual(['!!! SKIPPED the Terraform tier: terraform was not found on PATH']);
    } finally {
      console.warn = warn;
      if (saved === undefined) delete process.env.CI;
      else process.env.CI = saved;
    }
  });

  it('finds the skip lines of vitest and pytest output, colours and all', () => {
    const output = [
      'stderr | test/report/report-browser.test.ts',
      '\x1b[33m!!! SKIPPED the report browser tests: install chromium\x1b[39m',
      ' \x1b[2m     Tests \x1b[22m \x1b[1m\x1b[32m12 passed\x1b[39m\x1b[22m\x1b[2m | \x1b[22m\x1b[33m3 skipped\x1b[39m\x1b[2m (15)\x1b[22m',
      '      Tests  40 passed (40)',
      'SKIPPED [1] glue/tests/test_reader.py:12: needs Java',
      '=================== 120 passed, 1 skipped in 30.12s ===================',
      '=================== 121 passed in 30.12s ===================',
      'it skipped nothing here',
    ].join('\n');
    expect(skipLines(output)).toEqual([
      '!!! SKIPPED the report browser tests: install chromium',
      'Tests  12 passed | 3 skipped (15)',
      'SKIPPED [1] glue/tests/test_reader.py:12: needs Java',
      '=================== 120 passed, 1 skipped in 30.12s ===================',
    ]);
  });
});
