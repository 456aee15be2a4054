import type { ApiEvent } from '../../contract/api.ts';
import type { Preflight } from '../../contract/preflight.ts';
import type { GateRunView, ProjectView } from '../../contract/status.ts';
import type { AgentRunner } from '../../engine/agents/runner.ts';
import type { LoopOverrides, ProjectLoop } from '../../engine/loop/project-loop.ts';
import type { LoopState } from '../../engine/loop/types.ts';
import { PlanRuns } from '../../engine/plan/runs.ts';
import { ProjectSettingsStore } from '../../store/settings/index.ts';
import { agentFromKb } from './agent.ts';
import { checkPreflight } from './preflight.ts';
import type { Entry, Registry } from './registry.ts';
import { projectView, type ProjectActivity } from './views.ts';

export interface SupervisorOptions {
  /** The folder of the project registry (conf's `cwd`), for `openSupervisor`; default: the user's config folder. Tests use a temp folder. */
  configDir?: string;
  /** The agent for a project; default: its knowledge base's `agent` section, as `goldloop run` without flags. */
  agentFor?: (projectDir: string) => Promise<AgentRunner>;
  /** Schedule overrides for every run (tests shorten breaks). */
  overrides?: LoopOverrides;
  /** How long status pushes are coalesced (default 150 ms): a burst of engine events becomes one push. */
  statusDelayMs?: number;
  /** Told what the user should know and nothing stops for: a project list that could not be read and was set aside. */
  warn?: (message: string) => void;
}

/** A project whose loop runs in this process. */
export interface Driven {
  loop: ProjectLoop;
  done: Promise<LoopState | undefined>;
}

/**
 * What the parts of the supervisor share: the registry, what this process is doing with each
 * project, the event listeners and the coalesced status pushes. The files next to this one act on
 * it, one concern each: the project list, runs, manual gate runs, settings, planning.
 */
export class SupervisorState implements ProjectActivity {
  readonly driven = new Map<string, Driven>();
  readonly measuring = new Set<string>();
  readonly manualGates = new Map<string, GateRunView>();
  /** Each project's last preflight (supervisor/preflight.ts), shown in its view while it does not run. */
  readonly preflights = new Map<string, Preflight>();
  /** Planning cycles started from the dashboard; their outcome is pushed as `plan` and kept in the project's view. */
  readonly plans = new PlanRuns((projectId, plan) => {
    this.emit({ type: 'plan', project_id: projectId, plan });
    // A merged plan may be the task the preflight waited for: checked again when a plan ends.
    if (plan.state !== 'running') this.preflights.delete(projectId);
    this.scheduleStatus(projectId);
  });
  /** Set by `close`: nothing new starts, and no status is pushed any more. */
  closed = false;
  private readonly listeners = new Set<(event: ApiEvent) => void>();
  private readonly statusTimers = new Map<string, NodeJS.Timeout>();
  /** Each project's settings, with the changes saved while a cycle ran (kept until the loop writes them). */
  private readonly settings = new Map<string, ProjectSettingsStore>();
  /** The tail of each project's queue of changing requests (see `serial`). */
  private readonly queues = new Map<string, Promise<void>>();

  constructor(
    readonly registry: Registry,
    readonly options: SupervisorOptions,
  ) {}

  /** The agent for a project: the one the options give, else the one its KB names. */
  agentFor(projectDir: string): Promise<AgentRunner> {
    return (this.options.agentFor ?? agentFromKb)(projectDir);
  }

  on(listener: (event: ApiEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: ApiEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // One view's failure must not reach the engine or the other views.
      }
    }
  }

  alert(projectId: string, level: 'error' | 'warning' | 'info', message: string): void {
    this.emit({ type: 'alert', project_id: projectId, level, message });
  }

  /** The project as the dashboard shows it; its preflight is run the first time it is shown idle. */
  async view(entry: Entry): Promise<ProjectView> {
    // A KB that cannot be read has no preflight: the view says why instead.
    if (!this.driven.has(entry.id) && !this.preflights.has(entry.id)) await checkPreflight(this, entry).catch(() => {});
    return projectView(this, entry);
  }

  /** Every registered project, as the dashboard lists them. */
  views(): Promise<ProjectView[]> {
    return Promise.all(this.registry.entries().map((e) => this.view(e)));
  }

  /** Every project and its status, as sent on (re)connect and after a project is added or removed. */
  async snapshot(): Promise<Extract<ApiEvent, { type: 'snapshot' }>> {
    return { type: 'snapshot', projects: await this.views(), at: new Date().toISOString() };
  }

  async broadcastSnapshot(): Promise<void> {
    this.emit(await this.snapshot());
  }

  /** Coalesces status pushes: one fresh status per project per `statusDelayMs`. */
  scheduleStatus(projectId: string): void {
    if (this.statusTimers.has(projectId) || this.closed) return;
    const timer = setTimeout(() => {
      this.statusTimers.delete(projectId);
      const entry = this.registry.find(projectId);
      if (!entry) return;
      void this.view(entry).then((project) => this.emit({ type: 'status', project_id: projectId, project }));
    }, this.options.statusDelayMs ?? 150);
    this.statusTimers.set(projectId, timer);
  }

  /**
   * Runs the requests that change a project — start, resume, settings saves, planning, removal —
   * one at a time per project: two saves from two windows cannot lose one, and a save cannot slip
   * in after a starting cycle took its copy of the settings. Each of them is quick (a long run or
   * planning goes on in the background), so a request waits milliseconds, not a cycle.
   */
  serial<T>(projectId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(projectId) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.then(
      () => {},
      () => {},
    );
    this.queues.set(projectId, settled);
    void settled.then(() => {
      if (this.queues.get(projectId) === settled) this.queues.delete(projectId);
    });
    return next;
  }

  /** The project's settings, made on first use and kept while the project is registered. */
  settingsOf(entry: Entry): ProjectSettingsStore {
    let store = this.settings.get(entry.id);
    if (!store) {
      store = new ProjectSettingsStore(entry.path, (message) => this.alert(entry.id, 'warning', message));
      this.settings.set(entry.id, store);
    }
    return store;
  }

  /** Drops what is kept of a project that is no longer registered. */
  forget(projectId: string): void {
    this.manualGates.delete(projectId);
    this.preflights.delete(projectId);
    this.settings.delete(projectId);
    this.plans.forget(projectId);
  }

  /** Pauses every driven project (their agents' process trees end, state is saved) and stops pushing events. */
  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.statusTimers.values()) clearTimeout(timer);
    this.statusTimers.clear();
    const runs = [...this.driven.values()];
    for (const run of runs) run.loop.pause();
    await Promise.all([...runs.map((r) => r.done), this.plans.close()]);
    this.listeners.clear();
  }
}
