#!/usr/bin/env node
// Runs the TypeScript CLI from source through tsx's loader, so `npx goldloop` needs no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../electron/cli/main.ts');
process.exitCode = await main(process.argv);
