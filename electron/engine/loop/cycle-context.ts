/**
 * What a cycle needs from the loop that runs it (CycleContext), what it hands from step to step
 * (Work, Ran), and how it ends (CycleEnd). Kept apart from cycle.ts so the files that hold a
 * step's details can name these without importing the cycle itself.
 */
import type { AgentOutcome, AgentRunner } from '../agents/runner.ts';
import type { GateRunner } from '../gates/measurement.ts';
import type { GateRun } from '../gates/types.ts';
import type { CycleSnapshots, TamperFinding } from '../guard/tamper.ts';
import type { ScheduledReports } from '../reports/scheduled.ts';
import type { Clock } from '../../platform/clock.ts';
import type { SnapshotRepo } from '../../platform/snapshots.ts';
import { KbError } from '../../store/kb/kb-file.ts';
import type { Kb } from '../../store/kb/schema.ts';
import type { RunState } from '../../store/run-state.ts';
import type { PromptInput } from './prompt.ts';
import type { PromptTemplate } from './prompt-template.ts';
import type { CycleLimits, ScheduleState } from './schedule.ts';
import type { CycleSummary, EngineEvent, LoopOverrides, LoopState } from './types.ts';

/** How the cycle speaks to the loop's views; the loop saves the run state with every state change. */
export interface LoopOutput {
  emit(event: EngineEvent): void;
  alert(level: 'error' | 'warning' | 'info', message: string): void;
  setState(next: Omit<LoopState, 'iteration'> & { iteration?: number }): Promise<void>;
}

/** What a cycle needs from the loop that runs it. */
export interface CycleContext {
  projectDir: string;
  /** Snapshot and checkpoint commits, roll-backs: on when the folder is a git repository. */
  useGit: boolean;
  /**
   * Goldloop's private snapshots of the project (in its state folder), when the folder is a git
   * repository: what a cycle's diff is checked on, a roll-back restores from, gold is bound to.
   */
  snapshots?: SnapshotRepo;
  clock: Clock;
  /** Aborted by pause and stop: the agent's process tree, the gates and a verify command end with it. */
  signal: AbortSignal;
  /** The run's state; the cycle changes it in place, the loop saves it. */
  rs: RunState;
  gates: GateRunner;
  agent: AgentRunner;
  overrides: LoopOverrides;
  /** The prompt template, read once per run, like the gate configuration: an agent cannot reword its own rules mid-run. */
  template: (kb: Kb) => Promise<PromptTemplate>;
  reports: Pick<ScheduledReports, 'likelyCompletion'>;
  out: LoopOutput;
}

/** What the plan picked: a task, or a measured gap to close. */
export type Planned = PromptInput['selection'];

/** The piece of work a cycle took up, as every step after the plan sees it. */
export interface Work {
  iteration: number;
  startedAt: number;
  /** The task id, or the gap worked on (`gap:coverage`): the history's `work`, the key of its agent session. */
  workId: string;
  taskId?: string;
  /** The project's own commit at the start (git only): its branch goes back there on a roll-back, where it still can. */
  gitBefore?: string;
  /**
   * Goldloop's snapshots of the cycle (git only): the start, taken once the KB the agent is given
   * is written; the end, added once the agent has finished (execute.ts, `snapshotEnd`).
   */
  snapshots?: CycleSnapshots;
  /** The KB the agent was given: what the guard compares its KB with. */
  kbBefore: Kb;
  limits: CycleLimits;
  /**
   * What taking the work up changed, to put back when the agent never ran (it could not start):
   * such an attempt is not a cycle. The KB and schedule as they were, and the snapshot commit made.
   * Absent for a cycle a crashed run left, settled on restart (recover.ts).
   */
  untaken?: { kb: Kb; schedule: ScheduleState; commit?: string };
}

/** The cycle's history line as far as the agent's run decides it. */
export type CycleBase = Omit<CycleSummary, 'outcome' | 'regressions' | 'gold' | 'checklist' | 'ended_at'> & { git_before?: string };

/** A cycle's history line, before its end time is stamped. */
export type CycleRecord = Omit<CycleSummary, 'ended_at'> & { git_before?: string; ignored_edits?: string[]; tamper?: TamperFinding[] };

/** The agent's run: its outcome and the history line so far. */
export interface Ran {
  outcome: AgentOutcome;
  base: CycleBase;
}

/** How a cycle ends: what the loop does next. */
export type CycleEnd =
  // Keep looping.
  | { next: 'continue' }
  // Gold: the final report ends the run.
  | { next: 'gold'; run: GateRun }
  // A fault that needs the user: stop with an error.
  | { next: 'fail'; message: string }
  // Too many failed cycles in a row: pause until the user resumes.
  | { next: 'pause'; message: string };

export const CONTINUE: CycleEnd = { next: 'continue' };

export const isEnd = (value: object): value is CycleEnd => 'next' in value;

/** The message a KB the loop cannot read stops the run with: a critical fault, which needs the user. */
export function cannotRead(error: unknown): string {
  return error instanceof KbError ? error.message : `cannot read the project: ${(error as Error).message}`;
}
