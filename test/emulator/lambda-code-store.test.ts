import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LambdaCodeNotFoundError, LambdaCodeStore } from '../../emulator/lambda-runtime/lambda-code-store.js';
import { handlerZip } from './emulator-harness.js';

const folders: string[] = [];

function projectFolder(type: 'module' | 'commonjs'): string {
  const dir = mkdtempSync(join(tmpdir(), 'sdp-code-store-'));
  folders.push(dir);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type }));
  return dir;
}

afterEach(() => {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('Lambda code store', () => {
  it('unpacks a CommonJS bundle so that it loads as CommonJS even inside an ES-module project, as in /var/task', async () => {
    const store = new LambdaCodeStore(join(projectFolder('module'), '.dev', 'lambda-code'));
    const sha = store.save(handlerZip('module.exports.handler = async () => "from commonjs";'));
    const dir = store.unpacked({ functionName: 'f', codeSha256: sha });
    const loaded = await import(join(dir, 'index.js')) as { default: { handler: () => Promise<string> } };
    expect(await loaded.default.handler()).toBe('from commonjs');
    expect(createRequire(join(dir, 'index.js'))('./index.js').handler).toBeTypeOf('function');
  });

  it('names the function whose code it never saw', () => {
    const store = new LambdaCodeStore(join(projectFolder('module'), 'code'));
    expect(() => store.unpacked({ functionName: 'orphan', codeSha256: 'AAAA' })).toThrow(LambdaCodeNotFoundError);
    expect(() => store.unpacked({ functionName: 'orphan', codeSha256: 'AAAA' })).toThrow(/orphan/);
  });
});
