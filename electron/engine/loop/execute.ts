/**
 * Step 3's parts: taking the planned work up (counting the iteration, a snapshot commit, the task
 * in progress), writing the prompt, and running the agent with its log and its session.
 */
import { readFile, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { addUsage } from '../agents/budget.ts';
import { readableLines, shown, toolLine } from '../agents/readable.ts';
import type { AgentOutcome } from '../agents/runner.ts';
import { keptFromAgent } from '../agents/sandbox.ts';
import type { AgentEvent } from '../agents/types.ts';
import { cycleUsage, type AgentUsage } from '../agents/usage.ts';
import type { RunState } from '../../store/run-state.ts';
import { findTask } from '../tasks/queue.ts';
import * as git from '../../platform/git.ts';
import { writeJournal, type CycleJournal } from '../../store/journal.ts';
import { CycleLog, logTime } from '../../store/cycle-log.ts';
import { GOLDLOOP_DIR, loadKb, saveKb } from '../../store/kb/kb-file.ts';
import { saveTaskRecord } from '../../store/task-record.ts';
import type { CycleContext, Planned, Ran, Work } from './cycle-context.ts';
import { composePrompt, workDescription, workId } from './prompt.ts';
import type { PromptTemplate } from './prompt-template.ts';
import { recordStart, type CycleLimits } from './schedule.ts';

/**
 * Counts the iteration, commits what is uncommitted, marks the task in progress in the KB the agent
 * is given, and takes Goldloop's snapshot of the start. The cycle's journal is written before the
 * KB and completed with the snapshot: a process that ends at any point after leaves what the next
 * run needs to settle the cycle (recover.ts).
 */
export async function takeUp(
  ctx: CycleContext,
  selection: Planned,
  start: { iteration: number; startedAt: number; dirty: string[]; limits: CycleLimits },
): Promise<Work> {
  const { rs } = ctx;
  const { iteration, startedAt } = start;
  const schedule = structuredClone(rs.schedule);
  // Counted as an iteration from its start, as the operating document counts them.
  recordStart(rs.schedule, startedAt);
  const id = workId(selection);
  const taskId = selection.kind === 'task' ? id : undefined;
  rs.current_task = taskId;
  // A snapshot commit (only when something is uncommitted) keeps in the project's history what the
  // user had left uncommitted; the roll-back itself restores from Goldloop's own snapshot.
  const snapshotCommit =
    ctx.useGit && start.dirty.length ? await git.commitAll(ctx.projectDir, `goldloop: snapshot before cycle ${iteration}`) : undefined;
  const gitBefore = ctx.useGit ? (snapshotCommit ?? (await git.head(ctx.projectDir))) : undefined;
  const kbBefore = await loadKb(ctx.projectDir);
  const untaken = { kb: structuredClone(kbBefore), schedule, ...(snapshotCommit ? { commit: snapshotCommit } : {}) };
  if (taskId) findTask(kbBefore, taskId)!.task.status = 'in_progress';
  kbBefore.autonomous_operation.current_iteration = iteration;
  kbBefore.autonomous_operation.status = 'running';
  kbBefore.autonomous_operation.last_cycle_at = new Date(startedAt).toISOString();
  const journal: CycleJournal = {
    version: 1,
    run_id: rs.run_id,
    iteration,
    started_at: new Date(startedAt).toISOString(),
    work: id,
    ...(taskId ? { task_id: taskId } : {}),
    ...(gitBefore ? { git_before: gitBefore } : {}),
    kb_before: kbBefore,
  };
  await writeJournal(ctx.projectDir, journal);
  await saveKb(ctx.projectDir, kbBefore);
  await saveTaskRecord(ctx.projectDir, kbBefore);
  // Taken after the KB is written, so that a roll-back puts back exactly the KB the agent was given.
  let snapshots: Work['snapshots'];
  if (ctx.snapshots) {
    const taken = await ctx.snapshots.snapshot(`refs/goldloop/cycles/${iteration}/start`, `cycle ${iteration} start: ${id}`);
    snapshots = { repo: ctx.snapshots, start: taken.commit };
    await writeJournal(ctx.projectDir, { ...journal, snapshot: taken.commit });
  }
  return {
    iteration,
    startedAt,
    workId: id,
    ...(taskId ? { taskId } : {}),
    ...(gitBefore ? { gitBefore } : {}),
    ...(snapshots ? { snapshots } : {}),
    kbBefore,
    limits: start.limits,
    untaken,
  };
}

/**
 * Takes Goldloop's snapshot of the project as the agent left it, before anything else (the gates
 * included) touches it. One that cannot be taken is kept as the reason, for the guard to report.
 */
export async function snapshotEnd(w: Work): Promise<void> {
  const s = w.snapshots;
  if (!s) return;
  try {
    s.end = (await s.repo.snapshot(`refs/goldloop/cycles/${w.iteration}/end`, `cycle ${w.iteration} end: ${w.workId}`)).commit;
  } catch (error) {
    s.error = (error as Error).message;
  }
}

/** Writes the cycle's prompt to `.goldloop/prompt.md` and announces the cycle; returns the prompt. */
export async function writePrompt(
  ctx: CycleContext,
  w: Work,
  selection: Planned,
  template: PromptTemplate,
): Promise<{ text: string; file: string }> {
  const built = composePrompt({
    kb: w.kbBefore,
    projectName: w.kbBefore.project?.name ?? basename(ctx.projectDir),
    iteration: w.iteration,
    selection,
    lastGates: ctx.rs.last_gates,
    feedback: ctx.rs.feedback,
    template,
  });
  if (built.cut.length)
    ctx.out.alert(
      'info',
      `cycle ${w.iteration}: the prompt was cut to its budget of ${built.budgetChars} characters: ${built.cut.join(', ')}`,
    );
  const file = join(ctx.projectDir, GOLDLOOP_DIR, 'prompt.md');
  await writeFile(file, built.text);
  ctx.out.emit({
    type: 'cycle_start',
    project: ctx.projectDir,
    iteration: w.iteration,
    work: w.workId,
    description: workDescription(selection),
  });
  return { text: built.text, file };
}

/**
 * Keeps the session the agent ran in for the work's next cycle, and returns what the cycle spent.
 * Sessions belong to the agent that opened them: when another agent ran, the old ones go.
 */
function keepSession(rs: RunState, workId: string, outcome: AgentOutcome): AgentUsage | undefined {
  const sameAgent = outcome.agent !== undefined && outcome.agent === rs.sessions_agent;
  const resumed = sameAgent ? rs.sessions?.[workId] : undefined;
  const { usage, sessionTotal } = cycleUsage(
    outcome.events,
    resumed && resumed === outcome.sessionId ? rs.session_totals?.[resumed] : undefined,
  );
  if (outcome.agent !== undefined && !sameAgent) {
    // Another agent's sessions can never be resumed by this one.
    delete rs.sessions;
    delete rs.session_totals;
    rs.sessions_agent = outcome.agent;
  }
  if (outcome.sessionId) rs.sessions = { ...rs.sessions, [workId]: outcome.sessionId };
  if (outcome.sessionId && sessionTotal) rs.session_totals = { ...rs.session_totals, [outcome.sessionId]: sessionTotal };
  // Only the sessions still to be resumed need their totals.
  const live = new Set(Object.values(rs.sessions ?? {}));
  for (const id of Object.keys(rs.session_totals ?? {})) if (!live.has(id)) delete rs.session_totals![id];
  return usage;
}

/** The most tool calls a cycle's record lists; the cycle's log has them all. */
const MAX_TOOLS = 100;

/** What the agent did, for the cycle's record: its tool calls, one line each, and the files it changed. */
function workDone(events: readonly AgentEvent[], projectDir: string): { tools?: string[]; files_changed?: string[] } {
  const tools = events.flatMap((e) => (e.type === 'tool_call' ? [toolLine(e.name, e.input, projectDir)] : []));
  const files = [...new Set(events.flatMap((e) => (e.type === 'file_change' ? [shown(e.path, projectDir)] : [])))];
  return {
    ...(tools.length ? { tools: tools.slice(0, MAX_TOOLS) } : {}),
    ...(files.length ? { files_changed: files } : {}),
  };
}

/** Runs the agent on the prompt, its lines to the cycle's log and the views; counts what it spent. */
export async function runAgent(ctx: CycleContext, w: Work, prompt: { text: string; file: string }): Promise<Ran> {
  const { rs } = ctx;
  await ctx.out.setState({
    state: 'running',
    step: 'execute',
    iteration: w.iteration,
    ...(w.taskId ? { task_id: w.taskId } : {}),
    timeout_at: new Date(ctx.clock.now() + w.limits.cycleMs).toISOString(),
  });
  const logs = join(ctx.projectDir, GOLDLOOP_DIR, 'logs', `cycle-${String(w.iteration).padStart(6, '0')}`);
  // A cycle taken up again after a crash appends to its log: number its lines after the ones there.
  const earlier = await readFile(`${logs}.log`, 'utf8').catch(() => '');
  let lineNo = earlier.split('\n').length - 1;
  // The readable log (what the views show: text, tool calls, changes, errors) and the CLI's raw
  // stream, each bounded and safe to print.
  const log = new CycleLog(`${logs}.log`, undefined, Buffer.byteLength(earlier));
  const streamUsed = await stat(`${logs}.stream.log`).then(
    (s) => s.size,
    () => 0,
  );
  const stream = new CycleLog(`${logs}.stream.log`, undefined, streamUsed);
  const outcome = await ctx.agent({
    // The same work continues its own session by id; a different task never inherits one.
    options: {
      prompt: prompt.text,
      promptFile: prompt.file,
      cwd: ctx.projectDir,
      // The held-out acceptance tests: run by Goldloop at a gold candidate, never shown to the agent.
      ...keptFromAgent(w.kbBefore),
      ...(rs.sessions?.[w.workId] ? { resumeSessionId: rs.sessions[w.workId] } : {}),
    },
    // A session belongs to the CLI that opened it: another agent (changed in the settings, or
    // `--agent` on the command line) starts a new one instead of being asked to resume it.
    ...(rs.sessions_agent ? { sessionAgent: rs.sessions_agent } : {}),
    timeoutMs: w.limits.cycleMs,
    idleTimeoutMs: w.limits.idleMs,
    signal: ctx.signal,
    onLine: (line, from) => stream.write(line, from),
    onEvent: (event) => {
      const from = event.type === 'raw' ? event.stream : 'stdout';
      const at = logTime(ctx.clock.now());
      for (const line of readableLines(event, ctx.projectDir)) {
        log.write(line, from, at);
        ctx.out.emit({ type: 'agent_line', project: ctx.projectDir, iteration: w.iteration, n: lineNo++, stream: from, line, at });
      }
    },
  });
  await Promise.all([log.close(), stream.close()]);
  const usage = keepSession(rs, w.workId, outcome);
  // Counted whatever the cycle's outcome: the tokens were spent.
  addUsage(rs.usage!, usage, ctx.clock.now());
  const base = {
    iteration: w.iteration,
    started_at: new Date(w.startedAt).toISOString(),
    work: w.workId,
    agent: {
      exit_code: outcome.exitCode,
      duration_ms: outcome.durationMs,
      ...(outcome.killedBy ? { killed_by: outcome.killedBy } : {}),
      ...(outcome.spawnError ? { error: outcome.spawnError } : {}),
      ...(usage ? { usage } : {}),
      ...workDone(outcome.events, ctx.projectDir),
    },
    ...(w.gitBefore ? { git_before: w.gitBefore } : {}),
  };
  return { outcome, base };
}
