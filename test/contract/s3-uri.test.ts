import { describe, expect, it } from 'vitest';
import { keyPathProblem } from '../../contract/s3-uri.js';

describe('keyPathProblem', () => {
  it('accepts keys whose every segment is a name, including names made of dots and percent signs', () => {
    for (const key of ['raw/sales.csv', 'raw/.hidden.csv', 'raw/...csv', 'raw/..%2F..%2Fx.csv', 'raw/a..b/x.csv']) expect(keyPathProblem(key)).toBeUndefined();
  });

  it('names the empty, "." or ".." segment of a key that a path cannot represent', () => {
    expect(keyPathProblem('raw/../../tmp/x.csv')).toBe('a ".." segment');
    expect(keyPathProblem('raw/./x.csv')).toBe('a "." segment');
    expect(keyPathProblem('..')).toBe('a ".." segment');
    for (const key of ['raw//x.csv', '/raw/x.csv', 'raw/', '']) expect(keyPathProblem(key)).toMatch(/empty segment/);
  });

  it('allows one trailing "/" and the bucket root for a prefix', () => {
    expect(keyPathProblem('out/', { prefix: true })).toBeUndefined();
    expect(keyPathProblem('', { prefix: true })).toBeUndefined();
    expect(keyPathProblem('out//', { prefix: true })).toMatch(/empty segment/);
    expect(keyPathProblem('out/../', { prefix: true })).toBe('a ".." segment');
  });
});
