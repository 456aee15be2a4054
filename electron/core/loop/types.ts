import type { ChecklistItem, GateRun } from '../gates/types.ts';
import type { AgentUsage } from '../reports/usage.ts';

/** The loop's states; every transition is emitted as a `state` event. */
export type LoopStateName =
  | 'idle'
  | 'running'
  | 'break'
  | 'waiting_limit'
  | 'paused'
  | 'error'
  | 'complete'
  | 'stopped';

/** The cycle's six steps, shown while `running`. */
export type CycleStep = 'read_state' | 'plan' | 'execute' | 'quality_check' | 'update_progress' | 'check_completion' | 'baseline';

export type BreakReason = 'break' | 'hourly_limit' | 'daily_limit' | 'retry';
export type PauseReason = 'user' | 'errors' | 'max_iterations';

export interface LoopState {
  state: LoopStateName;
  /** Running: the step of the cycle. */
  step?: CycleStep;
  /** Break / waiting: when the next cycle starts (ISO). */
  until?: string;
  breakReason?: BreakReason;
  pauseReason?: PauseReason;
  /** Error, pause after errors, stuck: what happened, in words. */
  message?: string;
  iteration: number;
  taskId?: string;
}

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
  | { type: 'agent_line'; project: string; iteration: number; stream: 'stdout' | 'stderr'; line: string }
  | { type: 'gates'; project: string; iteration: number; run: GateRun; baseline: boolean }
  | { type: 'alert'; project: string; level: 'error' | 'warning' | 'info'; message: string }
  | { type: 'report'; project: string; kind: 'progress' | 'status' | 'final'; path: string }
  | { type: 'gold'; project: string; iteration: number };
