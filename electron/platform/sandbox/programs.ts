/**
 * What a program needs to see of the folders a sandbox hides (home, /tmp) to start at all: the
 * folders on PATH that lie there (a CLI installed with nvm, in ~/.local/bin, pyenv's shims) and the
 * files the program itself is made of. All of it is shown read-only.
 */
import { accessSync, constants, existsSync, realpathSync, statSync } from 'node:fs';
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import { packageRoot } from '../package-root.ts';
import { within } from './policy.ts';

/** Whether `file` exists and this process may run it. */
export function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The program's path on PATH, or undefined. */
export function onPath(name: string, path: string): string | undefined {
  return path
    .split(delimiter)
    .filter(Boolean)
    .map((dir) => join(dir, name))
    .find(isExecutable);
}

const isFolder = (path: string): boolean => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
};

/**
 * The folders on PATH inside any of `roots`, and with each what its programs run from: an npm
 * prefix's `bin` brings its prefix (`~/.nvm/versions/node/v20/bin/claude` is a link into
 * `../lib/node_modules`), a `shims` folder its tool's root (pyenv's shims run `~/.pyenv/libexec`).
 */
export function pathFoldersIn(roots: readonly string[], path: string): string[] {
  const found: string[] = [];
  for (const dir of path.split(delimiter)) {
    if (!dir || !isAbsolute(dir) || !roots.some((r) => within(dir, r)) || !isFolder(dir)) continue;
    const parent = dirname(dir);
    const prefix = dir.endsWith('/bin') && isFolder(join(parent, 'lib', 'node_modules'));
    const shims = dir.endsWith('/shims') && !roots.includes(parent);
    found.push(prefix || shims ? parent : dir);
  }
  return [...new Set(found)];
}

/** The folder of the node package a file belongs to (the nearest with a package.json), not above `root`. */
function packageFolder(file: string, root: string): string | undefined {
  for (let dir = dirname(file); within(dir, root) && dir !== root; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
  }
  return undefined;
}

/**
 * The files a program is made of, where they lie inside `roots`: the executable (found on PATH
 * when it is a bare name) and every argument that names an existing file (a script), each real
 * file with the node package it belongs to (a CLI's `cli.js` loads its siblings).
 */
export function programFiles(argv: readonly string[], roots: readonly string[], path: string, cwd: string): string[] {
  const [program, ...args] = argv;
  if (!program) return [];
  const named = [program.includes('/') ? resolve(cwd, program) : onPath(program, path), ...args.filter((a) => isAbsolute(a))];
  const found: string[] = [];
  for (const name of named) {
    if (!name || !existsSync(name)) continue;
    for (const file of new Set([name, realpathSync(name)])) {
      const root = roots.find((r) => within(file, r));
      if (root) found.push(packageFolder(file, root) ?? file);
    }
  }
  return [...new Set(found)];
}

const ownRoot = (): string | undefined => {
  try {
    return packageRoot();
  } catch {
    return undefined;
  }
};

/**
 * Goldloop's own files (read-only), where they would be hidden (installed or checked out under
 * home or a temp folder): what it ships for agents and gate commands to run, such as the demo's
 * scripted agent, its security scan's ESLint and config, and what those import. Not when the project is inside them, or they inside the project (Goldloop run
 * on its own checkout): the project stays the agent's to write.
 */
export function goldloopFiles(hiddenRoots: readonly string[], project: string, root = ownRoot()): string[] {
  if (!root) return [];
  if (!hiddenRoots.some((r) => within(root, r)) || within(project, root) || within(root, project)) return [];
  return [root];
}
