import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { addUsage, checkBudget, newLedger } from '../agents/budget.ts';
import type { AgentOutcome, AgentRunner } from '../agents/runner.ts';
import { evaluateChecklist, measureGates, type GateRunner } from '../gates/run-gates.ts';
import { detectTampering, type TamperFinding } from '../guard/tamper.ts';
import { readAgentKb, rejectCycle, restoreAgentKb, settleKb, type AgentKb, type SetAside, type Settled } from '../guard/settle.ts';
import { regressions, type GateRun } from '../gates/types.ts';
import * as git from '../../platform/git.ts';
import { acquireLock } from '../../store/lock.ts';
import { GOLDLOOP_DIR, KB_FILE, KbError, loadKb, saveKb } from '../../store/kb/kb-file.ts';
import type { Kb, Note, Task } from '../../store/kb/schema.ts';
import { runProcess } from '../../platform/process.ts';
import { writeFinalReport } from '../reports/final.ts';
import { ScheduledReports } from '../reports/scheduled.ts';
import { sumUsage } from '../agents/usage.ts';
import { allTasks, findTask, phaseProgress, selectNext, type Gaps, type Selection } from '../tasks/queue.ts';
import { localDay, systemClock, type Clock } from '../../platform/clock.ts';
import { appendHistory, readHistory } from '../../store/history.ts';
import { applyPendingSettings } from '../../store/settings/project.ts';
import { collectNotes, keepNotes } from '../guard/notes.ts';
import { restoreGoldloopFields } from '../guard/kb-guard.ts';
import { composePrompt, workDescription, workId } from './prompt.ts';
import { loadPromptTemplate, type PromptTemplate } from './prompt-template.ts';
import { loadRunState, saveRunState, type RunState } from '../../store/run-state.ts';
import { nextCycleStart, recordStart, type ScheduleLimits } from './schedule.ts';
import type { CycleSummary, EngineEvent, LoopState } from './types.ts';

export interface LoopOverrides {
  /** Replaces work_cycle.duration_minutes: the agent's wall-clock limit per cycle. */
  cycleTimeoutMs?: number;
  /** Replaces work_cycle.break_between_cycles_minutes. */
  breakMs?: number;
  /** Replaces autonomous_operation.max_iterations_per_run. */
  maxIterations?: number;
  /** The agent's no-output watchdog (default 5 min). */
  idleTimeoutMs?: number;
}

export interface LoopOptions {
  projectDir: string;
  agent: AgentRunner;
  gates?: GateRunner;
  clock?: Clock;
  overrides?: LoopOverrides;
  /** Checkpoint commits and roll-back of regressing cycles (default: on when the folder is a git repository). */
  git?: boolean;
}

const MINUTE = 60_000;
const DEFAULT_IDLE_MS = 5 * MINUTE;

/** What a cycle ends in: keep looping, or a state that ends `run()`. */
type CycleEnd = { next: 'continue' } | { next: 'end' };

/** A user's settings change waiting for the loop to reach a point between cycles. */
interface SettingsChange {
  write: () => Promise<unknown>;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * One project's loop, an explicit state machine: idle -> running (six steps) -> break -> running
 * ... until complete (gold), paused (by the user, after repeated errors, or at max iterations),
 * stopped, or error (a fault that needs the user). Usage limits wait in `waiting_limit`.
 * `run()` resolves with the state it ended in; calling it again resumes.
 */
export class ProjectLoop {
  readonly projectDir: string;
  readonly projectName: string;
  private readonly clock: Clock;
  private readonly gates: GateRunner;
  private readonly listeners = new Set<(event: EngineEvent) => void>();
  private abort = new AbortController();
  private request: 'pause' | 'stop' | undefined;
  private rs: RunState | undefined;
  private current: LoopState = { state: 'idle', iteration: 0 };
  private useGit = false;
  private readonly reports: ScheduledReports;
  /** The prompt template, read at the first cycle of each `run()`. */
  private template: PromptTemplate | undefined;
  /** Users' settings changes, written at the next point between cycles (`changeSettings`). */
  private settingsChanges: SettingsChange[] = [];
  private acceptingSettings = false;
  /** Ends the current break or wait early, so a settings change is written now. */
  private alarm: AbortController | undefined;

  constructor(private readonly options: LoopOptions) {
    this.projectDir = options.projectDir;
    this.projectName = basename(options.projectDir);
    this.clock = options.clock ?? systemClock;
    this.gates = options.gates ?? measureGates;
    this.reports = new ScheduledReports(options.projectDir);
  }

  get state(): LoopState {
    return this.current;
  }

  /** Subscribes to engine events; returns the unsubscribe function. */
  on(listener: (event: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Ends the current cycle or break now (the agent's whole process tree with it) and pauses. */
  pause(): void {
    this.request ??= 'pause';
    this.abort.abort();
  }

  /** Like pause, but the run ends: the next `run()` starts a new one. */
  stop(): void {
    this.request = 'stop';
    this.abort.abort();
  }

  /**
   * A user's change to the KB's settings (agent, schedule, gates, reporting). After every cycle
   * the loop restores `agent`, `gates` and `autonomous_operation` from a copy taken at the cycle's
   * start and reports a difference as the agent's tampering — so a change is written only between
   * cycles, before the KB is read for the next one: at once when the loop sleeps (a break or a
   * wait ends early, so the new schedule decides the next start), otherwise when the current
   * cycle or baseline measurement ends (`deferred`). `written` settles when it is written (or
   * could not be). Undefined when the run is over: nothing drives the KB, write it directly.
   */
  changeSettings(write: () => Promise<unknown>): { deferred: boolean; written: Promise<void> } | undefined {
    if (!this.acceptingSettings) return undefined;
    let change!: SettingsChange;
    const written = new Promise<void>((resolve, reject) => (change = { write, resolve, reject }));
    // The caller awaits it or not; a failure is its to report, never an unhandled rejection.
    written.catch(() => {});
    this.settingsChanges.push(change);
    const deferred = this.current.state === 'running';
    this.alarm?.abort();
    return { deferred, written };
  }

  private async writeSettingsChanges(): Promise<void> {
    for (const change of this.settingsChanges.splice(0)) {
      try {
        await change.write();
        change.resolve();
      } catch (error) {
        change.reject(error);
      }
    }
  }

  private emit(event: EngineEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A view's failure must never stop the loop.
      }
    }
  }

  private async setState(next: Omit<LoopState, 'iteration'> & { iteration?: number }): Promise<void> {
    this.current = { iteration: next.iteration ?? this.current.iteration, ...next } as LoopState;
    if (this.rs) {
      this.rs.state = this.current;
      await saveRunState(this.projectDir, this.rs);
    }
    this.emit({ type: 'state', project: this.projectDir, state: this.current });
  }

  private alert(level: 'error' | 'warning' | 'info', message: string): void {
    this.emit({ type: 'alert', project: this.projectDir, level, message });
  }

  private limits(kb: Kb): ScheduleLimits & { cycleMs: number; retryMs: number } {
    const ao = kb.autonomous_operation;
    const o = this.options.overrides ?? {};
    return {
      cycleMs: o.cycleTimeoutMs ?? ao.work_cycle.duration_minutes * MINUTE,
      breakMs: o.breakMs ?? ao.work_cycle.break_between_cycles_minutes * MINUTE,
      maxPerHour: ao.work_cycle.max_cycles_per_hour,
      maxPerDay: ao.max_iterations_per_day,
      maxPerRun: o.maxIterations ?? ao.max_iterations_per_run,
      retryMs: ao.error_handling.retry_delay_minutes * MINUTE,
    };
  }

  /** Runs until a terminal state; resolves with it. Throws LockedError when another process drives the project. */
  async run(): Promise<LoopState> {
    this.request = undefined;
    this.abort = new AbortController();
    this.template = undefined;
    const lock = await acquireLock(this.projectDir);
    this.acceptingSettings = true;
    try {
      await mkdir(join(this.projectDir, GOLDLOOP_DIR, 'logs'), { recursive: true });
      await ensureGoldloopIgnored(this.projectDir);
      this.useGit = (this.options.git ?? true) && (await git.isRepository(this.projectDir));
      // Settings saved during a cycle of a process that ended before the cycle did: written now.
      const pending = await applyPendingSettings(this.projectDir);
      for (const problem of pending.problems) this.alert('error', problem);
      await this.prepareRun();
      for (;;) {
        // Between cycles: the user's settings changes go into the KB before it is read again.
        await this.writeSettingsChanges();
        if (this.request) return await this.honourRequest();
        const kb = await this.readKb();
        if (!kb) return this.current;
        // One that arrived meanwhile is written first: it would otherwise wait a whole step.
        if (this.settingsChanges.length) continue;
        if (!this.rs!.baseline) {
          const end = await this.takeBaseline(kb);
          if (end.next === 'end') return this.current;
          continue;
        }
        // After every cycle, wait and wake-up (a report missed while the machine slept is written once).
        await this.writeDueReports(kb);
        const waited = await this.waitForSchedule(kb);
        if (waited === 'end') return this.current;
        if (waited === 'waited' || this.settingsChanges.length) continue;
        const end = await this.cycle(kb);
        if (end.next === 'end') return this.current;
      }
    } catch (error) {
      await this.fail(error instanceof Error ? error.message : String(error));
      return this.current;
    } finally {
      this.acceptingSettings = false;
      await this.writeSettingsChanges();
      if (this.rs) {
        this.rs.pid = undefined;
        await saveRunState(this.projectDir, this.rs).catch(() => {});
      }
      await lock.release();
    }
  }

  /** Resumes the previous run when it ended abnormally or by a user pause; otherwise starts a new one. */
  private async prepareRun(): Promise<void> {
    const previous = await loadRunState(this.projectDir);
    const prevState = previous?.state.state;
    const resumable =
      previous !== undefined &&
      (prevState === 'running' ||
        prevState === 'break' ||
        prevState === 'waiting_limit' ||
        prevState === 'idle' ||
        (prevState === 'paused' && previous.state.pauseReason !== 'max_iterations' && previous.state.pauseReason !== 'budget'));
    const now = this.clock.now();
    if (resumable && previous) {
      this.rs = previous;
      this.rs.consecutive_errors = prevState === 'paused' ? 0 : previous.consecutive_errors;
      if (prevState === 'paused') delete this.rs.retry_at;
    } else {
      this.rs = {
        version: 1,
        run_id: randomUUID(),
        run_started_at: new Date(now).toISOString(),
        state: { state: 'idle', iteration: 0 },
        consecutive_errors: 0,
        // The hourly and daily limits span runs; the run's own count starts again.
        schedule: {
          runIterations: 0,
          cycleStarts: previous?.schedule.cycleStarts ?? [],
          day: previous?.schedule.day ?? { date: localDay(now), iterations: 0 },
          ...(previous?.schedule.lastCycleEnd !== undefined ? { lastCycleEnd: previous.schedule.lastCycleEnd } : {}),
        },
        // So does the reporting cadence: a restart neither repeats nor loses a report.
        ...(previous?.reports ? { reports: previous.reports } : {}),
        // And the day's spending; the run's starts at zero.
        usage: newLedger(now, previous?.usage),
        // A task's session stays resumable in the next run.
        ...(previous?.sessions
          ? { sessions: previous.sessions, ...(previous.sessions_agent ? { sessions_agent: previous.sessions_agent } : {}) }
          : {}),
        updated_at: '',
      };
    }
    this.rs.usage ??= newLedger(now);
    this.rs.pid = process.pid;
    this.current = { ...this.rs.state, iteration: this.rs.state.iteration };
  }

  private async honourRequest(): Promise<LoopState> {
    if (this.request === 'stop') await this.setState({ state: 'stopped', message: 'stopped by the user' });
    else await this.setState({ state: 'paused', pauseReason: 'user', message: 'paused by the user' });
    await this.writeStatusToKb();
    return this.current;
  }

  private async readKb(): Promise<Kb | undefined> {
    try {
      return await loadKb(this.projectDir);
    } catch (error) {
      await this.fail(error instanceof KbError ? error.message : `cannot read the project: ${(error as Error).message}`);
      return undefined;
    }
  }

  /** A critical fault: stop and alert. The KB is not written, so a broken file stays as the user left it. */
  private async fail(message: string): Promise<void> {
    this.alert('error', message);
    await this.setState({ state: 'error', message }).catch(() => {});
  }

  private async takeBaseline(kb: Kb): Promise<CycleEnd> {
    await this.setState({ state: 'running', step: 'baseline', iteration: kb.autonomous_operation.current_iteration });
    const measurement = await this.gates({
      projectDir: this.projectDir,
      kb,
      label: `baseline-${this.rs!.run_id.slice(0, 8)}`,
      signal: this.abort.signal,
    });
    if (this.request) return { next: 'continue' };
    const run = evaluateChecklist(kb, measurement);
    this.rs!.baseline = run;
    this.rs!.last_gates = run;
    await saveRunState(this.projectDir, this.rs!);
    this.emit({ type: 'gates', project: this.projectDir, iteration: kb.autonomous_operation.current_iteration, run, baseline: true });
    await this.saveMeasured(kb.autonomous_operation.current_iteration, run, () => {});
    if (run.gold) {
      await this.complete(run);
      return { next: 'end' };
    }
    return { next: 'continue' };
  }

  /** Sleeps through breaks, limits and retry delays. 'start' when a cycle may begin now. */
  private async waitForSchedule(kb: Kb): Promise<'start' | 'waited' | 'end'> {
    const rs = this.rs!;
    const l = this.limits(kb);
    const now = this.clock.now();
    const iteration = kb.autonomous_operation.current_iteration;
    if (rs.limit_until !== undefined) {
      if (rs.limit_until > now) {
        await this.setState({
          state: 'waiting_limit',
          until: new Date(rs.limit_until).toISOString(),
          iteration,
          message: rs.state.message,
        });
        await this.sleepUntil(rs.limit_until, kb);
        return 'waited';
      }
      delete rs.limit_until;
    }
    if (rs.retry_at !== undefined) {
      if (rs.retry_at > now) {
        await this.setState({
          state: 'break',
          breakReason: 'retry',
          until: new Date(rs.retry_at).toISOString(),
          iteration,
          message: rs.state.message,
        });
        await this.sleepUntil(rs.retry_at, kb);
        return 'waited';
      }
      delete rs.retry_at;
    }
    const decision = nextCycleStart(now, rs.schedule, l);
    if (decision.kind === 'pause_max_iterations') {
      const message = `reached the maximum of ${l.maxPerRun} iterations for one run; resume to start a new run`;
      this.alert('warning', message);
      await this.setState({ state: 'paused', pauseReason: 'max_iterations', message, iteration });
      await this.writeStatusToKb();
      return 'end';
    }
    const budget = checkBudget(rs.usage!, kb.agent?.budget, now);
    if (budget.kind === 'run') {
      this.alert('warning', budget.message);
      await this.setState({ state: 'paused', pauseReason: 'budget', message: budget.message, iteration });
      await this.writeStatusToKb();
      return 'end';
    }
    if (budget.kind === 'day') {
      // 24/7 operation: a spent day budget is a break until midnight, not a pause that needs the user.
      this.alert('info', budget.message);
      await this.setState({ state: 'break', breakReason: 'budget', until: new Date(budget.until).toISOString(), iteration });
      await this.sleepUntil(budget.until, kb);
      return 'waited';
    }
    if (decision.at > now) {
      await this.setState({
        state: 'break',
        breakReason: decision.reason ?? 'break',
        until: new Date(decision.at).toISOString(),
        iteration,
      });
      await this.sleepUntil(decision.at, kb);
      return 'waited';
    }
    return 'start';
  }

  /** Sleeps until `until`, waking for each report due on the way: a long break or a usage-limit wait never delays one. */
  private async sleepUntil(until: number, kb: Kb): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      // A settings change ends the wait: the loop writes it and works the schedule out again.
      if (now >= until || this.abort.signal.aborted || this.settingsChanges.length) return;
      const due = this.reports.nextDue(kb, this.rs!, now);
      const wake = due !== undefined && due > now && due < until ? due : until;
      const alarm = new AbortController();
      this.alarm = alarm;
      try {
        await this.clock.sleep(wake - now, AbortSignal.any([this.abort.signal, alarm.signal]));
      } finally {
        this.alarm = undefined;
      }
      if (wake < until && !this.abort.signal.aborted && !alarm.signal.aborted) await this.writeDueReports(kb);
    }
  }

  /** Writes the progress and status reports due now; a report that cannot be written never stops the loop. */
  private async writeDueReports(kb: Kb): Promise<void> {
    try {
      const written = await this.reports.writeDue(kb, this.rs!, this.current, this.clock.now());
      if (written.length) await saveRunState(this.projectDir, this.rs!);
      for (const r of written) this.emit({ type: 'report', project: this.projectDir, kind: r.kind, path: r.path });
    } catch (error) {
      this.alert('warning', `could not write a scheduled report: ${(error as Error).message}`);
    }
  }

  private gapsFrom(run: GateRun | undefined, kb: Kb): Gaps {
    const failing = (run?.checklist ?? []).filter((c) => !c.passed && c.id !== 'phases' && c.id !== 'requirements' && c.id !== 'coverage');
    const coverage = run?.checklist.find((c) => c.id === 'coverage');
    return {
      uncoveredRequirements: run ? run.uncoveredRequirements : kb.requirements.map((r) => r.id),
      ...(coverage && typeof coverage.value === 'number' && !coverage.passed
        ? {
            coverage: {
              value: coverage.value,
              threshold: Number(coverage.threshold),
              files: run!.leastCoveredFiles.map((f) => `${f.file} (${f.pct}%)`),
            },
          }
        : {}),
      failingGates: failing.map((c) => ({ gate: c.id, detail: c.evidence.detail })),
    };
  }

  /** Settles the KB of a cycle the gates do not measure (guard/settle.ts) and says what happened. */
  private async settleKb(
    kbBefore: Kb,
    iteration: number,
    taskId: string | undefined,
    before: string | undefined,
    notes?: Note[],
  ): Promise<Settled> {
    const read = await this.readAgentKb(kbBefore, iteration);
    const settled = await settleKb({
      projectDir: this.projectDir,
      clock: this.clock,
      iteration,
      kbBefore,
      read,
      ...(taskId ? { taskId } : {}),
      ...(before ? { before } : {}),
      ...(notes ? { notes } : {}),
    });
    if (settled.rejectedRef) {
      const tamper = settled.tamper;
      this.alert(
        'warning',
        `cycle ${iteration} weakened the measurements and is not counted: ${tamper.map((t) => t.message).join('; ')}; rolled back, its work is kept in ${settled.rejectedRef}`,
      );
      this.rs!.feedback = {
        ...(taskId ? { task: taskId } : {}),
        tamper: tamper.map((t) => (t.evidence ? `${t.message}:\n${t.evidence}` : t.message)),
      };
    }
    if (settled.setAsideAfterRollBack) this.warnSetAside(iteration, settled.setAsideAfterRollBack);
    if (settled.ignored.length)
      this.alert('warning', `cycle ${iteration}: the agent edited fields only Goldloop writes; restored: ${settled.ignored.join('; ')}`);
    return settled;
  }

  /** The KB as the agent left it (guard/settle.ts), with a warning when it had to be set aside. */
  private async readAgentKb(kbBefore: Kb, iteration: number): Promise<AgentKb> {
    const read = await readAgentKb(this.projectDir, kbBefore, iteration);
    if (read.setAside) this.warnSetAside(iteration, read.setAside);
    return read;
  }

  private warnSetAside(iteration: number, { path, why }: SetAside): void {
    this.alert(
      'warning',
      `cycle ${iteration}: the agent left ${KB_FILE} unreadable (${why}); it is kept as ${path}, and the knowledge base from the cycle's start is back`,
    );
  }

  private async setTaskStatus(taskId: string | undefined, status: Task['status']): Promise<void> {
    if (!taskId) return;
    const kb = await loadKb(this.projectDir);
    const found = findTask(kb, taskId);
    if (!found || found.task.status === status) return;
    found.task.status = status;
    await saveKb(this.projectDir, kb);
  }

  /** One turn of the loop: read state, plan, execute, quality check, update progress, check completion. */
  private async cycle(kb: Kb): Promise<CycleEnd> {
    const rs = this.rs!;
    const l = this.limits(kb);
    const startedAt = this.clock.now();
    const iteration = kb.autonomous_operation.current_iteration + 1;

    // 1. Read state.
    await this.setState({ state: 'running', step: 'read_state', iteration });
    const dirty = this.useGit ? await git.changedFiles(this.projectDir) : [];

    // 2. Plan.
    await this.setState({ state: 'running', step: 'plan', iteration });
    const selection: Selection = selectNext(kb, this.gapsFrom(rs.last_gates, kb));
    if (selection.kind === 'stuck') {
      const names = selection.problems.map((p) => p.message);
      const message = `no task can start: ${names.length ? names.join('; ') : `waiting tasks ${selection.waiting.join(', ')} are blocked`}. Fix the task queue in .ai-knowledge-base.json, then start again.`;
      await this.fail(message);
      return { next: 'end' };
    }
    if (selection.kind === 'complete') {
      // Nothing left by the last measurement: measure again, now, before calling it gold.
      const run = evaluateChecklist(
        kb,
        await this.gates({ projectDir: this.projectDir, kb, label: `check-${iteration}`, signal: this.abort.signal }),
      );
      rs.last_gates = run;
      if (run.gold) {
        await this.complete(run);
        return { next: 'end' };
      }
      const open = run.checklist.filter((c) => !c.passed).map((c) => `${c.label}: ${c.evidence.detail}`);
      await this.fail(`nothing is left for the agent to work on, yet the checklist is not gold — ${open.join('; ')}`);
      return { next: 'end' };
    }

    // The template is read once per run, like the gate configuration: an agent cannot reword its own rules mid-run.
    let template: PromptTemplate;
    try {
      this.template ??= await loadPromptTemplate(this.projectDir, kb);
      template = this.template;
    } catch (error) {
      await this.fail((error as Error).message);
      return { next: 'end' };
    }

    // Counted as an iteration from its start, as the operating document counts them.
    recordStart(rs.schedule, startedAt);
    const work = workId(selection);
    const description = workDescription(selection);
    const taskId = selection.kind === 'task' ? work : undefined;
    rs.current_task = taskId;
    // A snapshot commit (only when something is uncommitted) makes a roll-back exact and loses
    // nothing the user had left uncommitted.
    const before = this.useGit
      ? ((dirty.length ? await git.commitAll(this.projectDir, `goldloop: snapshot before cycle ${iteration}`) : undefined) ??
        (await git.head(this.projectDir)))
      : undefined;
    const kbBefore = await loadKb(this.projectDir);
    if (taskId) findTask(kbBefore, taskId)!.task.status = 'in_progress';
    kbBefore.autonomous_operation.current_iteration = iteration;
    kbBefore.autonomous_operation.status = 'running';
    kbBefore.autonomous_operation.last_cycle_at = new Date(startedAt).toISOString();
    await saveKb(this.projectDir, kbBefore);

    const built = composePrompt({
      kb: kbBefore,
      projectName: kbBefore.project?.name ?? this.projectName,
      iteration,
      selection,
      lastGates: rs.last_gates,
      feedback: rs.feedback,
      template,
    });
    const prompt = built.text;
    if (built.cut.length)
      this.alert(
        'info',
        `cycle ${iteration}: the prompt was cut to its budget of ${built.budgetChars} characters: ${built.cut.join(', ')}`,
      );
    const promptFile = join(this.projectDir, GOLDLOOP_DIR, 'prompt.md');
    await writeFile(promptFile, prompt);
    const logFile = join(this.projectDir, GOLDLOOP_DIR, 'logs', `cycle-${String(iteration).padStart(6, '0')}.log`);
    this.emit({ type: 'cycle_start', project: this.projectDir, iteration, work, description });

    // A session belongs to the CLI that opened it: after the agent is changed (in the settings),
    // every piece of work starts a new session instead of asking another CLI to resume it.
    const agentKey = `${kbBefore.agent?.type ?? 'command'} ${kbBefore.agent?.executable ?? ''}`;
    if (rs.sessions_agent !== agentKey) {
      delete rs.sessions;
      rs.sessions_agent = agentKey;
    }

    // 3. Execute.
    await this.setState({ state: 'running', step: 'execute', iteration, ...(taskId ? { taskId } : {}) });
    // A cycle taken up again after a crash appends to its log: number its lines after the ones there.
    let lineNo = await readFile(logFile, 'utf8').then(
      (t) => t.split('\n').length - 1,
      () => 0,
    );
    const log = createWriteStream(logFile, { flags: 'a' });
    const outcome = await this.options.agent({
      // The same work continues its own session by id; a different task never inherits one.
      options: { prompt, promptFile, cwd: this.projectDir, ...(rs.sessions?.[work] ? { resumeSessionId: rs.sessions[work] } : {}) },
      timeoutMs: l.cycleMs,
      idleTimeoutMs: this.options.overrides?.idleTimeoutMs ?? DEFAULT_IDLE_MS,
      signal: this.abort.signal,
      onLine: (line, stream) => {
        log.write(`${stream === 'stderr' ? '! ' : ''}${line}\n`);
        this.emit({ type: 'agent_line', project: this.projectDir, iteration, n: lineNo++, stream, line });
      },
    });
    await new Promise<void>((resolve) => log.end(resolve));
    const usage = sumUsage(outcome.events);
    // Counted whatever the cycle's outcome: the tokens were spent.
    addUsage(rs.usage!, usage, this.clock.now());
    if (outcome.sessionId) rs.sessions = { ...rs.sessions, [work]: outcome.sessionId };
    const base = {
      iteration,
      startedAt: new Date(startedAt).toISOString(),
      work,
      agent: {
        exitCode: outcome.exitCode,
        durationMs: outcome.durationMs,
        ...(outcome.killedBy ? { killedBy: outcome.killedBy } : {}),
        ...(outcome.spawnError ? { error: outcome.spawnError } : {}),
        ...(usage ? { usage } : {}),
      },
      ...(before ? { git_before: before } : {}),
    };

    const edits = (settled: Settled): { ignored_edits?: string[]; tamper?: TamperFinding[] } => ({
      ...(settled.ignored.length ? { ignored_edits: settled.ignored } : {}),
      ...(settled.tamper.length ? { tamper: settled.tamper } : {}),
    });
    if (this.request || outcome.killedBy === 'abort') {
      const settled = await this.settleKb(kbBefore, iteration, taskId, before);
      await this.record({
        ...base,
        outcome: 'interrupted',
        regressions: [],
        gold: false,
        checklist: rs.last_gates?.checklist ?? [],
        ...edits(settled),
      });
      return { next: 'continue' };
    }
    if (outcome.spawnError) {
      await this.setTaskStatus(taskId, 'ready');
      await this.record({ ...base, outcome: 'error', regressions: [], gold: false, checklist: rs.last_gates?.checklist ?? [] });
      await this.fail(outcome.spawnError);
      return { next: 'end' };
    }
    if (outcome.limit) {
      // A usage limit is not an error and not progress: wait for its reset, then take the task up again.
      rs.limit_until = outcome.limit.resetAt ?? this.clock.now() + l.retryMs;
      const settled = await this.settleKb(kbBefore, iteration, taskId, before);
      await this.record({
        ...base,
        outcome: 'no_progress',
        verification: `usage limit: ${outcome.limit.message}`,
        regressions: [],
        gold: false,
        checklist: rs.last_gates?.checklist ?? [],
        ...edits(settled),
      });
      this.alert('info', `the agent hit a usage limit; waiting until ${new Date(rs.limit_until).toISOString()}`);
      await this.setState({
        state: 'waiting_limit',
        until: new Date(rs.limit_until).toISOString(),
        iteration,
        message: outcome.limit.message,
      });
      return { next: 'continue' };
    }
    if (outcome.killedBy === 'idle' || (outcome.exitCode !== 0 && outcome.killedBy !== 'timeout')) {
      return this.cycleError(kbBefore, base, taskId, outcome);
    }

    // 4. Quality check.
    await this.setState({ state: 'running', step: 'quality_check', iteration, ...(taskId ? { taskId } : {}) });
    const agentKb = await this.readAgentKb(kbBefore, iteration);
    const kbAgent = agentKb.kb;
    const ignored = restoreAgentKb(agentKb, kbBefore);
    // Taken before any roll-back: what the agent learned is worth keeping even when its change is not.
    const notes = await collectNotes(this.projectDir, kbAgent, kbBefore, iteration, this.clock.now(), taskId);
    let measurement = await this.gates({
      projectDir: this.projectDir,
      kb: kbAgent,
      label: `cycle-${iteration}`,
      signal: this.abort.signal,
    });
    if (this.request) {
      const settled = await this.settleKb(kbBefore, iteration, taskId, before, notes);
      await this.record({
        ...base,
        outcome: 'interrupted',
        regressions: [],
        gold: false,
        checklist: rs.last_gates?.checklist ?? [],
        ...edits(settled),
      });
      return { next: 'continue' };
    }
    const measured = evaluateChecklist(kbAgent, measurement);
    // A test that passed in the baseline or in the last cycle and does not pass now has regressed.
    const regs = [...new Set([...regressions(rs.last_gates?.tests, measured.tests), ...regressions(rs.baseline?.tests, measured.tests)])];
    const tamper = await detectTampering({
      projectDir: this.projectDir,
      ...(before ? { before } : {}),
      ...(rs.last_gates ? { previous: rs.last_gates } : {}),
      current: measured,
      restored: ignored,
      kb: kbBefore,
    });

    // 5. Update progress.
    await this.setState({ state: 'running', step: 'update_progress', iteration, ...(taskId ? { taskId } : {}) });
    let kind: CycleSummary['outcome'] = 'progress';
    let verification: string | undefined;
    if (tamper.length > 0) {
      // Not progress, whatever the checklist now says: recorded, shown, and put in the next prompt.
      kind = 'tampered';
      verification = `not counted: ${tamper.map((t) => t.message).join('; ')}`;
      this.alert('warning', `cycle ${iteration} weakened the measurements and is not counted: ${tamper.map((t) => t.message).join('; ')}`);
      if (before) {
        const ref = await rejectCycle(this.projectDir, before, iteration, tamper[0]!.kind);
        verification += `; rolled back, its work is kept in ${ref}`;
        measurement = await this.gates({
          projectDir: this.projectDir,
          kb: kbBefore,
          label: `cycle-${iteration}-rollback`,
          signal: this.abort.signal,
        });
      }
    } else if (regs.length > 0 && before) {
      const ref = await rejectCycle(this.projectDir, before, iteration, `regressions: ${regs.slice(0, 5).join('; ')}`);
      kind = 'rolled_back';
      verification = `rolled back: ${regs.length} test(s) that passed before failed after this cycle (${regs.slice(0, 5).join('; ')}); its work is kept in ${ref}`;
      this.alert('warning', `cycle ${iteration} broke passing tests and was rolled back: ${regs.slice(0, 3).join('; ')}`);
      measurement = await this.gates({
        projectDir: this.projectDir,
        kb: kbBefore,
        label: `cycle-${iteration}-rollback`,
        signal: this.abort.signal,
      });
    } else if (taskId) {
      verification = await this.verifyTask(findTask(kbAgent, taskId)?.task, outcome, measured, regs, l.cycleMs);
      kind = verification ? 'not_verified' : 'task_done';
    }
    const kbNow = await this.readKb();
    if (!kbNow) return { next: 'end' };
    ignored.push(...restoreGoldloopFields(kbNow, kbBefore));
    ignored.push(...keepNotes(kbNow, kbBefore, notes));
    if (taskId) {
      const task = findTask(kbNow, taskId)?.task;
      if (task) task.status = kind === 'task_done' ? 'done' : 'ready';
      if (kind === 'task_done') delete rs.sessions?.[taskId];
    }
    const now = this.clock.now();
    const ao = kbNow.autonomous_operation;
    ao.work_cycles_completed = kbBefore.autonomous_operation.work_cycles_completed + 1;
    ao.next_cycle_at = new Date(now + l.breakMs).toISOString();
    const run = evaluateChecklist(kbNow, measurement);
    applyMeasured(kbNow, run, iteration, rs, 'running');
    const estimate = await this.reports.likelyCompletion(kbNow, run, now, {
      startedAt: new Date(startedAt).toISOString(),
      endedAt: new Date(now).toISOString(),
      outcome: kind,
      run_id: rs.run_id,
    });
    if (estimate) ao.completion_estimate = estimate;
    else delete ao.completion_estimate;
    await saveKb(this.projectDir, kbNow);

    rs.last_gates = run;
    rs.consecutive_errors = 0;
    rs.schedule.lastCycleEnd = now;
    rs.feedback = {
      ...(taskId ? { task: taskId } : {}),
      ...(verification ? { verification } : {}),
      ...(kind === 'rolled_back' ? { regressions: regs } : {}),
      ...(tamper.length ? { tamper: tamper.map((t) => (t.evidence ? `${t.message}:\n${t.evidence}` : t.message)) } : {}),
    };
    if (ignored.length)
      this.alert('warning', `cycle ${iteration}: the agent edited fields only Goldloop writes; restored: ${ignored.join('; ')}`);
    await this.record({
      ...base,
      outcome: kind,
      ...(verification ? { verification } : {}),
      regressions: regs,
      gold: run.gold,
      checklist: run.checklist,
      ...(ignored.length ? { ignored_edits: ignored } : {}),
      ...(tamper.length ? { tamper } : {}),
    });
    if (this.useGit) await git.commitAll(this.projectDir, `goldloop: cycle ${iteration} — ${work} (${kind.replace('_', ' ')})`);
    this.emit({ type: 'gates', project: this.projectDir, iteration, run, baseline: false });

    // 6. Check completion.
    await this.setState({ state: 'running', step: 'check_completion', iteration });
    if (run.gold) {
      await this.complete(run);
      return { next: 'end' };
    }
    return { next: 'continue' };
  }

  /** Why a task the agent worked on is not accepted as done, or undefined when it is. */
  private async verifyTask(
    task: Task | undefined,
    outcome: AgentOutcome,
    run: GateRun,
    regs: string[],
    cycleMs: number,
  ): Promise<string | undefined> {
    if (!task) return 'the task was removed from the queue during the cycle';
    if (outcome.killedBy === 'timeout')
      return `the cycle's time limit (${Math.round(cycleMs / 1000)} s) ended the agent before it finished`;
    if (regs.length) return `tests that passed before now fail: ${regs.slice(0, 5).join('; ')}`;
    if (task.verify) {
      const result = await runProcess(task.verify, { cwd: this.projectDir, timeoutMs: 10 * MINUTE, signal: this.abort.signal });
      if (result.spawnError) return `its verify command could not start: ${result.spawnError}`;
      if (result.exitCode !== 0) {
        const tail = [...result.stderrTail, ...result.stdoutTail].filter(Boolean).slice(-3).join(' | ');
        return `its verify command \`${task.verify.join(' ')}\` exited with ${String(result.exitCode ?? result.killedBy)}${tail ? `: ${tail}` : ''}`;
      }
    }
    const uncovered = task.requirements.filter((id) => run.uncoveredRequirements.includes(id) || !run.checklist.length);
    if (uncovered.length) return `its requirements are not yet covered by a passing test: ${uncovered.join(', ')}`;
    return undefined;
  }

  private async cycleError(
    kbBefore: Kb,
    base: Omit<CycleSummary, 'outcome' | 'regressions' | 'gold' | 'checklist' | 'endedAt'> & { git_before?: string },
    taskId: string | undefined,
    outcome: AgentOutcome,
  ): Promise<CycleEnd> {
    const rs = this.rs!;
    const l = this.limits(kbBefore);
    const eh = kbBefore.autonomous_operation.error_handling;
    rs.consecutive_errors += 1;
    rs.schedule.lastCycleEnd = this.clock.now();
    const tail = outcome.stderrTail.filter(Boolean).slice(-2).join(' | ');
    const reason =
      outcome.killedBy === 'idle'
        ? `the agent printed nothing for ${Math.round((this.options.overrides?.idleTimeoutMs ?? DEFAULT_IDLE_MS) / 1000)} s and was ended`
        : `the agent exited with code ${String(outcome.exitCode ?? outcome.killedBy)}${tail ? `: ${tail}` : ''}`;
    const settled = await this.settleKb(kbBefore, base.iteration, taskId, base.git_before);
    // A failed cycle may be a session that cannot be resumed (expired, deleted): the retry starts afresh.
    delete rs.sessions?.[base.work];
    await this.record({
      ...base,
      outcome: 'error',
      verification: reason,
      regressions: [],
      gold: false,
      checklist: rs.last_gates?.checklist ?? [],
      ...(settled.ignored.length ? { ignored_edits: settled.ignored } : {}),
      ...(settled.tamper.length ? { tamper: settled.tamper } : {}),
    });
    const iteration = base.iteration;
    if (rs.consecutive_errors >= eh.max_consecutive_errors || !eh.auto_retry) {
      const message = `${rs.consecutive_errors} consecutive error(s), the last: ${reason}. Paused; fix the cause and resume.`;
      this.alert('error', message);
      await this.setState({ state: 'paused', pauseReason: 'errors', message, iteration });
      await this.writeStatusToKb();
      return { next: 'end' };
    }
    rs.retry_at = this.clock.now() + l.retryMs;
    this.alert(
      'error',
      `cycle ${iteration} failed (${rs.consecutive_errors}/${eh.max_consecutive_errors}): ${reason}; retrying at ${new Date(rs.retry_at).toISOString()}`,
    );
    await this.setState({ state: 'break', breakReason: 'retry', until: new Date(rs.retry_at).toISOString(), iteration, message: reason });
    return { next: 'continue' };
  }

  /** Appends the cycle to history.jsonl and announces it. */
  private async record(
    summary: Omit<CycleSummary, 'endedAt'> & { git_before?: string; ignored_edits?: string[]; tamper?: TamperFinding[] },
  ): Promise<void> {
    const rs = this.rs!;
    const full = { ...summary, endedAt: new Date(this.clock.now()).toISOString() };
    const kb = await loadKb(this.projectDir).catch(() => undefined);
    const ao = kb?.autonomous_operation;
    await appendHistory(this.projectDir, {
      ...full,
      run_id: rs.run_id,
      checklist: summary.checklist.map((c) => ({ id: c.id, passed: c.passed, value: c.value })),
      counters: {
        current_iteration: ao?.current_iteration ?? summary.iteration,
        work_cycles_completed: ao?.work_cycles_completed ?? 0,
        tasks_completed: ao?.tasks_completed ?? 0,
        run_iterations: rs.schedule.runIterations,
        consecutive_errors: rs.consecutive_errors,
      },
    });
    this.emit({ type: 'cycle_end', project: this.projectDir, summary: full });
  }

  private async complete(run: GateRun): Promise<void> {
    const kb = await loadKb(this.projectDir);
    const history = (await readHistory(this.projectDir)).filter((h) => h.run_id === this.rs!.run_id);
    let changed: string[] = [];
    if (this.useGit) {
      const first = history.find((h) => h.git_before)?.git_before;
      if (first) changed = await git.diffNames(this.projectDir, first);
    }
    const path = await writeFinalReport({
      projectDir: this.projectDir,
      kb,
      gates: run,
      history,
      runStartedAt: this.rs!.run_started_at,
      now: new Date(this.clock.now()),
      changedFiles: changed,
    });
    this.emit({ type: 'report', project: this.projectDir, kind: 'final', path });
    await this.setState({ state: 'complete', message: 'gold: every line of the completion checklist passes' });
    await this.writeStatusToKb();
    this.emit({ type: 'gold', project: this.projectDir, iteration: this.current.iteration });
  }

  private async writeStatusToKb(): Promise<void> {
    try {
      const kb = await loadKb(this.projectDir);
      kb.autonomous_operation.status = this.current.state;
      await saveKb(this.projectDir, kb);
    } catch {
      // A KB that cannot be read is reported by the next read; never overwritten here.
    }
  }

  /** Writes Goldloop's measured fields into the KB (read-modify-write), plus any extra change. */
  private async saveMeasured(iteration: number, run: GateRun, change: (kb: Kb) => void): Promise<Kb> {
    const kb = await loadKb(this.projectDir);
    change(kb);
    applyMeasured(kb, run, iteration, this.rs!, this.current.state);
    await saveKb(this.projectDir, kb);
    return kb;
  }
}

/** Keeps Goldloop's own files out of the project's commits. */
async function ensureGoldloopIgnored(projectDir: string): Promise<void> {
  const path = join(projectDir, GOLDLOOP_DIR, '.gitignore');
  await writeFile(path, '# Goldloop state, logs and reports: kept out of checkpoint commits.\n*\n', { flag: 'wx' }).catch(() => {});
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
    ...(run.coveragePct !== undefined ? { coverage: run.coveragePct } : {}),
  };
  const qg = ao.quality_gates as Record<string, unknown>;
  if (run.coveragePct !== undefined) qg.test_coverage = run.coveragePct;
  qg.target_coverage = ao.quality_gates.test_coverage_threshold;
  qg.tests_passing = tests?.passed ?? false;
  const phases = phaseProgress(kb);
  const reqTotal = kb.requirements.length;
  ao.completion_status = {
    ...ao.completion_status,
    phases_complete: phases.filter((p) => p.total > 0 && p.done === p.total).length,
    total_phases: phases.length,
    requirements_covered: reqTotal ? Math.round(((reqTotal - run.uncoveredRequirements.length) / reqTotal) * 100) : 0,
    target_coverage: 100,
    production_ready: run.gold,
  };
  ao.tasks_completed = allTasks(kb).filter((t) => t.task.status === 'done').length;
}
