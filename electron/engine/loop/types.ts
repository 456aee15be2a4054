import type { GateRun } from '../gates/types.ts';
import type { AgentUsage } from '../agents/usage.ts';

// The state's shape is the dashboard contract's: one definition, in electron/contract.
import type { CycleSummary as SharedCycleSummary, LoopState } from '../../contract/status.ts';

export type { CycleStep, LoopState, LoopStateName } from '../../contract/status.ts';
export type BreakReason = NonNullable<LoopState['breakReason']>;
export type PauseReason = NonNullable<LoopState['pauseReason']>;

/** One cycle's record (the dashboard's shape), with the agent's usage as the engine sums it. */
export interface CycleSummary extends Omit<SharedCycleSummary, 'agent'> {
  /** `usage`: the tokens and cost the agent's CLI reported for the cycle, summed (absent when it reports none). */
  agent: Omit<SharedCycleSummary['agent'], 'usage'> & { usage?: AgentUsage };
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
