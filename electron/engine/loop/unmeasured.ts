/**
 * The ends of a cycle the gates do not measure: a pause or stop, an agent that could not start,
 * a usage limit, an agent that failed. Each settles the KB (guard/settle.ts) and records the cycle;
 * repeated failures pause the run.
 */
import type { AgentOutcome } from '../agents/runner.ts';
import { readAgentKb, settleKb, type Settled } from '../guard/settle.ts';
import { findTask } from '../tasks/queue.ts';
import * as git from '../../platform/git.ts';
import { loadKb, saveKb } from '../../store/kb/kb-file.ts';
import { saveTaskRecord } from '../../store/task-record.ts';
import type { Note } from '../../store/kb/schema.ts';
import { CONTINUE, type CycleBase, type CycleContext, type CycleEnd, type CycleRecord, type Ran, type Work } from './cycle-context.ts';
import { notCounted, tamperFeedback, warnRestored, warnSetAside } from './guard-findings.ts';
import { record } from './progress.ts';
import { cycleLimits } from './schedule.ts';

/** Ends the cycle here when the agent's run leaves nothing to measure; undefined when the gates should run. */
export async function endUnmeasured(ctx: CycleContext, w: Work, ran: Ran): Promise<CycleEnd | undefined> {
  const { outcome } = ran;
  if (ctx.signal.aborted || outcome.killedBy === 'abort') return interrupted(ctx, w, ran.base);
  if (outcome.spawnError) return neverRan(ctx, w, outcome.spawnError);
  if (outcome.permission) return notAllowed(ctx, w, ran, outcome.permission);
  if (outcome.limit) return usageLimit(ctx, w, ran, outcome.limit);
  if (outcome.killedBy === 'idle' || (outcome.exitCode !== 0 && outcome.killedBy !== 'timeout')) return agentFailed(ctx, w, ran);
  return undefined;
}

/**
 * The agent could not be started (its program vanished after the check before the cycle, the
 * sandbox could not run it): not a cycle. What taking the work up did is put back — the KB and the
 * task record, the count toward the limits, the snapshot commit (the user's changes stay in the
 * work tree, uncommitted again) — and no history line is written; the run stops with the reason.
 */
async function neverRan(ctx: CycleContext, w: Work, reason: string): Promise<CycleEnd> {
  const { untaken } = w;
  if (untaken) {
    ctx.rs.schedule = untaken.schedule;
    if (untaken.commit && (await git.head(ctx.projectDir)) === untaken.commit) await git.resetTo(ctx.projectDir, `${untaken.commit}^`);
    await saveKb(ctx.projectDir, untaken.kb);
    await saveTaskRecord(ctx.projectDir, untaken.kb);
  }
  return { next: 'fail', message: `no cycle started: ${reason}` };
}

/**
 * A pause or stop ended the cycle, or the process that ran it ended first (recover.ts): nothing is
 * counted, the work is taken up again on resume.
 */
export async function interrupted(ctx: CycleContext, w: Work, base: CycleBase, notes?: Note[]): Promise<CycleEnd> {
  const settled = await settle(ctx, w, notes);
  await record(ctx, { ...base, outcome: 'interrupted', ...unmeasured(ctx), ...edits(settled) });
  return CONTINUE;
}

/**
 * The agent's permission mode kept it from editing: no cycle can work until the user changes it,
 * so the run stops with the setting to change.
 */
async function notAllowed(ctx: CycleContext, w: Work, ran: Ran, message: string): Promise<CycleEnd> {
  const settled = await settle(ctx, w);
  await setTaskReady(ctx, w.taskId);
  await record(ctx, { ...ran.base, outcome: 'error', verification: message, ...unmeasured(ctx), ...edits(settled) });
  return { next: 'fail', message };
}

/** A usage limit is not an error and not progress: wait for its reset, then take the task up again. */
async function usageLimit(ctx: CycleContext, w: Work, ran: Ran, limit: NonNullable<AgentOutcome['limit']>): Promise<CycleEnd> {
  const { rs } = ctx;
  rs.limit_until = limit.resetAt ?? ctx.clock.now() + w.limits.retryMs;
  const settled = await settle(ctx, w);
  await record(ctx, {
    ...ran.base,
    outcome: 'no_progress',
    verification: `usage limit: ${limit.message}`,
    ...unmeasured(ctx),
    ...edits(settled),
  });
  ctx.out.alert('info', `the agent hit a usage limit; waiting until ${new Date(rs.limit_until).toISOString()}`);
  await ctx.out.setState({
    state: 'waiting_limit',
    until: new Date(rs.limit_until).toISOString(),
    iteration: w.iteration,
    message: limit.message,
  });
  return CONTINUE;
}

/** The agent failed (an exit code, the no-output watchdog): retry after a delay, or pause after too many in a row. */
async function agentFailed(ctx: CycleContext, w: Work, ran: Ran): Promise<CycleEnd> {
  const { rs } = ctx;
  const { outcome } = ran;
  const eh = w.kbBefore.autonomous_operation.error_handling;
  const limits = cycleLimits(w.kbBefore, ctx.overrides);
  rs.consecutive_errors += 1;
  rs.schedule.last_cycle_end = ctx.clock.now();
  // The agent's own error when it said one; its last stderr lines (often a stack trace) only when not.
  const tail = outcome.error?.replace(/\s+/g, ' ').trim() || outcome.stderrTail.filter(Boolean).slice(-2).join(' | ');
  const reason =
    outcome.killedBy === 'idle'
      ? `the agent printed nothing for ${Math.round(limits.idleMs / 1000)} s and was ended`
      : `the agent exited with code ${String(outcome.exitCode ?? outcome.killedBy)}${tail ? `: ${tail}` : ''}`;
  const settled = await settle(ctx, w);
  // A failed cycle may be a session that cannot be resumed (expired, deleted): the retry starts afresh.
  delete rs.sessions?.[w.workId];
  await record(ctx, { ...ran.base, outcome: 'error', verification: reason, ...unmeasured(ctx), ...edits(settled) });
  if (rs.consecutive_errors >= eh.max_consecutive_errors || !eh.auto_retry) {
    return {
      next: 'pause',
      message: `${rs.consecutive_errors} consecutive error(s), the last: ${reason}. Paused; fix the cause and resume.`,
    };
  }
  rs.retry_at = ctx.clock.now() + limits.retryMs;
  ctx.out.alert(
    'error',
    `cycle ${w.iteration} failed (${rs.consecutive_errors}/${eh.max_consecutive_errors}): ${reason}; retrying at ${new Date(rs.retry_at).toISOString()}`,
  );
  await ctx.out.setState({
    state: 'break',
    break_reason: 'retry',
    until: new Date(rs.retry_at).toISOString(),
    iteration: w.iteration,
    message: reason,
  });
  return CONTINUE;
}

/** Settles the KB the agent left (guard/settle.ts) and says what happened. */
async function settle(ctx: CycleContext, w: Work, notes?: Note[]): Promise<Settled> {
  const read = await readAgentKb(ctx.projectDir, w.kbBefore, w.iteration);
  warnSetAside(ctx, w.iteration, read.setAside);
  const settled = await settleKb({
    ...w,
    projectDir: ctx.projectDir,
    clock: ctx.clock,
    read,
    mayRollBack: ctx.useGit,
    ...(notes ? { notes } : {}),
  });
  if (settled.rejectedRef) {
    ctx.out.alert('warning', `${notCounted(w.iteration, settled.tamper)}; rolled back, its work is kept in ${settled.rejectedRef}`);
    ctx.rs.feedback = { ...(w.taskId ? { task: w.taskId } : {}), tamper: tamperFeedback(settled.tamper) };
  }
  warnSetAside(ctx, w.iteration, settled.setAsideAfterRollBack);
  warnRestored(ctx, w.iteration, settled.ignored);
  return settled;
}

/** What an unmeasured cycle's history line says of the checklist: the last measurement's, unchanged. */
function unmeasured(ctx: CycleContext): Pick<CycleRecord, 'regressions' | 'gold' | 'checklist'> {
  return { regressions: [], gold: false, checklist: ctx.rs.last_gates?.checklist ?? [] };
}

function edits(settled: Settled): Pick<CycleRecord, 'ignored_edits' | 'tamper'> {
  return {
    ...(settled.ignored.length ? { ignored_edits: settled.ignored } : {}),
    ...(settled.tamper.length ? { tamper: settled.tamper } : {}),
  };
}

async function setTaskReady(ctx: CycleContext, taskId: string | undefined): Promise<void> {
  if (!taskId) return;
  const kb = await loadKb(ctx.projectDir);
  const found = findTask(kb, taskId);
  if (!found || found.task.status === 'ready') return;
  found.task.status = 'ready';
  await saveKb(ctx.projectDir, kb);
}
