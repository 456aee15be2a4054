/**
 * Folders that are never a project: a file system's root, the operating system's own folders, and
 * the folders that hold users' homes or a home itself. Goldloop runs `git init` and an agent with
 * write access in a project folder; offered one of these, it refuses instead of offering that.
 */
import { homedir } from 'node:os';
import { dirname, parse, resolve, sep } from 'node:path';

const POSIX_SYSTEM = [
  '/bin',
  '/boot',
  '/dev',
  '/etc',
  '/lib',
  '/lib32',
  '/lib64',
  '/libx32',
  '/opt',
  '/proc',
  '/run',
  '/sbin',
  '/srv',
  '/sys',
  '/usr',
  '/var',
  '/tmp',
  '/mnt',
  '/media',
  '/home',
  '/root',
  '/snap',
  // macOS
  '/System',
  '/Library',
  '/Applications',
  '/Users',
  '/Volumes',
  '/private',
  '/cores',
];
/** Their whole trees are the kernel's or the devices': nothing under them is a project either. */
const POSIX_TREES = ['/proc', '/sys', '/dev'];

/** Why `path` cannot be a project folder, or undefined when it can. */
export function systemFolderProblem(path: string, home = homedir(), platform: NodeJS.Platform = process.platform): string | undefined {
  const p = resolve(path);
  const root = parse(p).root;
  if (p === root) return `${p} is the root of a file system`;
  if (p === resolve(home)) return `${p} is your home folder`;
  if (p === dirname(resolve(home))) return `${p} holds users' home folders`;
  if (platform === 'win32') {
    const top = p.slice(root.length).split(sep)[0]!.toLowerCase();
    const depth = p.slice(root.length).split(sep).filter(Boolean).length;
    if (depth === 1 && ['windows', 'program files', 'program files (x86)', 'programdata', 'users'].includes(top))
      return `${p} is a folder of the operating system`;
    return undefined;
  }
  if (POSIX_SYSTEM.includes(p)) return `${p} is a folder of the operating system`;
  if (POSIX_TREES.some((t) => p.startsWith(`${t}/`))) return `${p} lies in ${p.split('/').slice(0, 2).join('/')}, the kernel's own files`;
  return undefined;
}
