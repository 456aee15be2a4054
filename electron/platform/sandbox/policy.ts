/**
 * What a sandboxed program may see and write, in paths: one policy, which `bwrap.ts` turns into
 * bubblewrap's mounts and `seatbelt.ts` into a Seatbelt profile. Every path is absolute, real (no
 * symlink in it) and exists; `resolvePolicy` makes a policy so from the paths a caller names.
 */
import { lstat, mkdir, realpath } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';

export interface SandboxPolicy {
  /** The program's working folder: readable and writable. */
  project: string;
  /** Inside the project, kept in place: writable, but never renamed away or replaced (`.git`). */
  pinned: string[];
  /** Inside the project: readable, not writable (`.goldloop`, `.git/hooks`). */
  readOnly: string[];
  /** Inside a read-only path, writable again (`.goldloop/notes`). */
  writable: string[];
  /** The user's home: hidden, except `programs` and the CLI's own paths that lie in it. Undefined: there is none. */
  home?: string;
  /** Readable, not writable, wherever they are: the folders on PATH under home, the program's own files. */
  programs: string[];
  /** The program's own folders (its config, login, cache): readable and writable wherever they are. */
  ownFolders: string[];
  /**
   * The program's own files in home (`~/.claude.json`). Bubblewrap shows a copy (a file mounted on
   * its own could not be replaced by rename, as programs save); Seatbelt lets it write the file.
   */
  ownFiles: string[];
  /** Folders and files hidden whatever lies around them (Goldloop's config and state folders). */
  hidden: { path: string; folder: boolean }[];
  /** The system's temp folders (Seatbelt lets the program write them; bubblewrap gives it an empty /tmp). */
  temp: string[];
  /**
   * The program stays in its caller's session (bubblewrap: no `--new-session`), and so in the
   * scheduling group whose priority the caller sets. Only for a program with no terminal to
   * reach: its caller started it in a session of its own, with pipes for stdio.
   */
  sameSession?: boolean;
}

/** The paths a caller names; any may be relative (to the project) or missing. */
export interface PolicyRequest {
  project: string;
  /**
   * Folders made (in this order) before the sandbox starts, each only when its parent exists:
   * a rule on a missing folder would hold nothing, and an agent must not be able to create a
   * `.git/hooks` that was missing. Relative to the project.
   */
  make?: string[];
  pinned?: string[];
  readOnly?: string[];
  writable?: string[];
  /** Hidden (but what the other fields show in it); left out, home is left as the system has it. */
  home?: string;
  programs?: string[];
  ownFolders?: string[];
  ownFiles?: string[];
  hidden?: string[];
  temp?: string[];
  sameSession?: boolean;
}

/** The real path, or undefined when it does not exist. */
async function real(path: string): Promise<string | undefined> {
  try {
    return await realpath(path);
  } catch {
    return undefined;
  }
}

async function reals(paths: readonly string[], base: string): Promise<string[]> {
  const found = await Promise.all(paths.map((p) => real(isAbsolute(p) ? p : join(base, p))));
  return [...new Set(found.filter((p): p is string => p !== undefined))];
}

/**
 * The policy with every path real and existing. The folders asked for are made first, and the
 * program's own folders (so what it saves there outlives the cycle). A path that still does not
 * exist is left out: nothing to show or to hide.
 */
export async function resolvePolicy(request: PolicyRequest): Promise<SandboxPolicy> {
  const project = await realpath(request.project);
  for (const folder of request.make ?? []) {
    // EEXIST, or ENOENT when its parent is missing (no .git in a folder that is not a repository).
    await mkdir(isAbsolute(folder) ? folder : join(project, folder)).catch(() => undefined);
  }
  await Promise.all((request.ownFolders ?? []).map((p) => mkdir(p, { recursive: true, mode: 0o700 }).catch(() => undefined)));
  const home = request.home === undefined ? undefined : await real(request.home);
  const hidden: SandboxPolicy['hidden'] = [];
  for (const path of await reals(request.hidden ?? [], project)) {
    hidden.push({ path, folder: (await lstat(path)).isDirectory() });
  }
  return {
    project,
    pinned: await reals(request.pinned ?? [], project),
    readOnly: await reals(request.readOnly ?? [], project),
    writable: await reals(request.writable ?? [], project),
    ...(home ? { home } : {}),
    programs: await reals(request.programs ?? [], project),
    ownFolders: await reals(request.ownFolders ?? [], project),
    ownFiles: await reals(request.ownFiles ?? [], project),
    hidden,
    temp: await reals(request.temp ?? [], project),
    ...(request.sameSession ? { sameSession: true } : {}),
  };
}

/** True when `path` is `folder` or lies inside it. */
export const within = (path: string, folder: string): boolean =>
  path === folder || path.startsWith(folder.endsWith('/') ? folder : `${folder}/`);
