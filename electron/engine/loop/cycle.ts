/**
 * The cycle: one turn of the loop, the operating document's six steps from top to bottom. The
 * loop (project-loop.ts) decides when a cycle runs; this file what it does. The details a step
 * leans on live next door: execute.ts (taking the work up, the agent's run), unmeasured.ts (the
 * ends the gates do not measure), progress.ts (the KB and history writes), and ../guard/ (what an
 * agent may not change).
 */
import { evaluateChecklist } from '../gates/checklist/checklist.ts';
import type { Measurement } from '../gates/measurement.ts';
import { regressions, type GateRun } from '../gates/types.ts';
import { readAgentKb, rejectCycle, restoreAgentKb, type AgentKb, type RollBack } from '../guard/settle.ts';
import { collectNotes } from '../guard/notes.ts';
import { detectTampering, type TamperFinding } from '../guard/tamper.ts';
import { findTask, selectNext, type Gaps, type Selection } from '../tasks/queue.ts';
import * as git from '../../platform/git.ts';
import type { Kb, Note } from '../../store/kb/schema.ts';
import { CONTINUE, isEnd, type CycleContext, type CycleEnd, type Planned, type Ran, type Work } from './cycle-context.ts';
import { cycleChanges, noticeUnseenEdits } from './agent-changes.ts';
import { runAgent, snapshotEnd, takeUp, writePrompt } from './execute.ts';
import { notCounted, tamperFeedback, warnRestored, warnSetAside } from './guard-findings.ts';
import { record, saveProgress, verifyTask } from './progress.ts';
import type { PromptTemplate } from './prompt-template.ts';
import { cycleLimits } from './schedule.ts';
import type { CycleSummary } from './types.ts';
import { endUnmeasured, interrupted } from './unmeasured.ts';

/** One turn of the loop: read state, plan, execute, quality check, update progress, check completion. */
export async function runCycle(ctx: CycleContext, kb: Kb): Promise<CycleEnd> {
  const startedAt = ctx.clock.now();
  const iteration = kb.autonomous_operation.current_iteration + 1;
  const dirty = await readState(ctx, iteration);
  const selection = await plan(ctx, kb, iteration);
  if (isEnd(selection)) return selection;
  const executed = await execute(ctx, kb, selection, { iteration, startedAt, dirty });
  if (isEnd(executed)) return executed;
  const { work, ran } = executed;
  const unmeasured = await endUnmeasured(ctx, work, ran);
  if (unmeasured) return unmeasured;
  // Measured and recorded like any cycle; the run pauses after it when the finding repeats.
  const unseen = noticeUnseenEdits(ctx, work, ran);
  const checked = await qualityCheck(ctx, work, ran);
  if (isEnd(checked)) return checked;
  const run = await updateProgress(ctx, work, ran, checked);
  if (isEnd(run)) return run;
  const end = await checkCompletion(ctx, iteration, run);
  return unseen && end.next === 'continue' ? { next: 'pause', message: unseen } : end;
}

// 1. Read state: the KB was read and validated by the loop; what is uncommitted decides whether a snapshot is needed.
async function readState(ctx: CycleContext, iteration: number): Promise<string[]> {
  await ctx.out.setState({ state: 'running', step: 'read_state', iteration });
  return ctx.useGit ? await git.changedFiles(ctx.projectDir) : [];
}

// 2. Plan: the next task, else the biggest measured gap; nothing left is gold only when measured again.
async function plan(ctx: CycleContext, kb: Kb, iteration: number): Promise<Planned | CycleEnd> {
  await ctx.out.setState({ state: 'running', step: 'plan', iteration });
  const selection: Selection = selectNext(kb, gapsFrom(ctx.rs.last_gates, kb));
  if (selection.kind === 'stuck') {
    const names = selection.problems.map((p) => p.message);
    const message = `no task can start: ${names.length ? names.join('; ') : `waiting tasks ${selection.waiting.join(', ')} are blocked`}. Fix the task queue in .ai-knowledge-base.json, then start again.`;
    return { next: 'fail', message };
  }
  if (selection.kind !== 'complete') return selection;
  // Nothing left by the last measurement: measure again, now, before calling it gold.
  const run = evaluateChecklist(
    kb,
    await ctx.gates({ projectDir: ctx.projectDir, kb, label: `check-${iteration}`, at: ctx.clock.now(), signal: ctx.signal }),
  );
  ctx.rs.last_gates = run;
  if (run.gold) return { next: 'gold', run };
  const open = run.checklist.filter((c) => !c.passed).map((c) => `${c.label}: ${c.evidence.detail}`);
  return { next: 'fail', message: `nothing is left for the agent to work on, yet the checklist is not gold — ${open.join('; ')}` };
}

/** What the plan falls back to once no task is ready: the last measurement's open lines. */
function gapsFrom(run: GateRun | undefined, kb: Kb): Gaps {
  const failing = (run?.checklist ?? []).filter((c) => !c.passed && c.id !== 'phases' && c.id !== 'requirements' && c.id !== 'coverage');
  const coverage = run?.checklist.find((c) => c.id === 'coverage');
  return {
    uncoveredRequirements: run ? run.uncovered_requirements : kb.requirements.map((r) => r.id),
    ...(coverage && typeof coverage.value === 'number' && !coverage.passed
      ? {
          coverage: {
            value: coverage.value,
            threshold: Number(coverage.threshold),
            files: run!.least_covered_files.map((f) => `${f.file} (${f.pct}%)`),
          },
        }
      : {}),
    failingGates: failing.map((c) => ({ gate: c.id, detail: c.evidence.detail })),
  };
}

// 3. Execute: take the work up (snapshots, the task in progress), build the prompt, run the agent, snapshot what it left.
async function execute(
  ctx: CycleContext,
  kb: Kb,
  selection: Planned,
  start: { iteration: number; startedAt: number; dirty: string[] },
): Promise<{ work: Work; ran: Ran } | CycleEnd> {
  // An agent that cannot start is found before the work is taken up: no iteration counted, no commit, no history line.
  const unready = await ctx.agent.ready?.(ctx.projectDir);
  if (unready) return { next: 'fail', message: `no cycle started: ${unready}` };
  let template: PromptTemplate;
  try {
    template = await ctx.template(kb);
  } catch (error) {
    return { next: 'fail', message: (error as Error).message };
  }
  const work = await takeUp(ctx, selection, { ...start, limits: cycleLimits(kb, ctx.overrides) });
  const prompt = await writePrompt(ctx, work, selection, template);
  const ran = await runAgent(ctx, work, prompt);
  await snapshotEnd(work);
  const changes = await cycleChanges(work);
  if (changes) ran.base.changes = changes;
  return { work, ran };
}

/** What the quality check found, for step 5. */
interface Checked {
  /** The agent's KB, Goldloop's fields put back. */
  agentKb: AgentKb;
  /** What was put back, in words. */
  ignored: string[];
  notes: Note[];
  measurement: Measurement;
  measured: GateRun;
  /** Tests that passed in the baseline or the last cycle and do not pass now. */
  regs: string[];
  tamper: TamperFinding[];
}

// 4. Quality check: the gates measure the agent's work; regressions and tampering are compared with what passed before.
async function qualityCheck(ctx: CycleContext, w: Work, ran: Ran): Promise<Checked | CycleEnd> {
  const { rs } = ctx;
  const checking = { state: 'running', step: 'quality_check', iteration: w.iteration, ...(w.taskId ? { task_id: w.taskId } : {}) } as const;
  await ctx.out.setState(checking);
  const agentKb = await readAgentKb(ctx.projectDir, w.kbBefore, w.iteration);
  warnSetAside(ctx, w.iteration, agentKb.setAside);
  const ignored = restoreAgentKb(agentKb, w.kbBefore);
  // Taken before any roll-back: what the agent learned is worth keeping even when its change is not.
  const notes = await collectNotes(ctx.projectDir, agentKb.kb, w.kbBefore, w.iteration, ctx.clock.now(), w.taskId);
  const waiting = (message: string | undefined): void =>
    void ctx.out.setState({ ...checking, ...(message ? { message } : {}) }).catch(() => {});
  const measurement = await ctx.gates({
    projectDir: ctx.projectDir,
    kb: agentKb.kb,
    label: `cycle-${w.iteration}`,
    at: ctx.clock.now(),
    signal: ctx.signal,
    waiting,
  });
  if (ctx.signal.aborted) return interrupted(ctx, w, ran.base, notes);
  const measured = evaluateChecklist(agentKb.kb, measurement);
  const regs = [...new Set([...regressions(rs.last_gates?.tests, measured.tests), ...regressions(rs.baseline?.tests, measured.tests)])];
  const tamper = await detectTampering({
    ...(w.snapshots ? { snapshots: w.snapshots } : {}),
    ...(rs.last_gates ? { previous: rs.last_gates } : {}),
    ...(rs.baseline ? { baseline: rs.baseline } : {}),
    ...(measurement.canary ? { canary: measurement.canary } : {}),
    current: measured,
    restored: ignored,
    kb: w.kbBefore,
  });
  return { agentKb, ignored, notes, measurement, measured, regs, tamper };
}

// 5. Update progress: judge the cycle, write the KB, the run state, a history line and a checkpoint commit.
async function updateProgress(ctx: CycleContext, w: Work, ran: Ran, c: Checked): Promise<GateRun | CycleEnd> {
  const { rs } = ctx;
  await ctx.out.setState({ state: 'running', step: 'update_progress', iteration: w.iteration, ...(w.taskId ? { task_id: w.taskId } : {}) });
  const verdict = await judge(ctx, w, ran, c);
  const saved = await saveProgress(ctx, w, { kind: verdict.kind, measurement: verdict.measurement, notes: c.notes });
  if (isEnd(saved)) return saved;
  const { run, now } = saved;
  // After a roll-back the KB differs from the cycle's start by what the roll-back did, not the agent.
  const ignored = [...new Set([...c.ignored, ...(verdict.rolledBack ? [] : saved.restored)])];
  rs.last_gates = run;
  rs.consecutive_errors = 0;
  rs.schedule.last_cycle_end = now;
  rs.feedback = {
    ...(w.taskId ? { task: w.taskId } : {}),
    ...(verdict.verification ? { verification: verdict.verification } : {}),
    ...(verdict.kind === 'rolled_back' ? { regressions: c.regs } : {}),
    ...(c.tamper.length ? { tamper: tamperFeedback(c.tamper) } : {}),
  };
  warnRestored(ctx, w.iteration, ignored);
  await record(ctx, {
    ...ran.base,
    outcome: verdict.kind,
    ...(verdict.verification ? { verification: verdict.verification } : {}),
    regressions: c.regs,
    gold: run.gold,
    checklist: run.checklist,
    ...(ignored.length ? { ignored_edits: ignored } : {}),
    ...(c.tamper.length ? { tamper: c.tamper } : {}),
  });
  if (ctx.useGit) await git.commitAll(ctx.projectDir, `goldloop: cycle ${w.iteration} — ${w.workId} (${verdict.kind.replace('_', ' ')})`);
  ctx.out.emit({ type: 'gates', project: ctx.projectDir, iteration: w.iteration, run, baseline: false });
  return run;
}

/** The cycle's verdict: counted (the task done or not yet), or rejected and rolled back, then measured again. */
interface Verdict {
  kind: CycleSummary['outcome'];
  verification?: string;
  /** What the checklist is evaluated from: the cycle's measurement, or the one after a roll-back. */
  measurement: Measurement;
  rolledBack?: true;
}

async function judge(ctx: CycleContext, w: Work, ran: Ran, c: Checked): Promise<Verdict> {
  const remeasure = (): Promise<Measurement> =>
    ctx.gates({
      projectDir: ctx.projectDir,
      kb: w.kbBefore,
      label: `cycle-${w.iteration}-rollback`,
      at: ctx.clock.now(),
      signal: ctx.signal,
    });
  const rollBack: RollBack | undefined = ctx.useGit && w.snapshots ? { snapshots: w.snapshots, gitBefore: w.gitBefore } : undefined;
  if (c.tamper.length > 0) {
    // Not progress, whatever the checklist now says: recorded, shown, and put in the next prompt.
    const why = c.tamper.map((t) => t.message).join('; ');
    ctx.out.alert('warning', notCounted(w.iteration, c.tamper));
    if (!rollBack) return { kind: 'tampered', verification: `not counted: ${why}`, measurement: c.measurement };
    const ref = await rejectCycle(ctx.projectDir, rollBack, w.iteration, c.tamper[0]!.kind);
    return {
      kind: 'tampered',
      verification: `not counted: ${why}; rolled back, its work is kept in ${ref}`,
      measurement: await remeasure(),
      rolledBack: true,
    };
  }
  if (c.regs.length > 0 && rollBack) {
    const ref = await rejectCycle(ctx.projectDir, rollBack, w.iteration, `regressions: ${c.regs.slice(0, 5).join('; ')}`);
    const verification = `rolled back: ${c.regs.length} test(s) that passed before failed after this cycle (${c.regs.slice(0, 5).join('; ')}); its work is kept in ${ref}`;
    ctx.out.alert('warning', `cycle ${w.iteration} broke passing tests and was rolled back: ${c.regs.slice(0, 3).join('; ')}`);
    return { kind: 'rolled_back', verification, measurement: await remeasure(), rolledBack: true };
  }
  if (!w.taskId) return { kind: 'progress', measurement: c.measurement };
  const verification = await verifyTask(ctx, findTask(c.agentKb.kb, w.taskId)?.task, ran.outcome, c.measured, c.regs, w.limits.cycleMs);
  return verification
    ? { kind: 'not_verified', verification, measurement: c.measurement }
    : { kind: 'task_done', measurement: c.measurement };
}

// 6. Check completion: gold ends the run with the final report; otherwise a break, then the next cycle.
async function checkCompletion(ctx: CycleContext, iteration: number, run: GateRun): Promise<CycleEnd> {
  await ctx.out.setState({ state: 'running', step: 'check_completion', iteration });
  return run.gold ? { next: 'gold', run } : CONTINUE;
}
