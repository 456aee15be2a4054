#!/usr/bin/env node
// Builds the Electron main process and the preload with esbuild (`npm run build:electron`):
//   out/main/main.js        ESM, one file for our code; npm packages stay external (node_modules ships with the app)
//   out/preload/preload.cjs CommonJS, fully bundled: a sandboxed preload can require only 'electron'
// The dashboard itself is vite's build (dist/renderer), made by `npm run build:renderer`.
// Files are written whole and renamed into place: two test files may build at the same time.
import { build } from 'esbuild';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const common = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  write: false,
};

const results = await Promise.all([
  build({ ...common, entryPoints: ['electron/main/main.ts'], outfile: 'out/main/main.js', format: 'esm', packages: 'external' }),
  build({
    ...common,
    entryPoints: ['electron/preload/preload.ts'],
    outfile: 'out/preload/preload.cjs',
    format: 'cjs',
    external: ['electron'],
  }),
]);
for (const file of results.flatMap((r) => r.outputFiles)) {
  mkdirSync(dirname(file.path), { recursive: true });
  const temp = `${file.path}.${process.pid}.tmp`;
  writeFileSync(temp, file.contents);
  renameSync(temp, file.path);
}
process.stdout.write('built out/main/main.js and out/preload/preload.cjs\n');
