import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../../stage/python-env.js';

const eslint = new ESLint({ cwd: projectRoot });
// The config is plain JavaScript (ESLint loads it without a build step), hence the import by URL.
const { layers } = (await import(pathToFileURL(join(projectRoot, 'eslint.config.js')).href)) as { layers: string[][] };

async function ruleIdsFor(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(projectRoot, file) });
  return result!.messages.map((message) => message.ruleId ?? message.message);
}

describe('import layers', () => {
  it('name every top-level folder of TypeScript code exactly once', () => {
    const tracked = execFileSync('git', ['ls-files', '*.ts', '*.mjs'], { cwd: projectRoot, encoding: 'utf8' }).split('\n');
    const codeFolders = new Set(tracked.filter((file) => file.includes('/')).map((file) => file.split('/')[0]!));
    codeFolders.delete('test');
    expect(layers.flat().sort()).toEqual([...codeFolders].sort());
  });

  it('refuse an import from a higher floor, from a sibling, and of scripts/ by a test', async () => {
    expect(await ruleIdsFor('warehouse/probe.ts', "import { deriveRunId } from '../contract/run-id.js';\nexport const id = deriveRunId;\n")).toEqual([]);
    expect(await ruleIdsFor('warehouse/probe.ts', "import { localPipeline } from '../drivers/local-pipeline.js';\nexport const p = localPipeline;\n"))
      .toContain('import-x/no-restricted-paths');
    expect(await ruleIdsFor('report/probe.ts', "import { uploadFile } from '../drivers/upload-file.js';\nexport const u = uploadFile;\n"))
      .toContain('import-x/no-restricted-paths');
    expect(await ruleIdsFor('test/probe.test.ts', "import { median } from '../scripts/lib/median.js';\nexport const m = median;\n"))
      .toContain('import-x/no-restricted-paths');
  });
});
