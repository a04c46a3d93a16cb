import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/**
 * The folders of the project, top floor first. A folder imports only from folders on lower floors
 * (never from a floor above, never from a sibling on its own floor), so no cycle between folders can
 * form; test/ may import anything but scripts/, which nothing imports.
 */
export const layers = [
  ['scripts'],
  ['drivers', 'report', 'deploy'],
  ['emulator'],
  ['stage', 'artifacts'],
  ['lambda', 'generator'],
  ['warehouse', 'profiles'],
  ['contract'],
];

function layerZones() {
  const zones = layers.flatMap((floor, index) => floor.map((folder) => ({
    folder,
    above: [...layers.slice(0, index).flat(), ...floor.filter((sibling) => sibling !== folder)],
  })));
  return zones.filter(({ above }) => above.length > 0).map(({ folder, above }) => ({
    target: `./${folder}`,
    from: above.map((other) => `./${other}`),
    message: `imports only go down the floors of eslint.config.js's layers: move the shared code into a folder below ${folder}/`,
  }));
}

export default tseslint.config(
  { ignores: ['node_modules/', '.venv/', '.venv-checkov/', '.dev/', 'dist/', 'out/', 'test-artifacts/', 'terraform/.terraform/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.ts', '**/*.mjs', '**/*.js'],
    plugins: { 'import-x': importX },
    settings: {
      ...importX.flatConfigs.typescript.settings,
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': ['error', {
        zones: [
          ...layerZones(),
          { target: './test', from: './scripts', message: 'scripts/ is the top floor: nothing imports it; move what a test needs into the folder it belongs to' },
        ],
      }],
    },
  },
);
