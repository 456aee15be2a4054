#!/usr/bin/env node
// Builds the `goldloop` CLI with esbuild (`npm run build:cli`, and `npm ci` through `prepare`):
//   out/cli/main.mjs  ESM, our code in one file and chunks loaded on demand by the command that
//                     needs them; the pure-JS packages inside (loading hundreds of module files
//                     costs more than the code), the ones with files or binaries of their own external
// bin/goldloop.js runs it; without it (or with GOLDLOOP_FROM_SOURCE=1) it runs the sources through
// tsx, which costs a second of transpiling at every start. `npm test` builds it first.
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * zod's `z` namespace carries every locale it ships (~370 kB of the ~780 kB it bundles to), and
 * every command that reads a KB would parse them at start. Goldloop speaks English: the bundle
 * gets zod's English locale only (`z.locales.en`, the one zod sets itself as the default).
 */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]v4[\\/](classic|core)$/.test(args.resolveDir)
        ? { path: 'zod-locales', namespace: 'zod-english-only', pluginData: args.resolveDir }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'zod-english-only' }, (args) => ({
      contents: "export { default as en } from '../locales/en.js';",
      resolveDir: args.pluginData,
      loader: 'js',
    }));
  },
};

// Chunk names change with their contents: empty the folder, or every build leaves its old chunks.
await rm(join(root, 'out', 'cli'), { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { main: 'electron/cli/main.ts' },
  outdir: 'out/cli',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Read files beside their own code (node-notifier's helpers, conf's paths), or load a native
  // add-on when there is one (ws), or are only for running from source (tsx, esbuild).
  external: ['conf', 'electron', 'electron-store', 'node-notifier', 'ws', 'tsx', 'esbuild', 'dependency-cruiser'],
  sourcemap: true,
  // CommonJS packages inside an ES module call require(): give every file one.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  plugins: [zodEnglishOnly],
  logLevel: 'warning',
});
process.stdout.write('built out/cli/main.mjs\n');
