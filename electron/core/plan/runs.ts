import type { AgentRunner } from '../agents/runner.ts';
import { KbError } from '../kb/store.ts';
import type { PlanView } from '../../shared/status.ts';
import { findPlanDocuments } from './documents.ts';
import { PlanError, planLogFile, runPlanning } from './plan.ts';

/** Why a planning cycle cannot start; the supervisor turns it into the API's error body. */
export class PlanRefused extends Error {
  constructor(
    message: string,
    readonly fix: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'PlanRefused';
  }
}

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
      throw new PlanRefused((error as Error).message.replace(/^--doc /, ''), 'give paths relative to the project folder, of files that exist', 'docs');
    }
  }

  /**
   * Starts a planning cycle and returns its `running` view; throws PlanRefused when there is
   * nothing to plan from. The caller checks that no run or gate measurement uses the project.
   */
  async start(projectId: string, projectDir: string, agent: () => Promise<AgentRunner>, docs: readonly string[] = []): Promise<PlanView> {
    if (this.running.has(projectId)) throw new PlanRefused('a planning cycle is already running for this project', 'wait for it to end', 'projectId');
    const documents = await this.documents(projectDir, docs);
    if (!documents.length) {
      throw new PlanRefused(`no documents to plan from in ${projectDir}`, 'add a SPEC.md, PRD.md or ARCHITECTURE.md (or docs/*.md) to the project, or name a document in docs', 'docs');
    }
    const runner = await agent();
    const logFile = planLogFile();
    const startedAt = new Date().toISOString();
    const view: PlanView = { state: 'running', startedAt, documents, log: logFile };
    const abort = new AbortController();
    this.set(projectId, view);
    const done = runPlanning({ projectDir, agent: runner, docs: [...docs], logFile, signal: abort.signal })
      .then(
        (result) => this.set(projectId, { ...view, state: 'merged', endedAt: new Date().toISOString(), added: { tasks: result.tasks, requirements: result.requirements, phases: result.phases } }),
        (error: unknown) => {
          const base: PlanView = { ...view, state: 'failed', endedAt: new Date().toISOString() };
          if (abort.signal.aborted) return this.set(projectId, { ...base, message: 'the planning cycle was stopped; nothing was added' });
          if (error instanceof PlanError) {
            // The message's first line; the problems go in their own list.
            const message = error.message.split('\n')[0]!.replace(`${projectDir}/`, '');
            return this.set(projectId, { ...base, message, ...(error.problems.length ? { problems: error.problems } : {}) });
          }
          const message = error instanceof KbError ? error.message : `the planning cycle failed: ${(error as Error).message}`;
          return this.set(projectId, { ...base, message: message.replaceAll(`${projectDir}/`, '') });
        },
      )
      .finally(() => this.running.delete(projectId));
    this.running.set(projectId, { abort, done });
    return view;
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
