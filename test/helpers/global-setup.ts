import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Runs once before any test file. Goldloop's state folder lies outside every project
 * (platform/app-dirs.ts): a test run gets a folder of its own, so no test reads or writes the
 * user's, and none leaves anything behind; every worker and every `goldloop` a test starts
 * inherits it.
 */
export default function setup(): () => void {
  // The tests run `goldloop` as users do, from the CLI's bundle (bin/goldloop.js): built from these sources first.
  execFileSync(process.execPath, [fileURLToPath(new URL('../../scripts/build-cli.mjs', import.meta.url))], { stdio: 'ignore' });
  // And the dashboard `goldloop serve` serves, once here: test files that each rebuilt it raced, one
  // serving from the folder while another emptied it.
  const root = fileURLToPath(new URL('../../', import.meta.url));
  execFileSync(join(root, 'node_modules', '.bin', 'vite'), ['build', '--logLevel', 'error'], { cwd: root, stdio: 'ignore' });
  const dir = mkdtempSync(join(tmpdir(), 'goldloop-state-'));
  process.env.GOLDLOOP_STATE_DIR = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
