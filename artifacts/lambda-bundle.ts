import { join } from 'node:path';
import type { BuildOptions } from 'esbuild';
import { fileURLToPath } from 'node:url';

const projectRoot = fileURLToPath(new URL('..', import.meta.url));

/** The Lambda functions: each one's code starts at lambda/<name>/index.ts and ships as <name>.zip. */
export const lambdaFunctions = ['trigger', 'loader'] as const;

function lambdaEntryPoint(name: string): string {
  return join(projectRoot, 'lambda', name, 'index.ts');
}

/**
 * How a function is bundled: handler + AWS SDK v3 clients, tree-shaken and minified. One definition,
 * so the IAM contract test inspects exactly the code that ships.
 */
export function lambdaBuildOptions(name: string): BuildOptions {
  return {
    entryPoints: [lambdaEntryPoint(name)],
    bundle: true,
    platform: 'node',
    target: 'node22',
    // CommonJS, so index.js loads as-is without a package.json beside it and bundled CommonJS
    // dependencies keep their require() calls.
    format: 'cjs',
    mainFields: ['module', 'main'],
    minify: true,
    treeShaking: true,
    legalComments: 'none',
    logLevel: 'warning',
  };
}
