import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../platform/atomic.ts';
import type { AgentUsage, GateRun, LoopState } from '../contract/status.ts';
import { snakeCaseKeys } from './legacy.ts';
import { STATE_FILES, stateFile } from './state-folder.ts';

/** Run iterations, the last hour's cycle starts, today's count, the last cycle's end. */
export interface ScheduleState {
  run_iterations: number;
  cycle_starts: number[];
  day: { date: string; iterations: number };
  last_cycle_end?: number;
}

export interface Spend {
  tokens: number;
  cost_usd: number;
}

/** What the agent has spent, kept here so a restart neither forgets nor double-counts. */
export interface BudgetLedger {
  run: Spend;
  /** The local calendar day (`YYYY-MM-DD`) and what was spent on it. */
  day: Spend & { date: string };
}

/** The reports written on a schedule; `final` is written once, on gold. */
export type PeriodicKind = 'progress' | 'status';

/** The last report of one kind: the schedule slot it covered, and when it was written (epoch ms). */
export interface ReportMark {
  slot: number;
  at: number;
}

/**
 * Kept here so a restart neither repeats a report nor loses one. The slots lie on a grid that
 * starts when reporting started: a report written late (after a cycle that ran past its time)
 * does not push the next one back.
 */
export type ReportMarks = Partial<Record<PeriodicKind, ReportMark>>;

/**
 * The engine's own bookkeeping, in `state.json` of the project's state folder (outside the project,
 * so an agent cannot write it): what a restart needs to resume where the last run left off. The KB
 * carries the operating document's counters for people; this file carries the schedule window, the
 * error streak, the baseline and the last measurement, which decides gold.
 */
export interface RunState {
  version: 2;
  run_id: string;
  run_started_at: string;
  state: LoopState;
  consecutive_errors: number;
  /** Cycles in a row whose agent reported edits that left the project unchanged (loop/agent-changes.ts). */
  unseen_edits?: number;
  /** Run iterations, the last hour's cycle starts, today's count, the last cycle's end. */
  schedule: ScheduleState;
  current_task?: string;
  /** After an error: when the retry is due (epoch ms). */
  retry_at?: number;
  /** After a usage limit: when it resets (epoch ms). */
  limit_until?: number;
  baseline?: GateRun;
  /**
   * The project's content (a tree of Goldloop's snapshots) when the run ended gold: the verdict
   * holds only while the project is still that tree.
   */
  gold_tree?: string;
  last_gates?: GateRun;
  /** Carried into the next prompt. */
  feedback?: { task?: string; verification?: string; regressions?: string[]; tamper?: string[] };
  /** The agent's reported spending this run and today, checked against agent.budget. */
  usage?: BudgetLedger;
  /** The agent session each piece of work (task id or gap) last ran in, resumed by id when it comes up again. */
  sessions?: Record<string, string>;
  /** The agent (type and program) the sessions belong to. */
  sessions_agent?: string;
  /** For a CLI that reports a session's running total (Codex): each session's total after its last cycle. */
  session_totals?: Record<string, AgentUsage>;
  /** The last progress and status report: kept across restarts so none is repeated or lost. */
  reports?: ReportMarks;
  pid?: number;
  updated_at: string;
}

/** Where the run state is kept: the project's state folder (taken over from `.goldloop/` on first use). */
export const statePath = (projectDir: string): Promise<string> => stateFile(projectDir, STATE_FILES.runState);

/**
 * Version 1 named some fields in camelCase (`breakReason`, `runIterations`, `durationMs`): read
 * with its keys renamed, so an upgrade keeps the schedule window, the sessions and the baseline.
 * The sessions' keys are work ids (task ids), which stay as they are.
 */
function fromVersion1(parsed: Record<string, unknown>): Record<string, unknown> {
  return { ...(snakeCaseKeys(parsed, new Set(['sessions'])) as Record<string, unknown>), version: 2 };
}

export async function loadRunState(projectDir: string): Promise<RunState | undefined> {
  try {
    let parsed = JSON.parse(await readFile(await statePath(projectDir), 'utf8')) as Record<string, unknown>;
    if (parsed.version === 1) parsed = fromVersion1(parsed);
    return parsed.version === 2 && parsed.schedule ? (parsed as unknown as RunState) : undefined;
  } catch {
    // Missing or damaged: Goldloop's own cache, rebuilt from the KB and a fresh baseline.
    return undefined;
  }
}

export async function saveRunState(projectDir: string, state: RunState): Promise<void> {
  state.updated_at = new Date().toISOString();
  // Written at every state change: atomic, but not fsynced. After a power cut the previous state
  // (or none) comes back, and the run resumes from the KB, which is always written durably.
  await writeFileAtomic(await statePath(projectDir), `${JSON.stringify(state)}\n`, { durable: false });
}
