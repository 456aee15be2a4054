/**
 * Step 5's writes and judgement: whether a task is done (verified, never claimed), Goldloop's
 * measured fields in the KB, and the cycle's line in `.goldloop/history.jsonl`.
 */
import type { AgentOutcome } from '../agents/runner.ts';
import { evaluateChecklist } from '../gates/checklist/checklist.ts';
import type { Measurement } from '../gates/measurement.ts';
import type { GateRun } from '../gates/types.ts';
import { restoreGoldloopFields } from '../guard/kb-guard.ts';
import { keepNotes } from '../guard/notes.ts';
import { allTasks, findTask, phaseProgress } from '../tasks/queue.ts';
import { diffNames } from '../../platform/git.ts';
import { runProcess } from '../../platform/process.ts';
import { writeFinalReport } from '../reports/final.ts';
import { appendHistory, readHistory } from '../../store/history.ts';
import { loadKb, saveKb } from '../../store/kb/kb-file.ts';
import type { Kb, Note, Task } from '../../store/kb/schema.ts';
import type { RunState } from '../../store/run-state.ts';
import { saveTaskRecord } from '../../store/task-record.ts';
import { cannotRead, type CycleContext, type CycleEnd, type CycleRecord, type Work } from './cycle-context.ts';
import type { CycleSummary, LoopState } from './types.ts';

const MINUTE = 60_000;

/** Why a task the agent worked on is not accepted as done, or undefined when it is. */
export async function verifyTask(
  ctx: CycleContext,
  task: Task | undefined,
  outcome: AgentOutcome,
  run: GateRun,
  regs: string[],
  cycleMs: number,
): Promise<string | undefined> {
  if (!task) return 'the task was removed from the queue during the cycle';
  if (outcome.killedBy === 'timeout') return `the cycle's time limit (${Math.round(cycleMs / 1000)} s) ended the agent before it finished`;
  if (regs.length) return `tests that passed before now fail: ${regs.slice(0, 5).join('; ')}`;
  if (task.verify) {
    const result = await runProcess(task.verify, { cwd: ctx.projectDir, timeoutMs: 10 * MINUTE, signal: ctx.signal });
    if (result.spawnError) return `its verify command could not start: ${result.spawnError}`;
    if (result.exitCode !== 0) {
      const tail = [...result.stderrTail, ...result.stdoutTail].filter(Boolean).slice(-3).join(' | ');
      return `its verify command \`${task.verify.join(' ')}\` exited with ${String(result.exitCode ?? result.killedBy)}${tail ? `: ${tail}` : ''}`;
    }
  }
  const uncovered = task.requirements.filter((id) => run.uncovered_requirements.includes(id) || !run.checklist.length);
  if (uncovered.length) return `its requirements are not yet covered by a passing test: ${uncovered.join(', ')}`;
  return undefined;
}

/** What step 5 writes into the KB: the verdict, and what the quality check kept of the agent's KB. */
export interface Progress {
  kind: CycleSummary['outcome'];
  measurement: Measurement;
  notes: Note[];
}

/**
 * Writes a measured cycle into the KB as it is now (after any roll-back): Goldloop's fields put
 * back, the notes kept, the task done or ready again, the counters, the measured fields and the
 * completion estimate. Returns the checklist, the time, and what else it had to put back.
 */
export async function saveProgress(
  ctx: CycleContext,
  w: Work,
  p: Progress,
): Promise<{ run: GateRun; now: number; restored: string[] } | CycleEnd> {
  const { rs } = ctx;
  let kb: Kb;
  try {
    kb = await loadKb(ctx.projectDir);
  } catch (error) {
    return { next: 'fail', message: cannotRead(error) };
  }
  const restored = [...restoreGoldloopFields(kb, w.kbBefore), ...keepNotes(kb, w.kbBefore, p.notes)];
  if (w.taskId) {
    const task = findTask(kb, w.taskId)?.task;
    if (task) task.status = p.kind === 'task_done' ? 'done' : 'ready';
    if (p.kind === 'task_done') delete rs.sessions?.[w.taskId];
  }
  const now = ctx.clock.now();
  const ao = kb.autonomous_operation;
  ao.work_cycles_completed = w.kbBefore.autonomous_operation.work_cycles_completed + 1;
  ao.next_cycle_at = new Date(now + w.limits.breakMs).toISOString();
  const run = evaluateChecklist(kb, p.measurement);
  applyMeasured(kb, run, w.iteration, rs, 'running');
  const estimate = await ctx.reports.likelyCompletion(kb, run, now, {
    started_at: new Date(w.startedAt).toISOString(),
    ended_at: new Date(now).toISOString(),
    outcome: p.kind,
    run_id: rs.run_id,
  });
  if (estimate) ao.completion_estimate = estimate;
  else delete ao.completion_estimate;
  await saveKb(ctx.projectDir, kb);
  await saveTaskRecord(ctx.projectDir, kb);
  return { run, now, restored };
}

/** Appends the cycle to history.jsonl, with the counters after it, and announces it. */
export async function record(ctx: CycleContext, summary: CycleRecord): Promise<void> {
  const { rs } = ctx;
  const full = { ...summary, ended_at: new Date(ctx.clock.now()).toISOString() };
  const kb = await loadKb(ctx.projectDir).catch(() => undefined);
  const ao = kb?.autonomous_operation;
  await appendHistory(ctx.projectDir, {
    ...full,
    run_id: rs.run_id,
    checklist: summary.checklist.map((c) => ({ id: c.id, passed: c.passed, value: c.value })),
    counters: {
      current_iteration: ao?.current_iteration ?? summary.iteration,
      work_cycles_completed: ao?.work_cycles_completed ?? 0,
      tasks_completed: ao?.tasks_completed ?? 0,
      run_iterations: rs.schedule.run_iterations,
      consecutive_errors: rs.consecutive_errors,
    },
  });
  ctx.out.emit({ type: 'cycle_end', project: ctx.projectDir, summary: full });
}

/** Writes Goldloop's measured fields into the KB on disk (read-modify-write). */
export async function saveMeasured(projectDir: string, run: GateRun, iteration: number, rs: RunState, state: string): Promise<void> {
  const kb = await loadKb(projectDir);
  applyMeasured(kb, run, iteration, rs, state);
  await saveKb(projectDir, kb);
}

/** The KB fields only Goldloop writes: counters, test results, completion status. */
export function applyMeasured(kb: Kb, run: GateRun, iteration: number, rs: RunState, state: string): void {
  const ao = kb.autonomous_operation;
  ao.status = state;
  ao.started_at = rs.run_started_at;
  ao.current_iteration = iteration;
  const tests = run.checklist.find((c) => c.id === 'tests');
  const passing = run.tests.filter((t) => t.status === 'passed').length;
  const failing = run.tests.filter((t) => t.status === 'failed' || t.status === 'errored').length;
  const skipped = run.tests.filter((t) => t.status === 'skipped').length;
  kb.test_results = {
    ...kb.test_results,
    total_tests: passing + failing,
    passing_tests: passing,
    failing_tests: failing,
    skipped_tests: skipped,
    all_passing: tests?.passed ?? false,
    last_run_at: run.at,
    ...(run.coverage_pct !== undefined ? { coverage: run.coverage_pct } : {}),
  };
  const qg = ao.quality_gates as Record<string, unknown>;
  if (run.coverage_pct !== undefined) qg.test_coverage = run.coverage_pct;
  qg.target_coverage = ao.quality_gates.test_coverage_threshold;
  qg.tests_passing = tests?.passed ?? false;
  const phases = phaseProgress(kb);
  const reqTotal = kb.requirements.length;
  ao.completion_status = {
    ...ao.completion_status,
    phases_complete: phases.filter((p) => p.total > 0 && p.done === p.total).length,
    total_phases: phases.length,
    requirements_covered: reqTotal ? Math.round(((reqTotal - run.uncovered_requirements.length) / reqTotal) * 100) : 0,
    target_coverage: 100,
    production_ready: run.gold,
  };
  ao.tasks_completed = allTasks(kb).filter((t) => t.task.status === 'done').length;
}

/** The loop's state in the KB's `autonomous_operation.status`. A KB that cannot be read is reported by the next read; never overwritten here. */
export async function recordStatusInKb(projectDir: string, state: LoopState['state']): Promise<void> {
  try {
    const kb = await loadKb(projectDir);
    kb.autonomous_operation.status = state;
    await saveKb(projectDir, kb);
  } catch {
    // Left as it is: the next read reports what is wrong with it.
  }
}

/** The run's final report at gold, with every file the run changed (from its first checkpoint, with git). Returns its path. */
export async function writeRunFinalReport(
  projectDir: string,
  rs: RunState,
  gates: GateRun,
  options: { useGit: boolean; now: Date },
): Promise<string> {
  const kb = await loadKb(projectDir);
  const history = (await readHistory(projectDir)).filter((h) => h.run_id === rs.run_id);
  const first = options.useGit ? history.find((h) => h.git_before)?.git_before : undefined;
  const changedFiles = first ? await diffNames(projectDir, first) : [];
  return writeFinalReport({ projectDir, kb, gates, history, runStartedAt: rs.run_started_at, now: options.now, changedFiles });
}
