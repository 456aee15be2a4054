/**
 * A policy as a Seatbelt profile for macOS's `sandbox-exec`: the same file rules as bubblewrap's
 * mounts. In a profile the last rule that matches an operation decides it, so the rules come in
 * the same order: nothing writable, then what may be written, then what may not be inside that,
 * then what may be again; home unreadable, then what shows in it; last what stays hidden.
 * Seatbelt has no PID namespace; it refuses signals to processes outside the sandbox.
 */
import type { SandboxPolicy } from './policy.ts';

/** A profile string literal. */
const str = (path: string): string => `"${path.replace(/[\\"]/g, (c) => `\\${c}`)}"`;

/** A regex literal matching the file and the files a program writes beside it to replace it (`.claude.json.tmp.123`). */
const fileAndSiblings = (path: string): string => `#"^${path.replace(/[\\^$.*+?()[\]{}|"]/g, (c) => `\\${c}`)}([.][^/]*)?$"`;

const rule = (action: string, filters: string[]): string[] => (filters.length ? [`(${action} ${filters.join(' ')})`] : []);
const subpaths = (paths: readonly string[]): string[] => paths.map((p) => `(subpath ${str(p)})`);

/** The profile for `sandbox-exec -p` (every path real and existing, see `resolvePolicy`). */
export function seatbeltProfile(policy: SandboxPolicy): string {
  const own = [...subpaths(policy.ownFolders), ...policy.ownFiles.map((f) => `(regex ${fileAndSiblings(f)})`)];
  const hiddenFolders = policy.hidden.filter((h) => h.folder).map((h) => h.path);
  const hiddenFiles = policy.hidden.filter((h) => !h.folder).map((h) => `(literal ${str(h.path)})`);
  return [
    '(version 1)',
    '(allow default)',
    '; Signals reach only processes of this sandbox: not Goldloop.',
    '(deny signal)',
    '(allow signal (target same-sandbox))',
    "; Writes: the project, the temp folders, the devices and the CLI's own paths.",
    '(deny file-write*)',
    ...rule('allow file-write*', [...subpaths(['/dev', ...policy.temp]), ...own, `(subpath ${str(policy.project)})`]),
    '; Kept in place: the project and its pinned folders cannot be renamed away or replaced.',
    ...rule(
      'deny file-write*',
      [policy.project, ...policy.pinned].map((p) => `(literal ${str(p)})`),
    ),
    ...rule('deny file-write*', subpaths(policy.readOnly)),
    ...rule('allow file-write*', subpaths(policy.writable)),
    "; Reads: home is hidden, except the programs, the CLI's own paths and the project.",
    ...(policy.home ? [`(deny file-read* (subpath ${str(policy.home)}))`] : []),
    ...rule('allow file-read*', [...subpaths(policy.programs), ...own, `(subpath ${str(policy.project)})`]),
    '; Any path may be looked up (realpath walks through home), none of the hidden ones read.',
    '(allow file-read-metadata)',
    ...rule('deny file-read* file-write*', [...subpaths(hiddenFolders), ...hiddenFiles]),
    '',
  ].join('\n');
}
