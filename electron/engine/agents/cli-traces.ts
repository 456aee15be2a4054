/**
 * What an agent CLI keeps of a session in its own folders (Claude Code's ~/.claude/projects,
 * Codex's sessions, Gemini's ~/.gemini/tmp, OpenCode's storage): the sandbox shows those folders
 * to every later run of the CLI, so a session that saw held-out tests must leave nothing there.
 * The files are listed before the session and after it: what it created is removed; a file it
 * changed (a history, a database) cannot be taken back without losing the user's own, so it is
 * searched for the drafts' lines and named when it holds one.
 */
import { lstat, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { STATE_FILES, stateFile } from '../../store/state-folder.ts';

/** A file as it was: a file replaced by another (a new inode) counts as new. */
export interface Seen {
  ino: number;
  size: number;
  mtimeMs: number;
  /** When it was made (its change time where the file system keeps no birth time). */
  bornMs: number;
}

export type FileList = Map<string, Seen>;

/** Every regular file under `roots` (and the files among them), symbolic links not followed. */
export async function listFiles(roots: readonly string[]): Promise<FileList> {
  const out: FileList = new Map();
  const visit = async (path: string): Promise<void> => {
    const st = await lstat(path).catch(() => undefined);
    if (!st) return;
    if (st.isFile()) out.set(path, { ino: st.ino, size: st.size, mtimeMs: st.mtimeMs, bornMs: st.birthtimeMs || st.mtimeMs });
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
 * changed ones that hold a line of `texts`. `until`: only files made by then (a session a crashed
 * process left: what the CLI made after it is the user's own).
 */
export async function clearSessionTraces(
  roots: readonly string[],
  before: FileList,
  texts: readonly string[],
  until = Infinity,
): Promise<TracesCleared> {
  const after = await listFiles(roots);
  const lines = telltales(texts);
  const out: TracesCleared = { removed: [], holding: [] };
  for (const [path, now] of after) {
    const was = before.get(path);
    if (!was || was.ino !== now.ino) {
      if (now.bornMs > until) continue;
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

/**
 * A session whose traces must be cleared, recorded in the state folder before it starts: read
 * back at the next start when the process running it died first (a crash, `kill -9`).
 */
export interface SessionRecord {
  roots: string[];
  before: FileList;
  /** Files made under `roots` after this are not the session's (its time limit, and a margin). */
  until: number;
  /** Files it writes in the project, relative: removed too. */
  projectFiles: string[];
}

/** Records a session about to run; returns what clears its record once its traces are cleared. */
export async function recordSession(projectDir: string, session: SessionRecord): Promise<() => Promise<void>> {
  const record = await stateFile(projectDir, STATE_FILES.sessionTraces);
  await writeFile(record, JSON.stringify({ ...session, before: [...session.before] }), { mode: 0o600 });
  return () => rm(record, { force: true });
}

/** Clears what a recorded session left when the process running it died; nothing when none did. */
export async function finishLeftSession(projectDir: string): Promise<void> {
  const record = await stateFile(projectDir, STATE_FILES.sessionTraces);
  const text = await readFile(record, 'utf8').catch(() => undefined);
  if (text === undefined) return;
  try {
    const left = JSON.parse(text) as Omit<SessionRecord, 'before'> & { before: [string, Seen][] };
    for (const file of left.projectFiles) await rm(join(projectDir, file), { force: true });
    await clearSessionTraces(left.roots, new Map(left.before), [], left.until);
  } catch {
    // A record this version cannot read: nothing is removed that might be the user's.
  }
  await rm(record, { force: true });
}
