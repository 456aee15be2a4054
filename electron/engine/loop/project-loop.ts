/**
 * One project's loop: the state machine around the cycle (cycle.ts). It takes the baseline,
 * waits out breaks, limits and retry delays, writes users' settings changes between cycles,
 * honours pause and stop, and ends in gold with the final report.
 */
import { basename } from 'node:path';
import { checkBudget } from '../agents/budget.ts';
import type { AgentRunner } from '../agents/runner.ts';
import { evaluateChecklist } from '../gates/checklist/checklist.ts';
import type { GateRunner } from '../gates/measurement.ts';
import { measureGates } from '../gates/phase.ts';
import type { GateRun } from '../gates/types.ts';
import { ScheduledReports } from '../reports/scheduled.ts';
import { systemClock, type Clock } from '../../platform/clock.ts';
import * as git from '../../platform/git.ts';
import type { SnapshotRepo } from '../../platform/snapshots.ts';
import { clearJournal } from '../../store/journal.ts';
import { loadKb } from '../../store/kb/kb-file.ts';
import type { Kb } from '../../store/kb/schema.ts';
import { acquireLock } from '../../store/lock.ts';
import { prepareGoldloopFolder } from '../../store/project-files.ts';
import { loadRunState, saveRunState, type RunState } from '../../store/run-state.ts';
import { applyPendingSettings } from '../../store/settings/index.ts';
import { openSnapshots } from '../../store/state-folder.ts';
import { runCycle } from './cycle.ts';
import { cannotRead, type CycleContext } from './cycle-context.ts';
import { recordStatusInKb, saveMeasured, writeRunFinalReport } from './progress.ts';
import { goldTree } from '../../store/gold-tree.ts';
import { loadPromptTemplate, type PromptTemplate } from './prompt-template.ts';
import { endWhatCrashedRunsLeft, settleWhatRunsLeft } from './recover.ts';
import { startRunState } from './resume.ts';
import { SettingsChanges } from './settings-changes.ts';
import { cycleLimits, nextCycleStart } from './schedule.ts';
import type { EngineEvent, LoopOverrides, LoopState, PauseReason } from './types.ts';
import { goldWords, waivedLines } from '../../contract/status.ts';

export type { LoopOverrides } from './types.ts';

export interface LoopOptions {
  projectDir: string;
  agent: AgentRunner;
  gates?: GateRunner;
  clock?: Clock;
  overrides?: LoopOverrides;
  /** Checkpoint commits and roll-back of regressing cycles (default: on when the folder is a git repository). */
  git?: boolean;
  /** The host's preflight, run again when a settings change is written between cycles: a message ends the run with that error. */
  preflight?: () => Promise<string | undefined>;
  /**
   * A host process that holds the project's lock and waits out the long waits itself (`goldloop run`: see
   * cli/run-host.ts). The loop takes no lock, names the host as the run's process, and instead of sleeping
   * through a wait of `handOffWaitsOverMs` or more it ends `run()` in the waiting state, with `handedOffUntil`
   * set to the moment to start it again (the wait's end, or a report due before it).
   */
  host?: { pid: number; handOffWaitsOverMs: number };
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
  /** Goldloop's private snapshots of the project, when it is a git repository. */
  private snapshots: SnapshotRepo | undefined;
  private readonly reports: ScheduledReports;
  /** The prompt template, read at the first cycle of each `run()`. */
  private template: PromptTemplate | undefined;
  /** Users' settings changes, written at the next point between cycles (`changeSettings`). */
  private readonly settings = new SettingsChanges();
  private acceptingSettings = false;
  /** Set when `run()` ended to let the host wait: when to run it again (epoch ms). */
  handedOffUntil: number | undefined;

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
   * A user's change to the KB's settings (agent, schedule, gates, reporting). After every cycle the loop restores `agent`, `gates`
   * and `autonomous_operation` from the cycle's start (a difference is the agent's tampering), so a change is written only between
   * cycles, before the KB is read again: at once when the loop sleeps (the wait ends early, so the new schedule decides the next
   * start), otherwise when the current cycle or baseline ends (`deferred`). `written` settles when it is written (or could not be).
   * Undefined when the run is over: write it directly.
   */
  changeSettings(write: () => Promise<unknown>): { deferred: boolean; written: Promise<void> } | undefined {
    if (!this.acceptingSettings) return undefined;
    const deferred = this.current.state === 'running';
    return { deferred, written: this.settings.add(write) };
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

  /** Runs until a terminal state; resolves with it. Throws LockedError when another process drives the project. */
  async run(): Promise<LoopState> {
    this.request = undefined;
    this.abort = new AbortController();
    this.template = undefined;
    this.handedOffUntil = undefined;
    const host = this.options.host;
    const lock = host ? undefined : await acquireLock(this.projectDir);
    this.acceptingSettings = true;
    try {
      endWhatCrashedRunsLeft((message) => this.alert('warning', message));
      await prepareGoldloopFolder(this.projectDir);
      const repository = await git.isRepository(this.projectDir);
      this.useGit = (this.options.git ?? true) && repository;
      this.snapshots = repository ? await openSnapshots(this.projectDir) : undefined;
      this.rs = startRunState(await loadRunState(this.projectDir), this.clock.now());
      this.rs.pid = host?.pid ?? process.pid;
      this.current = { ...this.rs.state, iteration: this.rs.state.iteration };
      // What the last process left: a cycle it did not finish, tasks marked done that Goldloop never verified, a drafting session's traces.
      await settleWhatRunsLeft(this.cycleContext());
      // Settings saved during a cycle of a process that ended before the cycle did: written now, after
      // that cycle is settled (which puts back the settings it started with).
      const pending = await applyPendingSettings(this.projectDir);
      for (const problem of pending.problems) this.alert('error', problem);
      await this.loop();
      return this.current;
    } catch (error) {
      await this.fail(error instanceof Error ? error.message : String(error));
      return this.current;
    } finally {
      this.acceptingSettings = false;
      await this.settings.writeAll();
      if (this.rs) {
        // While the host waits, it is the run's process all the same.
        if (this.handedOffUntil === undefined) this.rs.pid = undefined;
        await saveRunState(this.projectDir, this.rs).catch(() => {});
      }
      await lock?.release();
    }
  }

  /** Baseline, then cycles and the waits between them, until a state that ends the run. */
  private async loop(): Promise<void> {
    for (;;) {
      // Between cycles: the user's settings changes go into the KB before it is read again.
      const changed = await this.settings.writeAll();
      if (this.request) return this.honourRequest();
      const unready = changed && this.options.preflight ? await this.options.preflight() : undefined;
      if (unready) return this.fail(unready);
      const kb = await this.readKb();
      if (!kb) return;
      // One that arrived meanwhile is written first: it would otherwise wait a whole step.
      if (this.settings.waiting) continue;
      if (!this.rs!.baseline) {
        if (await this.takeBaseline(kb)) return;
        continue;
      }
      // After every cycle, wait and wake-up (a report missed while the machine slept is written once).
      await this.writeDueReports(kb);
      const waited = await this.waitForSchedule(kb);
      if (waited === 'end') return;
      if (waited === 'waited' || this.settings.waiting) continue;
      const end = await runCycle(this.cycleContext(), kb);
      // However it ended, the cycle is settled: nothing is left for a restart to settle.
      await clearJournal(this.projectDir);
      if (end.next === 'gold') return this.complete(end.run);
      if (end.next === 'fail') return this.fail(end.message);
      if (end.next === 'pause') return this.pauseFor('errors', end.message, this.current.iteration);
    }
  }

  /** What a cycle needs from the loop; the run's state is saved with every state change. */
  private cycleContext(): CycleContext {
    return {
      projectDir: this.projectDir,
      useGit: this.useGit,
      ...(this.snapshots ? { snapshots: this.snapshots } : {}),
      clock: this.clock,
      signal: this.abort.signal,
      rs: this.rs!,
      gates: this.gates,
      agent: this.options.agent,
      overrides: this.options.overrides ?? {},
      template: async (kb) => (this.template ??= await loadPromptTemplate(this.projectDir, kb)),
      reports: this.reports,
      out: { emit: (e) => this.emit(e), alert: (level, message) => this.alert(level, message), setState: (next) => this.setState(next) },
    };
  }

  private async honourRequest(): Promise<void> {
    if (this.request === 'stop') await this.setState({ state: 'stopped', message: 'stopped by the user' });
    else await this.setState({ state: 'paused', pause_reason: 'user', message: 'paused by the user' });
    await this.writeStatusToKb();
  }

  /** A pause that needs the user's resume: after repeated errors, at the run's iteration limit, or its budget. */
  private async pauseFor(pauseReason: Exclude<PauseReason, 'user'>, message: string, iteration: number): Promise<void> {
    this.alert(pauseReason === 'errors' ? 'error' : 'warning', message);
    await this.setState({ state: 'paused', pause_reason: pauseReason, message, iteration });
    await this.writeStatusToKb();
  }

  private async readKb(): Promise<Kb | undefined> {
    try {
      return await loadKb(this.projectDir);
    } catch (error) {
      await this.fail(cannotRead(error));
      return undefined;
    }
  }

  /** A critical fault: stop and alert. The KB is not written, so a broken file stays as the user left it. */
  private async fail(message: string): Promise<void> {
    this.alert('error', message);
    await this.setState({ state: 'error', message }).catch(() => {});
  }

  /** Measures the project before the first cycle: what passes now must still pass after every cycle. True when it is gold already. */
  private async takeBaseline(kb: Kb): Promise<boolean> {
    const iteration = kb.autonomous_operation.current_iteration;
    const waiting = (message?: string) => this.setState({ state: 'running', step: 'baseline', iteration, ...(message ? { message } : {}) });
    await waiting();
    const phase = { label: 'baseline', at: this.clock.now(), signal: this.abort.signal, baseline: true, waiting };
    const measurement = await this.gates({ projectDir: this.projectDir, kb, ...phase });
    if (this.request) return false;
    const run = evaluateChecklist(kb, measurement);
    this.rs!.baseline = this.rs!.last_gates = run;
    await saveRunState(this.projectDir, this.rs!);
    this.emit({ type: 'gates', project: this.projectDir, iteration, run, baseline: true });
    await saveMeasured(this.projectDir, run, iteration, this.rs!, this.current.state);
    if (!run.gold) return false;
    await this.complete(run);
    return true;
  }

  /** Sleeps through breaks, limits and retry delays. 'start' when a cycle may begin now. */
  private async waitForSchedule(kb: Kb): Promise<'start' | 'waited' | 'end'> {
    const rs = this.rs!;
    const l = cycleLimits(kb, this.options.overrides);
    const now = this.clock.now();
    const iteration = kb.autonomous_operation.current_iteration;
    // A usage limit, then an error's retry delay: each is waited out before the schedule decides.
    const waits = [
      ['limit_until', { state: 'waiting_limit' }],
      ['retry_at', { state: 'break', break_reason: 'retry' }],
    ] as const;
    for (const [key, state] of waits) {
      const at = rs[key];
      if (at === undefined) continue;
      if (at > now) {
        await this.setState({ ...state, until: new Date(at).toISOString(), iteration, message: rs.state.message });
        return this.waitUntil(at, kb);
      }
      delete rs[key];
    }
    const decision = nextCycleStart(now, rs.schedule, l);
    if (decision.kind === 'pause_max_iterations') {
      await this.pauseFor(
        'max_iterations',
        `reached the maximum of ${l.maxPerRun} iterations for one run; resume to start a new run`,
        iteration,
      );
      return 'end';
    }
    const budget = checkBudget(rs.usage!, kb.agent?.budget, now);
    if (budget.kind === 'run') {
      await this.pauseFor('budget', budget.message, iteration);
      return 'end';
    }
    if (budget.kind === 'day') {
      // 24/7 operation: a spent day budget is a break until midnight, not a pause that needs the user.
      this.alert('info', budget.message);
      await this.setState({ state: 'break', break_reason: 'budget', until: new Date(budget.until).toISOString(), iteration });
      return this.waitUntil(budget.until, kb);
    }
    if (decision.at > now) {
      await this.setState({
        state: 'break',
        break_reason: decision.reason ?? 'break',
        until: new Date(decision.at).toISOString(),
        iteration,
      });
      return this.waitUntil(decision.at, kb);
    }
    return 'start';
  }

  /** Waits until `until` here, or, with a host and a wait long enough, ends the run for the host to wait ('end'). */
  private async waitUntil(until: number, kb: Kb): Promise<'waited' | 'end'> {
    const now = this.clock.now();
    const wake = this.wakeAt(until, kb, now);
    if (this.options.host && wake - now >= this.options.host.handOffWaitsOverMs && !this.settings.waiting && !this.request) {
      this.handedOffUntil = wake;
      return 'end';
    }
    await this.sleepUntil(until, kb);
    return 'waited';
  }

  /** Sleeps until `until`, waking for each report due on the way: a long break or a usage-limit wait never delays one. */
  private async sleepUntil(until: number, kb: Kb): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      // A settings change ends the wait: the loop writes it and works the schedule out again.
      if (now >= until || this.abort.signal.aborted || this.settings.waiting) return;
      const wake = this.wakeAt(until, kb, now);
      const changed = await this.settings.sleep((alarm) => this.clock.sleep(wake - now, AbortSignal.any([this.abort.signal, alarm])));
      if (wake < until && !this.abort.signal.aborted && !changed) await this.writeDueReports(kb);
    }
  }

  /** When a wait until `until` must wake: its end, or a report due before it. */
  private wakeAt(until: number, kb: Kb, now: number): number {
    const due = this.reports.nextDue(kb, this.rs!, now);
    return due !== undefined && due > now && due < until ? due : until;
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

  /** Gold: the final report (with every file the run changed), the state, the announcement. */
  private async complete(run: GateRun): Promise<void> {
    const path = await writeRunFinalReport(this.projectDir, this.rs!, run, { useGit: this.useGit, now: new Date(this.clock.now()) });
    this.emit({ type: 'report', project: this.projectDir, kind: 'final', path, waived: waivedLines(run.checklist) });
    await this.setState({ state: 'complete', message: `gold: ${goldWords(run.checklist)}` });
    await this.writeStatusToKb();
    // The verdict is bound to the content it was measured on, taken after Goldloop's last write.
    this.rs!.gold_tree = await goldTree(this.projectDir);
    await saveRunState(this.projectDir, this.rs!);
    this.emit({ type: 'gold', project: this.projectDir, iteration: this.current.iteration });
  }

  private writeStatusToKb(): Promise<void> {
    return recordStatusInKb(this.projectDir, this.current.state);
  }
}
