import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', 'coverage/**', 'test/fixtures/**/node_modules/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', Buffer: 'readonly', URL: 'readonly', AbortController: 'readonly', AbortSignal: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The engine and the CLI run in plain Node: the Electron runtime must never leak in.
    files: ['electron/core/**', 'electron/cli/**', 'electron/shared/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'electron/core, cli and shared run in plain Node; only electron/main may import electron.' }],
        patterns: [{ group: ['**/main/**', '**/renderer/**'], message: 'Layers: core may not import from the Electron shell or the renderer.' }],
      }],
    },
  },
  {
    // The dashboard reaches the engine only through the shared contract, whichever transport carries
    // it; from api.ts only types (its zod schemas are the engine's checks, not the bundle's weight).
    // .svelte files are held to the same rule by test/unit/renderer/layers.test.ts.
    files: ['renderer/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'The renderer never imports electron: it talks through electron/shared.' }],
        patterns: [
          { regex: '(^|/)electron/(?!shared/)', message: 'renderer/** may import only from electron/shared.' },
          { group: ['node:*', 'fs', 'path', 'child_process', 'os'], message: 'The renderer runs in a browser: no Node modules.' },
          { regex: '(^|/)electron/shared/api(\\.ts)?$', allowTypeImports: true, message: 'Import only types from electron/shared/api.ts (use errors.ts for run-time values).' },
        ],
      }],
    },
  },
);
