import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/*
 * The layers (which folder may import which) are dependency-cruiser's: .dependency-cruiser.cjs,
 * run by `npm test`, covers electron/ and renderer/ (.svelte included). ESLint keeps the code's own
 * rules, sizes among them, and keeps Electron out of what runs in plain Node outside those folders.
 */

/** Tests, scripts and the bench run in plain Node, where Electron's binary is absent. */
const NO_ELECTRON = [
  {
    name: 'electron',
    message: 'Tests, scripts and the bench run in plain Node: load the pure module, or boot the built main on test/main/fake-electron.',
  },
  { name: 'electron-store', message: 'electron-store imports electron: only electron/main/settings-electron.ts may use it.' },
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', 'coverage/**', 'release/**', 'test/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } },
  },
  {
    // Small files with one job, functions that fit on a screen. A file or function that needs more
    // says why in an eslint-disable comment beside it.
    files: ['electron/**/*.ts', 'renderer/**/*.ts'],
    rules: {
      'max-lines': ['error', { max: 400, skipBlankLines: false, skipComments: false }],
      'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true, IIFEs: true }],
    },
  },
  {
    files: ['test/**', 'scripts/**', 'bench/**', 'bin/**', '*.ts', '*.js', '*.mjs'],
    rules: { 'no-restricted-imports': ['error', { paths: NO_ELECTRON }] },
  },
);
