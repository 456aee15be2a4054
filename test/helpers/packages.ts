/** This repository's installed npm packages, linked into temp projects the way `npm install` would put them. */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, symlink } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

/**
 * Links packages of this repository's node_modules into a temp project, with their commands in
 * node_modules/.bin, as `npm install` would. Only the named packages: a tool's caches land in the
 * temp project, not in the repository. The tests that call it skip when one is not installed.
 */
export async function linkPackages(dir: string, packages: string[]): Promise<void> {
  await mkdir(join(dir, 'node_modules/.bin'), { recursive: true });
  for (const name of packages) {
    const from = resolve('node_modules', name);
    await mkdir(dirname(join(dir, 'node_modules', name)), { recursive: true });
    await symlink(from, join(dir, 'node_modules', name));
    const { bin } = JSON.parse(readFileSync(join(from, 'package.json'), 'utf8')) as { bin?: string | Record<string, string> };
    const bins = typeof bin === 'string' ? { [name]: bin } : (bin ?? {});
    for (const [command, file] of Object.entries(bins)) await symlink(join(from, file), join(dir, 'node_modules/.bin', command));
  }
}

/** Whether this repository has every one of the packages installed. */
export const installed = (...packages: string[]): boolean => packages.every((p) => existsSync(resolve('node_modules', p, 'package.json')));
