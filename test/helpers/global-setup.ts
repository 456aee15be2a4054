import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Goldloop's state folder lies outside every project (platform/app-dirs.ts); a test run gets a
 * folder of its own, so no test reads or writes the user's, and none leaves anything behind.
 * Every worker and every `goldloop` a test starts inherits it.
 */
export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'goldloop-state-'));
  process.env.GOLDLOOP_STATE_DIR = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
