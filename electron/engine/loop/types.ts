import type { ApiEvent } from '../../contract/api.ts';
import type { GateRun, LoopState } from '../../contract/status.ts';

// The state's and the cycle's shapes are the contract's: one definition, in electron/contract.
export type { CycleStep, CycleSummary, LoopState, LoopStateName } from '../../contract/status.ts';
export type BreakReason = NonNullable<LoopState['break_reason']>;
export type PauseReason = NonNullable<LoopState['pause_reason']>;

/** The events the engine pushes that the dashboard receives as they are (the supervisor adds snapshots, statuses and plans). */
type ProjectEvent = Exclude<ApiEvent, { type: 'snapshot' | 'status' | 'plan' | 'gates' }>;
/** One API event as the engine emits it: the project's folder instead of its id. */
type FromEngine<E> = E extends { project_id: string } ? Omit<E, 'project_id'> & { project: string } : never;

/**
 * Everything the engine tells its views (terminal, dashboard, tray): the contract's events, with
 * the project's folder, and a gate run with its per-test list (the dashboard gets it without).
 * `agent_line.n` is the line's 0-based number in the cycle's log file, so a view that read the
 * file can join the live lines without a gap or a repeat.
 */
export type EngineEvent = FromEngine<ProjectEvent> | { type: 'gates'; project: string; iteration: number; run: GateRun; baseline: boolean };

/** A run's replacements for the KB's schedule (the CLI's flags, tests, the bench). */
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
