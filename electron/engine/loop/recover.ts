/**
 * What a run does before its first cycle about the runs before it: it settles a cycle the last
 * process left unfinished (its journal), and reopens tasks the KB says are done that Goldloop
 * never verified. Either is something an agent that killed Goldloop, or edited the KB after it had
 * ended, would otherwise have got away with.
 */
import { endLeftChildren, recordChildrenIn } from '../../platform/child-record.ts';
import { finishLeftSession } from '../agents/cli-traces.ts';
import { stateDir } from '../../platform/app-dirs.ts';
import { readHistory } from '../../store/history.ts';
import { clearJournal, readJournal } from '../../store/journal.ts';
import { loadKb, saveKb } from '../../store/kb/kb-file.ts';
import { loadTaskRecord, saveTaskRecord } from '../../store/task-record.ts';
import { allTasks } from '../tasks/queue.ts';
import type { CycleContext, Work } from './cycle-context.ts';
import { snapshotEnd } from './execute.ts';
import { cycleLimits } from './schedule.ts';
import { interrupted } from './unmeasured.ts';

/**
 * Settles the cycle the last process was running when it ended (`kill -9`, a crash, a reboot), as
 * an interrupted cycle is settled: Goldloop's fields of the KB put back, the diff since the cycle's
 * start checked and rolled back when it weakens the tests, the task ready again; recorded in the
 * history as interrupted. Nothing of it counts, whatever the agent wrote meanwhile.
 */
export async function settleLeftCycle(ctx: CycleContext): Promise<void> {
  const journal = await readJournal(ctx.projectDir);
  if (!journal) return;
  // The process ended after the cycle's history line but before it removed the journal: the cycle
  // was settled then, and settling it again would undo a verified task.
  const settled = (await readHistory(ctx.projectDir)).some((h) => h.run_id === journal.run_id && h.iteration === journal.iteration);
  if (settled) return clearJournal(ctx.projectDir);
  const { iteration, work } = journal;
  const w: Work = {
    iteration,
    startedAt: Date.parse(journal.started_at),
    workId: work,
    ...(journal.task_id ? { taskId: journal.task_id } : {}),
    ...(journal.git_before ? { gitBefore: journal.git_before } : {}),
    ...(ctx.snapshots && journal.snapshot ? { snapshots: { repo: ctx.snapshots, start: journal.snapshot } } : {}),
    kbBefore: journal.kb_before,
    limits: cycleLimits(journal.kb_before, ctx.overrides),
  };
  await snapshotEnd(w);
  const why = 'the Goldloop process that ran it ended before the cycle did (killed, crashed, or the machine restarted)';
  ctx.out.alert('warning', `cycle ${iteration} (${work}) did not finish: ${why}; it is settled now and not counted`);
  await interrupted(ctx, w, {
    iteration,
    started_at: journal.started_at,
    work,
    agent: { exit_code: null, duration_ms: 0, killed_by: 'goldloop_ended' },
    verification: `not counted: ${why}`,
    ...(journal.git_before ? { git_before: journal.git_before } : {}),
  });
  await clearJournal(ctx.projectDir);
}

/**
 * Everything a process before this one left unsettled: its cycle, tasks marked done that Goldloop
 * never verified, and the traces of a held-out drafting session (`agents/cli-traces.ts`), cleared
 * before any agent runs.
 */
export async function settleWhatRunsLeft(ctx: CycleContext): Promise<void> {
  await settleLeftCycle(ctx);
  await reopenUnverified(ctx);
  await finishLeftSession(ctx.projectDir);
}

/**
 * Reopens every task the KB says is done that Goldloop's own record does not (it never verified
 * it), with an alert that names them, and brings the record up to date. A project Goldloop has
 * never run has no record: its KB is taken as the user wrote it.
 */
export async function reopenUnverified(ctx: CycleContext): Promise<void> {
  // A KB that cannot be read is the loop's to report, with its fix, when it reads it next.
  const kb = await loadKb(ctx.projectDir).catch(() => undefined);
  if (!kb) return;
  const record = await loadTaskRecord(ctx.projectDir);
  const reopened = record ? allTasks(kb).filter(({ task }) => task.status === 'done' && record[task.task_id] !== 'done') : [];
  for (const { task } of reopened) task.status = 'ready';
  if (reopened.length) {
    await saveKb(ctx.projectDir, kb);
    const ids = reopened.map(({ task }) => task.task_id).join(', ');
    ctx.out.alert(
      'warning',
      `reopened ${ids}: the knowledge base says done, but Goldloop never verified ${reopened.length === 1 ? 'it' : 'them'} (marked done outside a cycle Goldloop measured)`,
    );
  }
  await saveTaskRecord(ctx.projectDir, kb);
}

/**
 * Ends the agents and gate commands a Goldloop process left running when it was killed or crashed
 * (only the process groups it recorded that are provably still those), says so, and records this
 * process's own from now on.
 */
export function endWhatCrashedRunsLeft(warn: (message: string) => void): void {
  const folder = stateDir();
  for (const left of endLeftChildren(folder))
    warn(
      `ended ${left.program} (process group ${left.pgid}), left running by Goldloop process ${left.owner}, which ended without ending it`,
    );
  recordChildrenIn(folder);
}
