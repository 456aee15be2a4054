/**
 * Files Goldloop ships beside its code (the default prompt template, the demo's scripted agent,
 * the built dashboard), found from the package's root, so they are found the same way whether the
 * code runs from its sources, from the CLI's bundle (out/cli/) or from the desktop app's bundle.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** The folder of Goldloop's package.json, above this file wherever it was bundled to. */
export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'goldloop') return (root = dir);
    const up = dirname(dir);
    if (up === dir) throw new Error(`Goldloop's package.json was not found above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}

/** A file of the package, by its path from the package's root. */
export const packageFile = (...path: string[]): string => join(packageRoot(), ...path);
