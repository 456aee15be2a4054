import type { ChecklistItem, GateRun } from '../gates/types.ts';
import type { AgentUsage } from '../reports/usage.ts';

// The state's shape is the dashboard contract's: one definition, in electron/shared.
import type { LoopState } from '../../shared/status.ts';

export type { CycleStep, LoopState, LoopStateName } from '../../shared/status.ts';
export type BreakReason = NonNullable<LoopState['breakReason']>;
export type PauseReason = NonNullable<LoopState['pauseReason']>;

export interface CycleSummary {
  iteration: number;
  startedAt: string;
  endedAt: string;
  /** What was worked on: a task id, or a gap such as `gap:requirements`. */
  work: string;
  /** `usage`: the tokens and cost the agent's CLI reported for the cycle, summed (absent when it reports none). */
  agent: { exitCode: number | null; killedBy?: string; durationMs: number; error?: string; usage?: AgentUsage };
  outcome: 'task_done' | 'not_verified' | 'progress' | 'no_progress' | 'error' | 'interrupted' | 'rolled_back' | 'tampered';
  verification?: string;
  regressions: string[];
  gold: boolean;
  checklist: ChecklistItem[];
}

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
