import { createHash } from 'node:crypto';
import { realpath, stat } from 'node:fs/promises';
import { access } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { z } from 'zod';
import { ApiError, fail } from '../contract/errors.ts';
import { isAgentKind, runnerFor } from '../engine/agents/registry.ts';
import type { AgentRunner } from '../engine/agents/runner.ts';
import { runGates } from '../engine/gates/run-gates.ts';
import type { GateRun } from '../engine/gates/types.ts';
import * as git from '../platform/git.ts';
import { initProject } from '../engine/project/init.ts';
import { KB_FILE, KbError, kbPath, loadKb } from '../store/kb/kb-file.ts';
import { lockHolder, LockedError } from '../store/lock.ts';
import { readHistory } from '../store/history.ts';
import { ProjectLoop, type LoopOverrides } from '../engine/loop/project-loop.ts';
import { loadRunState, saveRunState } from '../store/run-state.ts';
import type { EngineEvent, LoopState } from '../engine/loop/types.ts';
import { listReports, readLog, readReport } from '../store/project-files.ts';
import { ProjectSettingsStore, settingsErrorText } from '../store/settings/index.ts';
import { PlanRuns } from '../engine/plan/runs.ts';
import { importWithoutSignalHooks } from '../platform/quiet-import.ts';
import { projectStatus } from '../engine/project/status.ts';
import { isApiMethod, type ApiArgs, type ApiEvent, type ApiMethod, type ApiResults, type GoldloopApi } from '../contract/api.ts';
import type { SettingsPatch, SettingsResult, UpdateSettingsResult } from '../contract/settings.ts';
import { parseArgs } from './requests.ts';
import type { GateRunView, ProjectStatus, ProjectView } from '../contract/status.ts';

export { ApiError } from '../contract/errors.ts';

/** One registered project, as persisted. */
const EntrySchema = z.object({ id: z.string().regex(/^[a-z0-9-]{1,64}$/), path: z.string().min(1), added_at: z.string() });
type Entry = z.infer<typeof EntrySchema>;

/** Where the registry lives: a conf store (the plain-Node twin of electron-store), or any store with this surface. */
export interface RegistryStore {
  get(key: 'projects'): unknown;
  set(key: 'projects', value: unknown[]): void;
  readonly path: string;
}

/** A conf store for the registry in `configDir` (default: the user's config folder). */
export async function openRegistry(configDir?: string): Promise<RegistryStore> {
  // Without the signal hooks conf's import brings: Goldloop pauses its agents on Ctrl-C itself.
  const { default: Conf } = await importWithoutSignalHooks(() => import('conf'));
  return new Conf<{ projects: unknown[] }>({
    projectName: 'goldloop',
    configName: 'projects',
    defaults: { projects: [] },
    ...(configDir ? { cwd: configDir } : {}),
  });
}

/** Opens the registry and returns a supervisor over it. */
export async function openSupervisor(options: SupervisorOptions = {}): Promise<Supervisor> {
  return new Supervisor(await openRegistry(options.configDir), options);
}

export interface SupervisorOptions {
  /** The folder of the project registry (conf's `cwd`), for `openSupervisor`; default: the user's config folder. Tests use a temp folder. */
  configDir?: string;
  /** The agent for a project; default: its knowledge base's `agent` section, as `goldloop run` without flags. */
  agentFor?: (projectDir: string) => Promise<AgentRunner>;
  /** Schedule overrides for every run (tests shorten breaks). */
  overrides?: LoopOverrides;
  /** How long status pushes are coalesced (default 150 ms): a burst of engine events becomes one push. */
  statusDelayMs?: number;
}

interface Driven {
  loop: ProjectLoop;
  done: Promise<LoopState | undefined>;
}

/** A stable, URL-safe id for a folder: the same path always gets the same id. */
export const projectIdFor = (path: string): string => createHash('sha256').update(path).digest('hex').slice(0, 12);

/** The agent a project's KB names, like `goldloop run` without flags. */
export async function agentFromKb(projectDir: string): Promise<AgentRunner> {
  const kb = await loadKb(projectDir);
  const agent = kb.agent;
  if (!agent) {
    return fail(
      'bad_request',
      `no agent configured for ${projectDir}`,
      'set "agent": { "type": "claude-code" } (or "command" with "command": [argv]) in .ai-knowledge-base.json, then start again',
      'agent',
    );
  }
  if (!isAgentKind(agent.type))
    return fail(
      'bad_request',
      `unknown agent type "${agent.type}"`,
      'use one of claude-code, codex, gemini, opencode, aider, command',
      'agent.type',
    );
  try {
    // A CLI installed off PATH: the KB names its program, as `goldloop run` honours it.
    return runnerFor({ ...agent, type: agent.type }, projectDir).runner;
  } catch (error) {
    return fail('bad_request', (error as Error).message, 'set agent.command to an argv array in .ai-knowledge-base.json', 'agent.command');
  }
}

/** Keeps what a listener needs of a gate run: the per-test list can be thousands of rows. */
function gateView(run: GateRun): GateRunView {
  return {
    at: run.at,
    durationMs: run.durationMs,
    gold: run.gold,
    checklist: run.checklist,
    uncoveredRequirements: run.uncoveredRequirements,
    ...(run.coveragePct !== undefined ? { coveragePct: run.coveragePct } : {}),
  };
}

/** An engine event as the dashboard receives it: the project's id instead of its path. */
function toApiEvent(projectId: string, event: EngineEvent): ApiEvent {
  const { project: _path, ...rest } = event;
  if (rest.type === 'gates') return { ...rest, projectId, run: gateView(rest.run) };
  return { ...rest, projectId } as ApiEvent;
}

/**
 * Many projects in one process: a persisted registry of project folders, one ProjectLoop per
 * driven project, and every engine event fanned out with its project's id. Every request is
 * validated against the shared contract first (`call`), so the HTTP server and the preload
 * bridge get the same checks and the same errors.
 */
export class Supervisor {
  private readonly driven = new Map<string, Driven>();
  private readonly measuring = new Set<string>();
  /** Manual gate runs (runGatesNow), shown until the loop measures something newer. */
  private readonly manualGates = new Map<string, GateRunView>();
  private readonly listeners = new Set<(event: ApiEvent) => void>();
  private readonly pending = new Map<string, NodeJS.Timeout>();
  /** Each project's settings, with the changes saved while a cycle ran (kept until the loop writes them). */
  private readonly settings = new Map<string, ProjectSettingsStore>();
  /** Planning cycles started from the dashboard; their outcome is pushed as `plan` and kept in the project's view. */
  private readonly plans = new PlanRuns((projectId, plan) => {
    this.emit({ type: 'plan', projectId, plan });
    this.scheduleStatus(projectId);
  });
  private closed = false;
  /** The tail of each project's queue of changing requests (see `serial`). */
  private readonly queues = new Map<string, Promise<void>>();

  /** The contract, typed; each method validates its arguments like `call`. */
  readonly api: GoldloopApi;

  /** Use `openSupervisor`, which opens the conf store; a store can be given directly for other hosts. */
  constructor(
    private readonly store: RegistryStore,
    private readonly options: SupervisorOptions = {},
  ) {
    const api: Partial<Record<ApiMethod, (args: unknown) => Promise<unknown>>> = {};
    for (const method of Object.keys(this.handlers) as ApiMethod[]) api[method] = (args) => this.call(method, args);
    this.api = api as GoldloopApi;
  }

  /** Where the registry is kept. */
  get configPath(): string {
    return this.store.path;
  }

  /** Subscribes to pushed events of every project; returns the unsubscribe function. */
  on(listener: (event: ApiEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: ApiEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // One view's failure must not reach the engine or the other views.
      }
    }
  }

  /**
   * Runs one request by method name with unchecked arguments (from HTTP or IPC). Throws ApiError
   * for a bad method, bad arguments or a refused action; anything else is a bug, reported as such.
   */
  async call(method: string, args: unknown): Promise<unknown> {
    if (!isApiMethod(method)) return fail('not_found', `no such method: ${method}`, `use one of ${Object.keys(this.handlers).join(', ')}`);
    const parsed = parseArgs(method, args);
    if (!parsed.ok) throw new ApiError(parsed.error);
    const handler = this.handlers[method] as (a: unknown) => Promise<unknown>;
    try {
      return await handler(parsed.value);
    } catch (error) {
      if (error instanceof ApiError) throw error;
      if (error instanceof KbError)
        throw new ApiError({
          code: 'conflict',
          message: error.message,
          fix: 'fix .ai-knowledge-base.json as the message says, then try again',
        });
      if (error instanceof LockedError) throw new ApiError({ code: 'conflict', message: error.message });
      throw new ApiError({ code: 'internal', message: `${method} failed: ${(error as Error).message}` });
    }
  }

  private readonly handlers: { [M in ApiMethod]: (args: ApiArgs[M]) => Promise<ApiResults[M]> } = {
    listProjects: async () => Promise.all(this.entries().map((e) => this.view(e))),
    addProject: (a) => this.add(a),
    removeProject: (a) => this.serial(a.projectId, () => this.remove(a.projectId)),
    start: (a) => this.serial(a.projectId, async () => ({ project: await this.start(this.entry(a.projectId), 'start') })),
    resume: (a) => this.serial(a.projectId, async () => ({ project: await this.start(this.entry(a.projectId), 'resume') })),
    pause: async (a) => ({ project: await this.halt(this.entry(a.projectId), 'pause') }),
    stop: async (a) => ({ project: await this.halt(this.entry(a.projectId), 'stop') }),
    runGatesNow: (a) => this.runGatesNow(this.entry(a.projectId)),
    getStatus: async (a) => this.status(this.entry(a.projectId)),
    getLog: (a) => readLog(this.entry(a.projectId).path, a),
    getHistory: (a) => readHistory(this.entry(a.projectId).path),
    listReports: (a) => listReports(this.entry(a.projectId).path),
    readReport: async (a) => {
      const markdown = await readReport(this.entry(a.projectId).path, a.name);
      return markdown === undefined
        ? fail('not_found', `no report named ${a.name}`, 'pick a name from listReports', 'name')
        : { name: a.name, markdown };
    },
    getSettings: (a) => this.getSettings(this.entry(a.projectId)),
    updateSettings: (a) => this.serial(a.projectId, () => this.updateSettings(this.entry(a.projectId), a.settings)),
    planDocuments: async (a) => ({ documents: await this.plans.documents(this.entry(a.projectId).path) }),
    planProject: (a) => this.serial(a.projectId, () => this.plan(this.entry(a.projectId), a.docs ?? [])),
  };

  /**
   * Runs the requests that change a project — start, resume, settings saves, planning, removal —
   * one at a time per project: two saves from two windows cannot lose one, and a save cannot slip
   * in after a starting cycle took its copy of the settings. Each of them is quick (a long run or
   * planning goes on in the background), so a request waits milliseconds, not a cycle.
   */
  private serial<T>(projectId: string, work: () => Promise<T>): Promise<T> {
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

  /** The registered projects; entries that do not validate are skipped (and kept in the file). */
  private entries(): Entry[] {
    const raw = this.store.get('projects');
    return (Array.isArray(raw) ? raw : []).flatMap((e) => {
      const parsed = EntrySchema.safeParse(e);
      return parsed.success ? [parsed.data] : [];
    });
  }

  private entry(projectId: string): Entry {
    return (
      this.entries().find((e) => e.id === projectId) ??
      fail('not_found', `no project with id ${projectId}`, 'use an id from listProjects, or add the folder first', 'projectId')
    );
  }

  /** The project's status, with a manual gate run on top when it is newer than the loop's measurement. */
  private async status(entry: Entry): Promise<ProjectStatus> {
    const status: ProjectStatus = await projectStatus(entry.path);
    const manual = this.manualGates.get(entry.id);
    if (manual && (!status.measured_at || manual.at > status.measured_at)) {
      return { ...status, checklist: manual.checklist, gold: manual.gold, measured_at: manual.at };
    }
    return status;
  }

  /** A project as the dashboard lists it; a project whose KB cannot be read still shows, with the reason. */
  private async view(entry: Entry): Promise<ProjectView> {
    const plan = this.plans.get(entry.id);
    const base = {
      id: entry.id,
      path: entry.path,
      added_at: entry.added_at,
      driven: this.driven.has(entry.id),
      measuring: this.measuring.has(entry.id),
      ...(plan ? { plan } : {}),
    };
    try {
      await access(entry.path);
    } catch {
      return { ...base, name: basename(entry.path), error: `the folder ${entry.path} is gone: move it back, or remove the project` };
    }
    try {
      const status = await this.status(entry);
      return { ...base, name: status.name, status };
    } catch (error) {
      return { ...base, name: basename(entry.path), error: (error as Error).message };
    }
  }

  private async add(args: ApiArgs['addProject']): Promise<ApiResults['addProject']> {
    const given = resolve(args.path);
    const info = await stat(given).catch(() => undefined);
    if (!info)
      return fail('not_found', `${given} does not exist`, 'choose an existing folder (create it first, or correct the path)', 'path');
    if (!info.isDirectory()) return fail('bad_request', `${given} is a file, not a folder`, 'choose the project folder itself', 'path');
    const path = await realpath(given);
    const id = projectIdFor(path);
    if (this.entries().some((e) => e.id === id))
      return fail('conflict', `${path} is already registered`, 'pick it in the project list', 'path');

    // Check everything before changing anything, so a refused request leaves the folder as it was.
    const isRepo = await git.isRepository(path);
    const hasKb = await access(kbPath(path)).then(
      () => true,
      () => false,
    );
    if (!isRepo && !args.initGit) {
      return fail(
        'needs_git',
        `${path} is not a git repository`,
        'add it again with initGit: true to run `git init` there (checkpoint commits and roll-back need one)',
        'initGit',
      );
    }
    if (!hasKb && !args.createKb) {
      return fail(
        'needs_kb',
        `${path} has no .ai-knowledge-base.json`,
        "add it again with createKb: true to write one with the operating document's defaults (then add your plan to it)",
        'createKb',
      );
    }
    if (hasKb) await loadKb(path); // A broken KB is refused with its own message (file, JSON path, fix).

    const notes: string[] = [];
    if (!hasKb) {
      const result = await initProject(path, { ...(isRepo ? {} : { git: true }) });
      notes.push(`wrote ${result.kbFile}`, ...result.notes);
    } else if (!isRepo) {
      await git.initRepository(path);
      notes.push('made the folder a git repository (checkpoint commits and roll-back need one)');
    }
    const entry: Entry = { id, path, added_at: new Date().toISOString() };
    this.store.set('projects', [...this.rawEntries(), entry]);
    await this.broadcastSnapshot();
    return { project: await this.view(entry), notes };
  }

  /** The stored list as it is, so entries this version cannot read are not lost on write. */
  private rawEntries(): unknown[] {
    const raw = this.store.get('projects');
    return Array.isArray(raw) ? raw : [];
  }

  private async remove(projectId: string): Promise<ApiResults['removeProject']> {
    const entry = this.entry(projectId);
    if (this.driven.has(entry.id)) return fail('conflict', `${entry.path} is running`, 'stop it first, then remove it', 'projectId');
    if (this.plans.isRunning(entry.id))
      return fail('conflict', 'a planning cycle is running', 'remove it when the planning has ended', 'projectId');
    this.store.set(
      'projects',
      this.rawEntries().filter((e) => EntrySchema.safeParse(e).data?.id !== entry.id),
    );
    this.manualGates.delete(entry.id);
    this.settings.delete(entry.id);
    this.plans.forget(entry.id);
    await this.broadcastSnapshot();
    return { removed: entry.id };
  }

  private async start(entry: Entry, how: 'start' | 'resume'): Promise<ProjectView> {
    if (this.closed) return fail('conflict', 'the server is shutting down', 'start it again after the restart');
    if (this.driven.has(entry.id)) return fail('conflict', `${entry.path} is already running`, 'pause or stop it first', 'projectId');
    if (this.measuring.has(entry.id))
      return fail('conflict', 'the gates are being measured', 'start again when the measurement has finished', 'projectId');
    if (this.plans.isRunning(entry.id))
      return fail('conflict', 'a planning cycle is running', 'start when it has ended and you have reviewed the plan', 'projectId');
    const status = await projectStatus(entry.path);
    if (how === 'resume' && status.state !== 'paused') {
      return fail('conflict', `${status.name} is not paused (it is ${status.state})`, 'use start', 'projectId');
    }
    const holder = await lockHolder(entry.path);
    if (holder) throw new LockedError(entry.path, holder);
    const agentFor = this.options.agentFor ?? agentFromKb;
    // Checked before the run begins, so a project without a usable agent is refused with the fix.
    await agentFor(entry.path);
    // And resolved again for every cycle: an agent changed in the settings is the next cycle's agent.
    const agent: AgentRunner = async (ctx) => {
      let runner: AgentRunner;
      try {
        runner = await agentFor(entry.path);
      } catch (error) {
        const body = error instanceof ApiError ? error.body : undefined;
        return {
          exitCode: null,
          durationMs: 0,
          events: [],
          stderrTail: [],
          spawnError: body ? `${body.message}; fix: ${body.fix ?? 'check the agent settings'}` : (error as Error).message,
        };
      }
      return runner(ctx);
    };
    const loop = new ProjectLoop({
      projectDir: entry.path,
      agent,
      ...(this.options.overrides ? { overrides: this.options.overrides } : {}),
    });
    const off = loop.on((event) => {
      this.emit(toApiEvent(entry.id, event));
      if (event.type !== 'agent_line') this.scheduleStatus(entry.id);
    });
    // The first state event means the lock is ours and the run has begun; wait for it so the
    // caller's next status already shows the run.
    let begun!: () => void;
    const started = new Promise<void>((r) => (begun = r));
    const offBegin = loop.on((event) => event.type === 'state' && begun());
    const done = loop
      .run()
      .catch((error: unknown) => {
        this.emit({ type: 'alert', projectId: entry.id, level: 'error', message: (error as Error).message });
        return undefined;
      })
      .finally(() => {
        off();
        offBegin();
        begun();
        this.driven.delete(entry.id);
        this.scheduleStatus(entry.id);
      });
    this.driven.set(entry.id, { loop, done });
    await started;
    return this.view(entry);
  }

  /** Pause or stop: ends the agent's whole process tree, waits until the state is saved. */
  private async halt(entry: Entry, how: 'pause' | 'stop'): Promise<ProjectView> {
    const run = this.driven.get(entry.id);
    if (run) {
      if (how === 'pause') run.loop.pause();
      else run.loop.stop();
      await run.done;
      return this.view(entry);
    }
    const rs = await loadRunState(entry.path);
    const holder = await lockHolder(entry.path);
    if (holder)
      return fail(
        'conflict',
        `${entry.path} is driven by another Goldloop process (pid ${holder.pid})`,
        'pause or stop it there',
        'projectId',
      );
    if (how === 'pause') return fail('conflict', `${basename(entry.path)} is not running`, 'start it first', 'projectId');
    // Stopping a paused run means the next start begins a new run instead of resuming it.
    if (rs && rs.state.state === 'paused') {
      rs.state = { state: 'stopped', iteration: rs.state.iteration, message: 'stopped by the user' };
      await saveRunState(entry.path, rs);
      this.scheduleStatus(entry.id);
    }
    return this.view(entry);
  }

  /** Starts a planning cycle with the KB's agent, like `goldloop init --plan`; refused while anything else uses the project. */
  private async plan(entry: Entry, docs: string[]): Promise<ApiResults['planProject']> {
    if (this.closed) return fail('conflict', 'the server is shutting down', 'plan again after the restart');
    if (this.driven.has(entry.id))
      return fail(
        'conflict',
        `${entry.path} is running`,
        'pause or stop the run first: planning and work cycles do not share the project',
        'projectId',
      );
    if (this.measuring.has(entry.id))
      return fail('conflict', 'the gates are being measured', 'plan when the measurement has finished', 'projectId');
    if (this.plans.isRunning(entry.id))
      return fail('conflict', 'a planning cycle is already running for this project', 'wait for it to end', 'projectId');
    const holder = await lockHolder(entry.path);
    if (holder) throw new LockedError(entry.path, holder);
    await loadKb(entry.path); // A broken KB is refused with its own message (file, JSON path, fix).
    await this.plans.start(entry.id, entry.path, () => (this.options.agentFor ?? agentFromKb)(entry.path), docs);
    return { project: await this.view(entry) };
  }

  private async runGatesNow(entry: Entry): Promise<GateRunView> {
    if (this.driven.has(entry.id))
      return fail(
        'conflict',
        'the loop measures the gates every cycle while it runs',
        'pause it first, or wait for the next cycle',
        'projectId',
      );
    if (this.measuring.has(entry.id))
      return fail('conflict', 'the gates are being measured already', 'wait for that measurement', 'projectId');
    if (this.plans.isRunning(entry.id)) return fail('conflict', 'a planning cycle is running', 'measure when it has ended', 'projectId');
    const kb = await loadKb(entry.path);
    this.measuring.add(entry.id);
    this.scheduleStatus(entry.id);
    try {
      const run = gateView(await runGates({ projectDir: entry.path, kb, label: `manual-${Date.now()}` }));
      this.manualGates.set(entry.id, run);
      this.emit({ type: 'gates', projectId: entry.id, iteration: kb.autonomous_operation.current_iteration, run, baseline: false });
      return run;
    } finally {
      this.measuring.delete(entry.id);
      this.scheduleStatus(entry.id);
    }
  }

  /** The project's settings store, made on first use and kept while the project is registered. */
  private settingsOf(entry: Entry): ProjectSettingsStore {
    let store = this.settings.get(entry.id);
    if (!store) {
      store = new ProjectSettingsStore(entry.path, (message) =>
        this.emit({ type: 'alert', projectId: entry.id, level: 'warning', message }),
      );
      this.settings.set(entry.id, store);
    }
    return store;
  }

  private async getSettings(entry: Entry): Promise<SettingsResult> {
    const store = this.settingsOf(entry);
    const settings = await store.read();
    // Our own run holds the lock too; only another process's makes the settings read-only here.
    const holder = this.driven.has(entry.id) ? undefined : await lockHolder(entry.path);
    return { settings, file: kbPath(entry.path), pending: store.pending, ...(holder ? { lockedBy: { pid: holder.pid } } : {}) };
  }

  /**
   * Writes a settings change into the project's KB. While a cycle runs the loop holds the
   * settings as they were at its start (and would undo a change as the agent's tampering), so
   * the loop writes it when the cycle ends; the answer says which. Checked first in every case,
   * so a bad value is refused at once, naming the field.
   */
  private async updateSettings(entry: Entry, patch: SettingsPatch): Promise<UpdateSettingsResult> {
    // The planning cycle puts the KB back as it found it before merging: a change saved meanwhile would be undone.
    if (this.plans.isRunning(entry.id))
      return fail('conflict', 'a planning cycle is running', 'save the settings when it has ended', 'projectId');
    const store = this.settingsOf(entry);
    const run = this.driven.get(entry.id);
    if (!run) await this.refuseWhenDrivenElsewhere(entry);
    const settings = await store.check(patch);
    if (run) {
      const { iteration, step } = run.loop.state;
      const change = run.loop.changeSettings(() => store.write(patch));
      if (change?.deferred) {
        // On disk too: if this process ends before the cycle does, the next run writes them.
        await store.queue(patch, change.written);
        this.reportDeferredWrite(entry, change.written, iteration, step === 'baseline');
        const message =
          step === 'baseline'
            ? 'Saved. Goldloop is measuring the baseline; the change goes into the knowledge base when that ends, before the first cycle.'
            : `Saved; takes effect after the current cycle. Cycle ${iteration} is running with the settings it started with: the change goes into the knowledge base when it ends, and the next cycle uses it.`;
        return { settings, applied: 'after_cycle', message };
      }
      if (change) {
        await change.written;
        this.scheduleStatus(entry.id);
        return { settings: await store.read(), applied: 'now', message: `Saved to ${KB_FILE}; the next cycle uses the new settings.` };
      }
      // The run is ending: write once it has let go of the KB.
      await run.done;
      await this.refuseWhenDrivenElsewhere(entry);
    }
    const written = await store.write(patch);
    this.scheduleStatus(entry.id);
    return { settings: written, applied: 'now', message: `Saved to ${KB_FILE}.` };
  }

  /** Tells the dashboard when a change that waited for its cycle is in the KB, or why it is not. */
  private reportDeferredWrite(entry: Entry, written: Promise<void>, iteration: number, baseline: boolean): void {
    written.then(
      () => {
        this.scheduleStatus(entry.id);
        this.emit({
          type: 'alert',
          projectId: entry.id,
          level: 'info',
          message: `The settings saved during ${baseline ? 'the baseline measurement' : `cycle ${iteration}`} are now in ${KB_FILE}; they apply from the next cycle.`,
        });
      },
      (error: unknown) => {
        this.scheduleStatus(entry.id);
        this.emit({
          type: 'alert',
          projectId: entry.id,
          level: 'error',
          message: `The settings saved during cycle ${iteration} could not be written: ${settingsErrorText(error)}`,
        });
      },
    );
  }

  private async refuseWhenDrivenElsewhere(entry: Entry): Promise<void> {
    const holder = await lockHolder(entry.path);
    if (!holder) return;
    fail(
      'conflict',
      `${entry.path} is driven by another Goldloop process (pid ${holder.pid}), which holds its settings for the run`,
      `stop that run (Ctrl-C where it runs) and save again; or edit ${KB_FILE} by hand during its break — a change made while a cycle runs is undone as if the agent had made it`,
      'projectId',
    );
  }

  /** Coalesces status pushes: one fresh status per project per `statusDelayMs`. */
  private scheduleStatus(projectId: string): void {
    if (this.pending.has(projectId) || this.closed) return;
    const timer = setTimeout(() => {
      this.pending.delete(projectId);
      const entry = this.entries().find((e) => e.id === projectId);
      if (!entry) return;
      void this.view(entry).then((project) => this.emit({ type: 'status', projectId, project }));
    }, this.options.statusDelayMs ?? 150);
    this.pending.set(projectId, timer);
  }

  /** Every project and its status, as sent on (re)connect. */
  async snapshot(): Promise<Extract<ApiEvent, { type: 'snapshot' }>> {
    return { type: 'snapshot', projects: await this.handlers.listProjects({}), at: new Date().toISOString() };
  }

  private async broadcastSnapshot(): Promise<void> {
    this.emit(await this.snapshot());
  }

  /** Pauses every driven project (their agents' process trees end, state is saved) and stops pushing events. */
  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
    const runs = [...this.driven.values()];
    for (const run of runs) run.loop.pause();
    await Promise.all([...runs.map((r) => r.done), this.plans.close()]);
    this.listeners.clear();
  }
}
