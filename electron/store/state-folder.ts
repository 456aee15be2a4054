/**
 * A project's folder in Goldloop's state folder (platform/app-dirs.ts): the run state that decides
 * gold, the changes waiting to be written, the gate timings, the cycle's journal, Goldloop's record
 * of the task statuses and the snapshots a cycle is compared with. It lies outside the project,
 * where the agent — which may write anything in the project — cannot reach it (the sandbox hides
 * the whole state folder).
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { writeFileAtomic } from '../platform/atomic.ts';
import { stateDir } from '../platform/app-dirs.ts';
import { SnapshotRepo } from '../platform/snapshots.ts';
import { GOLDLOOP_DIR } from './kb/kb-file.ts';

/** `<state>/projects/<name>-<hash of the path>`: readable for a person, distinct for two folders with one name. */
export function stateFolder(projectDir: string, root = stateDir()): string {
  const path = resolve(projectDir);
  const hash = createHash('sha256').update(path).digest('hex').slice(0, 12);
  const name =
    basename(path)
      .replace(/[^\w.-]+/g, '_')
      .slice(0, 40) || 'project';
  return join(root, 'projects', `${name}-${hash}`);
}

/** The files of a project's state folder. */
export const STATE_FILES = {
  runState: 'state.json',
  pendingSettings: 'pending-settings.json',
  gateTimings: 'gate-timings.json',
  journal: 'journal.json',
  tasks: 'tasks.json',
  snapshots: 'snapshots.git',
  requirementTests: 'requirement-tests.json',
  sessionTraces: 'session-traces.json',
} as const;

/** What earlier versions kept in the project's `.goldloop/`: taken over once, then never read there again. */
const TAKEN_OVER = [STATE_FILES.runState, STATE_FILES.pendingSettings, STATE_FILES.gateTimings];

/** Written last by the take-over: its presence says the project's files are kept here. */
const MARKER = 'project.json';

/**
 * The project's state folder, made on first use. A project that an earlier version ran has its
 * run state, pending settings and gate timings in `.goldloop/`: they are taken over once (read,
 * written here, removed there), so an upgrade loses nothing; once the folder's marker is written,
 * what anyone writes to the old paths is never read.
 */
export async function projectStateFolder(projectDir: string): Promise<string> {
  const folder = stateFolder(projectDir);
  if (await exists(join(folder, MARKER))) return folder;
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const moved: string[] = [];
  for (const name of TAKEN_OVER) {
    const old = join(projectDir, GOLDLOOP_DIR, name);
    const text = await readFile(old, 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    // Another process may have taken it over first: its copy stands.
    if (!(await exists(join(folder, name)))) await writeFileAtomic(join(folder, name), text);
    await rm(old, { force: true });
    moved.push(name);
  }
  const marker = { project: resolve(projectDir), since: new Date().toISOString(), taken_over: moved };
  await writeFile(join(folder, MARKER), `${JSON.stringify(marker, null, 2)}\n`, { flag: 'wx' }).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'EEXIST') throw error;
  });
  return folder;
}

/** A file of the project's state folder (the folder made, and taken over, first). */
export async function stateFile(projectDir: string, name: (typeof STATE_FILES)[keyof typeof STATE_FILES]): Promise<string> {
  return join(await projectStateFolder(projectDir), name);
}

/**
 * The project's snapshots (platform/snapshots.ts): a git repository of Goldloop's own in the
 * project's state folder, the project its work tree; made on first use.
 */
export async function openSnapshots(projectDir: string): Promise<SnapshotRepo> {
  return new SnapshotRepo(await stateFile(projectDir, STATE_FILES.snapshots), resolve(projectDir)).open();
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
