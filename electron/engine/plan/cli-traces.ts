/**
 * What an agent CLI keeps of a session in its own folders (Claude Code's ~/.claude/projects,
 * Codex's sessions, Gemini's ~/.gemini/tmp, OpenCode's storage): the sandbox shows those folders
 * to every later run of the CLI, so a session that saw held-out tests must leave nothing there.
 * The files are listed before the session and after it: what it created is removed; a file it
 * changed (a history, a database) cannot be taken back without losing the user's own, so it is
 * searched for the drafts' lines and named when it holds one.
 */
import { lstat, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';

/** A file as it was: a file replaced by another (a new inode) counts as new. */
interface Seen {
  ino: number;
  size: number;
  mtimeMs: number;
}

export type FileList = Map<string, Seen>;

/** Every regular file under `roots` (and the files among them), symbolic links not followed. */
export async function listFiles(roots: readonly string[]): Promise<FileList> {
  const out: FileList = new Map();
  const visit = async (path: string): Promise<void> => {
    const st = await lstat(path).catch(() => undefined);
    if (!st) return;
    if (st.isFile()) out.set(path, { ino: st.ino, size: st.size, mtimeMs: st.mtimeMs });
    else if (st.isDirectory()) for (const name of await readdir(path).catch(() => [] as string[])) await visit(join(path, name));
  };
  for (const root of roots) await visit(root);
  return out;
}

/** The lines of the drafts that say something of their own: long enough not to be boilerplate. */
function telltales(texts: readonly string[]): string[] {
  const lines = new Set<string>();
  for (const text of texts)
    for (const line of text.split('\n').map((l) => l.trim()))
      if (line.length >= 24) {
        lines.add(line);
        // As a JSON string holds it (a transcript is JSON lines).
        lines.add(JSON.stringify(line).slice(1, -1));
      }
  return [...lines];
}

/** A file larger than this is not searched (it is named as not searched instead). */
const MAX_SEARCHED = 64 * 1024 * 1024;

export interface TracesCleared {
  /** Files the session created, removed. */
  removed: string[];
  /** Files it changed that hold a line of the drafts (or were too large to search). */
  holding: string[];
}

/**
 * Removes the files under `roots` that were not in `before` (or were replaced), and names the
 * changed ones that hold a line of `texts`.
 */
export async function clearSessionTraces(roots: readonly string[], before: FileList, texts: readonly string[]): Promise<TracesCleared> {
  const after = await listFiles(roots);
  const lines = telltales(texts);
  const out: TracesCleared = { removed: [], holding: [] };
  for (const [path, now] of after) {
    const was = before.get(path);
    if (!was || was.ino !== now.ino) {
      await rm(path, { force: true });
      out.removed.push(path);
    } else if (was.size !== now.size || was.mtimeMs !== now.mtimeMs) {
      if (now.size > MAX_SEARCHED) out.holding.push(path);
      else {
        const text = await readFile(path, 'utf8').catch(() => '');
        if (lines.some((l) => text.includes(l))) out.holding.push(path);
      }
    }
  }
  return out;
}
