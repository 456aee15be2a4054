import type { CycleSummary, GateRun, LoopState } from '../../contract/status.ts';

// The state's and the cycle's shapes are the contract's: one definition, in electron/contract.
export type { CycleStep, CycleSummary, LoopState, LoopStateName } from '../../contract/status.ts';
export type BreakReason = NonNullable<LoopState['break_reason']>;
export type PauseReason = NonNullable<LoopState['pause_reason']>;

/** Everything the engine tells its views (terminal, dashboard, tray). */
export type EngineEvent =
  | { type: 'state'; project: string; state: LoopState }
  | { type: 'cycle_start'; project: string; iteration: number; work: string; description: string }
  | { type: 'cycle_end'; project: string; summary: CycleSummary }
  /** `n`: the line's 0-based number in the cycle's log file, so a view that read the file can join the live lines without a gap or a repeat. */
  | { type: 'agent_line'; project: string; iteration: number; n: number; stream: 'stdout' | 'stderr'; line: string }
  | { type: 'gates'; project: string; iteration: number; run: GateRun; baseline: boolean }
  | { type: 'alert'; project: string; level: 'error' | 'warning' | 'info'; message: string }
  | { type: 'report'; project: string; kind: 'progress' | 'status' | 'final'; path: string }
  | { type: 'gold'; project: string; iteration: number };

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
