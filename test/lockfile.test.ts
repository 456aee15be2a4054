import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * `npm ci` refuses a lock file that lacks an entry for any optional dependency of a locked package,
 * even one for another platform. An `npm install` on a machine whose registry cannot serve the other
 * platforms' binaries (opencode-darwin-arm64 and friends) silently drops their entries, and CI then
 * fails in its first seconds; this test catches that before a commit does.
 */
type LockPackage = { optionalDependencies?: Record<string, string> };
const LOCK = JSON.parse(readFileSync(fileURLToPath(new URL('../package-lock.json', import.meta.url)), 'utf8')) as {
  packages: Record<string, LockPackage>;
};

/** Where npm would look for `name` when `from` (a lock key) depends on it: beside it, then up the tree. */
function resolves(from: string, name: string): boolean {
  let base = from;
  for (;;) {
    if (`${base ? `${base}/` : ''}node_modules/${name}` in LOCK.packages) return true;
    const at = base.lastIndexOf('node_modules/');
    if (at < 0) return false;
    base = base.slice(0, at).replace(/\/$/, '');
  }
}

describe('package-lock.json', () => {
  it('has an entry for every optional dependency of every locked package (npm ci needs them all)', () => {
    const missing: string[] = [];
    for (const [key, pkg] of Object.entries(LOCK.packages)) {
      for (const name of Object.keys(pkg.optionalDependencies ?? {}))
        if (!resolves(key, name)) missing.push(`${key || '(root)'} -> ${name}`);
    }
    expect(missing, 'add these entries (version, os, cpu, "optional": true) or run npm install where the registry serves them').toEqual([]);
  });
});
