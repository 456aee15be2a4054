/**
 * The journal of the cycle under way, in the project's state folder: written at the cycle's start,
 * removed at its end. A run that starts and finds one knows that the process before it ended
 * mid-cycle (killed, crashed, the machine restarted) and settles that cycle first, from what the
 * journal holds: the KB the agent was given and Goldloop's snapshot of the project at the start.
 */
import { readFile, rm } from 'node:fs/promises';
import { writeFileAtomic } from '../platform/atomic.ts';
import { KbSchema, type Kb } from './kb/schema.ts';
import { STATE_FILES, stateFile } from './state-folder.ts';

export interface CycleJournal {
  version: 1;
  run_id: string;
  iteration: number;
  started_at: string;
  /** The task id, or the gap worked on. */
  work: string;
  task_id?: string;
  /** The project's own commit at the start, when it is a git repository. */
  git_before?: string;
  /** Goldloop's snapshot of the start (a commit of its private repository); absent until it is taken. */
  snapshot?: string;
  /** The KB the agent was given. */
  kb_before: Kb;
}

const journalPath = (projectDir: string): Promise<string> => stateFile(projectDir, STATE_FILES.journal);

/** Written durably: it is what a restart after a power cut settles the cycle from. */
export async function writeJournal(projectDir: string, journal: CycleJournal): Promise<void> {
  await writeFileAtomic(await journalPath(projectDir), `${JSON.stringify(journal)}\n`);
}

/** The journal a cycle left, or undefined. One Goldloop cannot read (it writes them whole) is as good as none. */
export async function readJournal(projectDir: string): Promise<CycleJournal | undefined> {
  try {
    const parsed = JSON.parse(await readFile(await journalPath(projectDir), 'utf8')) as CycleJournal;
    if (parsed.version !== 1 || typeof parsed.iteration !== 'number' || typeof parsed.work !== 'string') return undefined;
    return { ...parsed, kb_before: KbSchema.parse(parsed.kb_before) };
  } catch {
    return undefined;
  }
}

/** The cycle has ended, however it ended: nothing is left to settle. */
export async function clearJournal(projectDir: string): Promise<void> {
  await rm(await journalPath(projectDir), { force: true });
}
