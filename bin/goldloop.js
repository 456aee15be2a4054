#!/usr/bin/env node
// The `goldloop` command: the CLI's bundle (out/cli/main.mjs, built by `npm ci` and `npm run
// build:cli`), or its TypeScript sources through tsx's loader when there is no bundle or
// GOLDLOOP_FROM_SOURCE=1 asks for them (development: no build step, a slower start).
import { existsSync } from 'node:fs';

const bundle = new URL('../out/cli/main.mjs', import.meta.url);
let main;
if (!process.env.GOLDLOOP_FROM_SOURCE && existsSync(bundle)) {
  ({ main } = await import(bundle.href));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../electron/cli/main.ts'));
}
process.exitCode = await main(process.argv);
