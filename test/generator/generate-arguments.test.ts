import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { GenerateArgumentError, parseGenerateArguments } from '../../generator/generate-arguments.js';

const base = ['--rows', '10', '--seed', '1', '--out', 'out/s.csv'];

describe('parseGenerateArguments', () => {
  it('applies the documented defaults', () => {
    expect(parseGenerateArguments(base)).toMatchObject({ rows: 10, seed: 1, out: 'out/s.csv', dirtyRate: 0.05, truthRowsLimit: 200_000, from: '2024-01-01', to: '2025-12-31', lineId: undefined, orderPrefix: 'ORD' });
    expect(parseGenerateArguments([...base, '--order-prefix', 'B7']).orderPrefix).toBe('B7');
  });

  it.each([
    [['--seed', '1', '--out', 'x.csv'], /--rows is required/],
    [['--rows', '10', '--out', 'x.csv'], /--seed is required/],
    [['--rows', '10', '--seed', '1'], /--out is required/],
    [[...base.slice(2), '--rows', 'ten'], /--rows must be a whole number of at least 1, got "ten"/],
    [[...base.slice(2), '--rows', '0'], /--rows must be a whole number of at least 1, got "0"/],
    [[...base, '--dirty', '1.5'], /--dirty must be a rate between 0 and 1 \(e.g. 0.05\), got "1.5"/],
    [[...base, '--dirty', 'lots'], /--dirty must be a rate/],
    [[...base, '--line-id', 'maybe'], /--line-id must be one of yes, no, random, got "maybe"/],
    [[...base, '--line-ending', 'cr'], /--line-ending must be one of lf, crlf, random/],
    [[...base, '--from', '2024-02-30'], /--from must be a real date YYYY-MM-DD, got "2024-02-30"/],
    [[...base, '--from', '1999-01-01'], /--from must lie between 2000-01-01/],
    [[...base, '--from', '2025-01-01', '--to', '2024-01-01'], /--from \(2025-01-01\) must not be after --to \(2024-01-01\)/],
    [[...base, '--truth-rows-limit', '-1'], /--truth-rows-limit/],
    [[...base, '--order-prefix', 'b7'], /--order-prefix must be 1 to 16 capital letters or digits .*got "b7"/],
    [[...base, '--order-prefix', 'ABCDEFGHIJKLMNOPQ'], /--order-prefix must be 1 to 16/],
    [[...base, '--colour', 'red'], /Unknown option '--colour'/],
    [[...base, 'extra'], /Unexpected argument 'extra'/],
  ])('rejects %j', (args, message) => {
    expect(() => parseGenerateArguments(args)).toThrow(GenerateArgumentError);
    expect(() => parseGenerateArguments(args)).toThrow(message);
  });

  it('makes the CLI exit with code 2 and one line on stderr', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/generate.ts', '--rows', 'x', '--seed', '1', '--out', 'out/x.csv'], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual(['generate: --rows must be a whole number of at least 1, got "x"']);
  });
});
