import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** The only files that import electron: they wire it to pure modules, which tests load without it. */
const ELECTRON_WIRING = [
  'electron/main/main.ts',
  'electron/main/window.ts',
  'electron/main/protocol.ts',
  'electron/main/settings-electron.ts',
  'electron/preload/preload.ts',
];
const ELECTRON_ONLY_IN_WIRING = [
  {
    name: 'electron',
    message:
      'Only main.ts, window.ts, protocol.ts, settings-electron.ts (electron/main) and preload.ts import electron; put logic in a pure module and inject what it needs.',
  },
  { name: 'electron-store', message: 'electron-store imports electron: only electron/main/settings-electron.ts may use it.' },
];
const SHELL_NOT_RENDERER = [{ group: ['**/renderer/**'], message: 'The shell talks to the dashboard over IPC only.' }];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', 'coverage/**', 'test/fixtures/**/node_modules/**'] },
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
    // The engine and the CLI run in plain Node: the Electron runtime must never leak in.
    files: [
      'electron/platform/**',
      'electron/store/**',
      'electron/engine/**',
      'electron/server/**',
      'electron/cli/**',
      'electron/contract/**',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'electron/core, cli and shared run in plain Node; only electron/main may import electron.' },
          ],
          patterns: [
            { group: ['**/main/**', '**/renderer/**'], message: 'Layers: core may not import from the Electron shell or the renderer.' },
          ],
        },
      ],
    },
  },
  {
    // Electron may be imported only by the shell (electron/main) and the preload, and there only by
    // the files that wire it: every other file of theirs is pure and unit-tested in plain Node,
    // which cannot load electron (the binary is absent where the tests run).
    files: ['electron/main/**', 'electron/preload/**', 'test/**', 'scripts/**', 'bench/**', 'bin/**', '*.ts', '*.js', '*.mjs'],
    ignores: [...ELECTRON_WIRING],
    rules: { 'no-restricted-imports': ['error', { paths: ELECTRON_ONLY_IN_WIRING }] },
  },
  {
    files: ['electron/main/**', 'electron/preload/**'],
    ignores: [...ELECTRON_WIRING],
    rules: { 'no-restricted-imports': ['error', { paths: ELECTRON_ONLY_IN_WIRING, patterns: SHELL_NOT_RENDERER }] },
  },
  {
    files: [...ELECTRON_WIRING],
    rules: { 'no-restricted-imports': ['error', { patterns: SHELL_NOT_RENDERER }] },
  },
  {
    // The dashboard reaches the engine only through the shared contract, whichever transport carries
    // it; from api.ts only types (its zod schemas are the engine's checks, not the bundle's weight).
    // .svelte files are held to the same rule by test/renderer/layers.test.ts.
    files: ['renderer/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer never imports electron: it talks through electron/contract.' }],
          patterns: [
            { regex: '(^|/)electron/(?!contract/)', message: 'renderer/** may import only from electron/contract.' },
            { group: ['node:*', 'fs', 'path', 'child_process', 'os'], message: 'The renderer runs in a browser: no Node modules.' },
            {
              regex: '(^|/)electron/contract/api(\\.ts)?$',
              allowTypeImports: true,
              message: 'Import only types from electron/contract/api.ts (use errors.ts for run-time values).',
            },
          ],
        },
      ],
    },
  },
);
