import type { AgentRunner } from '../agents/runner.ts';
import { fail } from '../../contract/errors.ts';
import { KbError } from '../../store/kb/kb-file.ts';
import { acquireLock, type ProjectLock } from '../../store/lock.ts';
import type { PlanView } from '../../contract/status.ts';
import { findPlanDocuments } from './documents.ts';
import { PlanError, planLogFile, runPlanning } from './plan.ts';

/**
 * Planning cycles started from the dashboard, one at a time per project, in the background: the
 * request returns as soon as the cycle runs, and its end (merged, or failed with each problem)
 * arrives as the project's `plan`, so a dashboard that reconnects still sees how it went.
 */
export class PlanRuns {
  private readonly plans = new Map<string, PlanView>();
  private readonly running = new Map<string, { abort: AbortController; done: Promise<void> }>();

  constructor(private readonly onChange: (projectId: string, plan: PlanView) => void) {}

  /** The project's planning: running, or how the last one ended. */
  get(projectId: string): PlanView | undefined {
    return this.plans.get(projectId);
  }

  isRunning(projectId: string): boolean {
    return this.running.has(projectId);
  }

  /** The documents a planning cycle would read, with `docs` added (each must exist). */
  async documents(projectDir: string, docs: readonly string[] = []): Promise<string[]> {
    try {
      return await findPlanDocuments(projectDir, docs);
    } catch (error) {
      // findPlanDocuments speaks the CLI's flag; here the field is `docs`.
      return fail(
        'bad_request',
        (error as Error).message.replace(/^--doc /, ''),
        'give paths relative to the project folder, of files that exist',
        'docs',
      );
    }
  }

  /**
   * Starts a planning cycle and returns its `running` view; throws an ApiError when there is
   * nothing to plan from. The caller checks that no run or gate measurement uses the project.
   */
  async start(projectId: string, projectDir: string, agent: () => Promise<AgentRunner>, docs: readonly string[] = []): Promise<PlanView> {
    if (this.running.has(projectId))
      fail('bad_request', 'a planning cycle is already running for this project', 'wait for it to end', 'project_id');
    // Reserved before the first await, so two requests cannot both start one.
    const abort = new AbortController();
    let settle!: () => void;
    const done = new Promise<void>((resolve) => (settle = resolve));
    this.running.set(projectId, { abort, done });
    let lock: ProjectLock | undefined;
    try {
      const documents = await this.documents(projectDir, docs);
      if (!documents.length) {
        fail(
          'bad_request',
          `no documents to plan from in ${projectDir}`,
          'add a SPEC.md, PRD.md or ARCHITECTURE.md (or docs/*.md) to the project, or name a document in docs',
          'docs',
        );
      }
      const runner = await agent();
      // The project's lock for the whole cycle: no `goldloop run` writes the KB meanwhile (the
      // planning puts the KB back as it was before the merge), and none can start.
      lock = await acquireLock(projectDir, 'goldloop dashboard: planning cycle');
      if (abort.signal.aborted) fail('bad_request', 'the server is shutting down', 'plan again after the restart');
      const logFile = planLogFile();
      const view: PlanView = { state: 'running', started_at: new Date().toISOString(), documents, log: logFile };
      this.set(projectId, view);
      const held = lock;
      void runPlanning({ projectDir, agent: runner, docs: [...docs], logFile, signal: abort.signal })
        .then(
          (result) =>
            this.set(projectId, {
              ...view,
              state: 'merged',
              ended_at: new Date().toISOString(),
              added: { tasks: result.tasks, requirements: result.requirements, phases: result.phases },
            }),
          (error: unknown) => this.set(projectId, this.failure(view, projectDir, error, abort.signal.aborted)),
        )
        .finally(async () => {
          await held.release().catch(() => {});
          this.running.delete(projectId);
          settle();
        });
      return view;
    } catch (error) {
      await lock?.release().catch(() => {});
      this.running.delete(projectId);
      settle();
      throw error;
    }
  }

  private failure(view: PlanView, projectDir: string, error: unknown, stopped: boolean): PlanView {
    const base: PlanView = { ...view, state: 'failed', ended_at: new Date().toISOString() };
    if (stopped) return { ...base, message: 'the planning cycle was stopped; nothing was added' };
    if (error instanceof PlanError) {
      // The message's first line; the problems go in their own list.
      const message = error.message.split('\n')[0]!.replaceAll(`${projectDir}/`, '');
      return { ...base, message, ...(error.problems.length ? { problems: error.problems } : {}) };
    }
    const message = error instanceof KbError ? error.message : `the planning cycle failed: ${(error as Error).message}`;
    return { ...base, message: message.replaceAll(`${projectDir}/`, '') };
  }

  /** Ends every planning cycle (the server shuts down); resolves when they have ended. */
  async close(): Promise<void> {
    for (const { abort } of this.running.values()) abort.abort();
    await Promise.all([...this.running.values()].map((r) => r.done));
  }

  forget(projectId: string): void {
    this.plans.delete(projectId);
  }

  private set(projectId: string, plan: PlanView): void {
    this.plans.set(projectId, plan);
    this.onChange(projectId, plan);
  }
}
