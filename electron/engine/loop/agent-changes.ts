/**
 * What the agent changed in the project during a cycle, read from Goldloop's snapshots of the
 * cycle's start and end (git projects only): the figures of the cycle's history line, and the
 * finding when its CLI reported edits that changed nothing — an agent whose permission mode lets
 * it "edit" in vain would otherwise spend cycle after cycle without a word.
 */
import { isAbsolute } from 'node:path';
import { shown } from '../agents/readable.ts';
import type { AgentEvent } from '../agents/types.ts';
import type { CycleChanges } from '../../contract/status.ts';
import type { CycleContext, Ran, Work } from './cycle-context.ts';

/** Cycles in a row with the finding before the loop pauses. */
export const UNSEEN_EDITS_PAUSE = 2;

/** The cycle's diff in figures; undefined without both snapshots, or when git cannot compare them. */
export async function cycleChanges(w: Work): Promise<CycleChanges | undefined> {
  const s = w.snapshots;
  if (!s?.end) return undefined;
  return s.repo.lineCounts(s.start, s.end).catch(() => undefined);
}

/** The edits the agent's CLI reported as made inside the project: each edit tool call that succeeded. */
export function reportedEdits(events: readonly AgentEvent[], projectDir: string): number {
  return events.filter((e) => e.type === 'file_change' && !isAbsolute(shown(e.path, projectDir))).length;
}

/**
 * Checks a cycle whose agent ended normally: edits reported and nothing changed is a finding,
 * written into the cycle's history line and announced. Returns the message to pause with once it
 * has happened `UNSEEN_EDITS_PAUSE` times in a row; a cycle without it ends the streak.
 */
export function noticeUnseenEdits(ctx: CycleContext, w: Work, ran: Ran): string | undefined {
  const edits = reportedEdits(ran.outcome.events, ctx.projectDir);
  const changes = ran.base.changes;
  if (!edits || !changes || changes.files > 0) {
    delete ctx.rs.unseen_edits;
    return undefined;
  }
  const finding =
    `the agent reported ${edits} edit${edits === 1 ? '' : 's'} but nothing in the project changed: it may not be allowed to edit; ` +
    "check agent permission mode (agent.permission_mode / the dashboard's setting)";
  ran.base.unseen_edits = finding;
  const streak = (ctx.rs.unseen_edits ?? 0) + 1;
  ctx.rs.unseen_edits = streak;
  ctx.out.alert('warning', `cycle ${w.iteration}: ${finding}`);
  if (streak < UNSEEN_EDITS_PAUSE) return undefined;
  return `${finding}. This happened in ${streak} cycles in a row, so the run is paused: change the setting, then resume.`;
}
