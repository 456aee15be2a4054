/**
 * Settling the knowledge base after the agent had it: reading it as the agent left it (an
 * unreadable one is set aside, never kept), rolling a rejected cycle back, and ending a cycle the
 * gates did not measure. Each returns what happened; the loop alerts and records it.
 */
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../../platform/clock.ts';
import * as git from '../../platform/git.ts';
import { GOLDLOOP_DIR, KB_FILE, KbError, loadKb, saveKb } from '../../store/kb/kb-file.ts';
import type { Kb, Note } from '../../store/kb/schema.ts';
import { saveTaskRecord } from '../../store/task-record.ts';
import { findTask } from '../tasks/queue.ts';
import { restoreGoldloopFields } from './kb-guard.ts';
import { collectNotes, keepNotes } from './notes.ts';
import { detectTampering, type CycleSnapshots, type TamperFinding } from './tamper.ts';

/** An agent's KB that could not be read: where the copy is kept, and why it failed. */
export interface SetAside {
  path: string;
  why: string;
}

/** The KB as the agent left it, or the cycle's starting KB when the agent's could not be read. */
export interface AgentKb {
  kb: Kb;
  setAside?: SetAside;
}

/**
 * The KB as the agent left it. One it left unreadable is not kept as the project's KB — that
 * would let an agent hide a weakened gate behind a parse error, which the user fixes and then
 * starts a new run from — but set aside in `.goldloop/` (nothing is lost), and the cycle's
 * starting KB is put back.
 */
export async function readAgentKb(projectDir: string, kbBefore: Kb, iteration: number): Promise<AgentKb> {
  try {
    return { kb: await loadKb(projectDir) };
  } catch (error) {
    const path = join(GOLDLOOP_DIR, `kb-unreadable-cycle-${iteration}.json`);
    // Moved, not copied: whatever the agent left there (a FIFO, which a copy would wait on forever,
    // a folder, a link) is kept as it is, never read.
    await rename(join(projectDir, KB_FILE), join(projectDir, path)).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw e; // Deleted: there is nothing to keep.
    });
    await saveKb(projectDir, kbBefore, { replaceUnreadable: true });
    const why = error instanceof KbError ? error.message.split('\n')[0]! : (error as Error).message;
    return { kb: structuredClone(kbBefore), setAside: { path, why } };
  }
}

/** Puts back in the agent's KB what only Goldloop writes; returns what, in words, a KB set aside included. */
export function restoreAgentKb(read: AgentKb, kbBefore: Kb): string[] {
  const restored = restoreGoldloopFields(read.kb, kbBefore);
  if (read.setAside) restored.push(`the knowledge base (left unreadable, kept as ${read.setAside.path})`);
  return restored;
}

/** What a roll-back needs: the cycle's snapshots, and the project's own commit at its start (git's record, not Goldloop's). */
export interface RollBack {
  snapshots: CycleSnapshots;
  gitBefore?: string;
}

/**
 * Rolls the project back to the cycle's start and returns the ref that keeps the cycle's work.
 * Goldloop's snapshot of the start is what the files are put back from, and its snapshot of the
 * end keeps the work under the ref; the project's own repository gets the same ref and its branch
 * back where its .git still allows (an agent may have deleted the commit the cycle started from).
 */
export async function rejectCycle(projectDir: string, cycle: RollBack, iteration: number, why: string): Promise<string> {
  const ref = `refs/goldloop/rejected/cycle-${iteration}`;
  const { repo, start, end } = cycle.snapshots;
  if (end) await repo.keep(ref, end);
  await git.keepWorkTree(projectDir, ref, `goldloop: rejected cycle ${iteration} (${why})`).catch(() => undefined);
  await repo.restore(start);
  if (cycle.gitBefore) await git.resetTo(projectDir, cycle.gitBefore).catch(() => false);
  return ref;
}

export interface UnmeasuredCycle {
  projectDir: string;
  clock: Clock;
  iteration: number;
  /** The KB at the cycle's start, the one the agent was given. */
  kbBefore: Kb;
  /** The KB as the agent left it (readAgentKb). */
  read: AgentKb;
  taskId?: string;
  /** The cycle's snapshots (git only): what its diff is checked on. */
  snapshots?: CycleSnapshots;
  /** The project's own commit at the start. */
  gitBefore?: string;
  /** Whether a cycle that weakened the tests is rolled back (git, and not switched off). */
  mayRollBack: boolean;
  /** The notes the cycle left, when they were collected before a roll-back could remove them. */
  notes?: Note[];
}

export interface Settled {
  /** What was put back, in words. */
  ignored: string[];
  tamper: TamperFinding[];
  /** Where the work of a cycle rolled back for its tampering is kept. */
  rejectedRef?: string;
  /** The KB after the roll-back, when that could not be read either. */
  setAsideAfterRollBack?: SetAside;
}

/**
 * Ends a cycle that is not measured (interrupted, a crash, a usage limit): the KB gets back what
 * only Goldloop writes — otherwise an agent could weaken a gate and then exit with an error, and
 * the next cycle would take its edit as the user's — keeps the notes it left, stamped with this
 * cycle, and puts its task back to ready. Its diff is checked for weakened tests (skips, deleted
 * test files, reports written) as a measured cycle's is, and rolled back when it has any: the
 * next cycle's snapshot commit must not take such a change in unseen.
 */
export async function settleKb(cycle: UnmeasuredCycle): Promise<Settled> {
  const { projectDir, kbBefore, iteration, taskId, snapshots } = cycle;
  let kb = cycle.read.kb;
  const restored = restoreAgentKb(cycle.read, kbBefore);
  const fresh = cycle.notes ?? (await collectNotes(projectDir, kb, kbBefore, iteration, cycle.clock.now(), taskId));
  const tamper = snapshots ? await detectTampering({ snapshots, restored: [], kb: kbBefore }) : [];
  let rejected: Pick<Settled, 'rejectedRef' | 'setAsideAfterRollBack'> = {};
  if (tamper.length && snapshots && cycle.mayRollBack) {
    const rejectedRef = await rejectCycle(projectDir, { snapshots, gitBefore: cycle.gitBefore }, iteration, tamper[0]!.kind);
    // The roll-back put the KB of the cycle's start back (it is committed); read it as it is now.
    const reread = await readAgentKb(projectDir, kbBefore, iteration);
    kb = reread.kb;
    restoreGoldloopFields(kb, kbBefore);
    rejected = { rejectedRef, ...(reread.setAside ? { setAsideAfterRollBack: reread.setAside } : {}) };
  }
  restored.push(...keepNotes(kb, kbBefore, fresh));
  const task = taskId ? findTask(kb, taskId)?.task : undefined;
  if (task) task.status = 'ready';
  await saveKb(projectDir, kb);
  await saveTaskRecord(projectDir, kb);
  return { ignored: restored, tamper, ...rejected };
}
