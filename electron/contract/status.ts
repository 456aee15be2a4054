/**
 * The data every view shows, as the dashboard receives it, and as Goldloop keeps it on disk
 * (the run state in Goldloop's state folder, `.goldloop/history.jsonl`). The engine and the store take their types for these
 * from here, so there is one definition; the contract imports nothing, so the renderer compiles
 * without Node.
 */

import type { Preflight } from './preflight.ts';
import type { SandboxStatus } from './sandbox.ts';

export type LoopStateName = 'idle' | 'running' | 'break' | 'waiting_limit' | 'paused' | 'error' | 'complete' | 'stopped';
export type CycleStep = 'read_state' | 'plan' | 'execute' | 'quality_check' | 'update_progress' | 'check_completion' | 'baseline';
export type Priority = 'P0' | 'P1' | 'P2';
export type TaskStatus = 'ready' | 'in_progress' | 'blocked' | 'done';

export interface LoopState {
  state: LoopStateName;
  step?: CycleStep;
  until?: string;
  /** `budget`: the day's agent budget is spent; the run goes on at local midnight. */
  break_reason?: 'break' | 'hourly_limit' | 'daily_limit' | 'retry' | 'budget';
  /** `budget`: the run's agent budget is spent. */
  pause_reason?: 'user' | 'errors' | 'max_iterations' | 'budget';
  message?: string;
  iteration: number;
  task_id?: string;
  /** While the agent works: when the cycle's time limit ends it. */
  timeout_at?: string;
}

/** A mutant the tests did not catch: where it is, which mutation, and what the code became. */
export interface SurvivingMutant {
  /** Relative to the project. */
  file: string;
  /** Absent when the tool does not say (mutmut names the function instead). */
  line?: number;
  mutator: string;
  /** The mutated code, when the tool says. */
  replacement?: string;
  /** `NoCoverage`: no test ran the code at all. */
  status: 'Survived' | 'NoCoverage';
}

/** What a checklist line rests on: the command, its exit, the report read, how long it took. */
export interface Evidence {
  command?: string[];
  exit_code?: number | null;
  report?: string;
  duration_ms?: number;
  detail: string;
  /** The mutation line: the first surviving mutants, and how many survived in all. */
  survivors?: { mutants: SurvivingMutant[]; total: number };
}

/** Where the mutation line's detail starts naming its first surviving mutants, for the agent's prompt and the terminal. */
export const SURVIVORS_IN_DETAIL = '; surviving: ';

/** A line's detail without the surviving mutants it names, for a view that lists `survivors` itself. */
export const detailWithoutSurvivors = (e: Evidence): string => (e.survivors ? e.detail.split(SURVIVORS_IN_DETAIL)[0]! : e.detail);

/** The checklist's lines, in the operating document's order (`mutation` and `holdout`, Goldloop's own, after the tests). */
export const GATE_IDS = [
  'phases',
  'requirements',
  'coverage',
  'tests',
  'mutation',
  'holdout',
  'security',
  'performance',
  'docs',
  'build',
  'blockers',
] as const;
export type GateId = (typeof GATE_IDS)[number];

/** One line of the completion checklist, measured by Goldloop. */
export interface ChecklistItem {
  id: GateId;
  label: string;
  passed: boolean;
  value: string | number | null;
  threshold: string | number | null;
  evidence: Evidence;
  /** The user switched this gate off; it counts as passed and every view says it is off. */
  disabled?: boolean;
  /** An extra line the project has not set up (held-out tests): off, but not a line the user waived. */
  optional?: boolean;
}

/** The lines the user switched off. Gold with any of them is "gold, with N line(s) waived", never plain gold. */
export const waivedLines = (checklist: readonly ChecklistItem[]): GateId[] =>
  checklist.filter((c) => c.disabled && !c.optional).map((c) => c.id);

/** What a gold checklist means, in the words every view uses: every line, or every line but the ones waived. */
export function goldWords(checklist: readonly ChecklistItem[]): string {
  return goldWordsFor(waivedLines(checklist));
}

/** {@link goldWords} from the ids of the waived lines alone (what a gold event carries). */
export function goldWordsFor(waived: readonly string[]): string {
  if (!waived.length) return 'every line of the completion checklist passes';
  return `every measured line passes, with ${waived.length} line${waived.length === 1 ? '' : 's'} waived: ${waived.join(', ')} (switched off by you)`;
}

export interface TaskRow {
  task_id: string;
  description: string;
  priority: Priority;
  phase: number;
  status: TaskStatus;
  dependencies: string[];
  requirements: string[];
  blocked_by?: string;
  current: boolean;
  /** The task's other terms, for the dashboard's edit form. */
  acceptance?: string;
  verify?: string[];
  estimated_time?: string;
  blocked_reason?: string;
  critical_bug?: boolean;
}

/** A requirement as the dashboard lists it. */
export interface RequirementRow {
  id: string;
  text: string;
  source?: string;
  /** A passing test names it, as last measured; `null` before any measurement. */
  covered: boolean | null;
  /** The tasks that name it. */
  tasks: string[];
}

/** One priority's share of the task queue. */
export interface TaskGroupCount {
  priority: Priority;
  total: number;
  done: number;
}

/** Every priority's tasks, together. */
export const taskTotal = (groups: readonly TaskGroupCount[]): number => groups.reduce((n, g) => n + g.total, 0);

/** A page of one priority's tasks in the queue's order (phase, then id); see `listTasks`. */
export interface TaskPage {
  priority: Priority;
  /** Tasks of this priority (and how many are done). */
  total: number;
  done: number;
  from: number;
  tasks: TaskRow[];
}

export const TASK_PAGE = 100; // tasks a page holds when the caller names no limit

/** One project's state as every view shows it (the engine's `projectStatus`). */
export interface ProjectStatus {
  project: string;
  name: string;
  state: LoopStateName;
  step?: CycleStep;
  until?: string;
  /** Why a break or a pause: an hourly or daily cycle limit, a spent budget, an error retry, the user. */
  break_reason?: NonNullable<LoopState['break_reason']>;
  pause_reason?: NonNullable<LoopState['pause_reason']>;
  message?: string;
  live: boolean;
  pid?: number;
  iteration: number;
  cycles_completed: number;
  tasks_completed: number;
  cycles_today: number;
  limits: { per_day: number; per_hour: number; per_run: number; cycle_minutes: number; break_minutes: number };
  run_iterations: number;
  consecutive_errors: number;
  gold: boolean;
  /** The checklist lines the user switched off (gates.X.enabled false): gold with them is gold with lines waived. */
  waived: GateId[];
  /**
   * Set when the last measurement was gold but the project has changed since (or its tree cannot
   * be read): why gold is false. Gold is bound to the tree it was measured on.
   */
  stale_gold?: string;
  measured_at?: string;
  checklist: ChecklistItem[];
  phases: { phase: number; name: string; done: number; total: number }[];
  /**
   * Every task, in `getStatus` and `goldloop status --json`. In a `ProjectView` (the list, the
   * snapshot and the pushed statuses) only the current and the next task: a queue of thousands is
   * read a page at a time (`listTasks`), and `task_groups` counts it.
   */
  tasks: TaskRow[];
  /** The KB's requirements, with whether passing tests cover them. */
  requirements?: RequirementRow[];
  /** Tasks per priority, in the queue's order (P0, P1, P2): how many, and how many are done. */
  task_groups: TaskGroupCount[];
  next?: string;
  next_cycle_at?: string;
  /** While a cycle runs (once it has taken its work up): when it started. */
  cycle_started_at?: string;
  /** While the agent works: when the cycle's time limit ends it. */
  cycle_timeout_at?: string;
  /** The sandbox its agent runs in on this machine (with its settings), or why none. */
  sandbox: SandboxStatus;
}

/** A registered project, with its status when its knowledge base could be read. */
export interface ProjectView {
  id: string;
  path: string;
  name: string;
  added_at: string;
  /** The supervisor of this server drives the project now. */
  driven: boolean;
  /** A manual gate run is in progress. */
  measuring: boolean;
  status?: ProjectStatus;
  /** Why there is no status: the KB cannot be read, the folder is gone, ... with the fix. */
  error?: string;
  /** The planning cycle started from the dashboard: running, or how the last one ended. */
  plan?: PlanView;
  /** What only the user can fix, as last checked (at add, start, a settings change, or on request); absent while it runs. */
  preflight?: Preflight;
}

/** One planning cycle: the agent turns the project's documents into phases, requirements and tasks. */
export interface PlanView {
  state: 'running' | 'merged' | 'failed';
  started_at: string;
  ended_at?: string;
  /** The documents the agent was given, relative to the project. */
  documents: string[];
  /** The agent's output, relative to the project (`.goldloop/logs/plan-<time>.log`). */
  log?: string;
  /** merged: what the proposal added to the knowledge base. */
  added?: { tasks: number; requirements: number; phases: string[] };
  /** failed: why nothing was added, and each problem of the proposal with its JSON path and fix. */
  message?: string;
  problems?: { path: string; message: string; fix: string }[];
}

/** A test as the gates remember it between cycles (to name regressions). */
export interface TestOutcome {
  name: string;
  status: 'passed' | 'failed' | 'errored' | 'skipped';
  message?: string;
  /** How many assertions it made, where the runner's report says. */
  assertions?: number;
  /** Requirement ids tagged next to the test in its source (`[REQ-012]`). */
  tags?: string[];
}

/** The result of one gate phase, as the engine keeps it (the baseline and the last measurement). */
export interface GateRun {
  at: string;
  duration_ms: number;
  gold: boolean;
  checklist: ChecklistItem[];
  /** Per-test outcomes from the JUnit report, when there is one. */
  tests: TestOutcome[];
  uncovered_requirements: string[];
  /** Files with the lowest line coverage first, for the prompt. */
  least_covered_files: { file: string; pct: number }[];
  coverage_pct?: number;
}

/** The result of one gate run, as a view receives it: without the per-test list, which can be thousands of rows. */
export type GateRunView = Omit<GateRun, 'tests' | 'least_covered_files'>;

/** Tokens and cost one cycle's agent reported; absent when its CLI reports none. */
export interface AgentUsage {
  input_tokens?: number;
  output_tokens?: number;
  cost_usd?: number;
}

/** A cycle's diff in figures. */
export interface CycleChanges {
  files: number;
  added: number;
  removed: number;
}

export interface CycleSummary {
  iteration: number;
  started_at: string;
  ended_at: string;
  /** What was worked on: a task id, or a gap such as `gap:requirements`. */
  work: string;
  /** `usage`: the tokens and cost the agent's CLI reported for the cycle, summed (absent when it reports none). */
  agent: {
    exit_code: number | null;
    killed_by?: string;
    duration_ms: number;
    error?: string;
    usage?: AgentUsage;
    /** The agent's tool calls, one line each (`Edit src/textkit.js`, `$ npm test`), at most 100. */
    tools?: string[];
    /** The files its tools changed, relative to the project. */
    files_changed?: string[];
  };
  outcome: 'task_done' | 'not_verified' | 'progress' | 'no_progress' | 'error' | 'interrupted' | 'rolled_back' | 'tampered';
  verification?: string;
  /**
   * What the agent changed in the project, between Goldloop's snapshots of the cycle's start and
   * its end (git projects only): files, and lines added and removed (a binary file counts as a file only).
   */
  changes?: CycleChanges;
  /**
   * The agent's CLI reported edits in the project (edit tool calls that succeeded), yet the
   * project did not change at all: the finding in words, naming the setting to check.
   */
  unseen_edits?: string;
  regressions: string[];
  gold: boolean;
  checklist: ChecklistItem[];
}

/** One line of `.goldloop/history.jsonl`: a cycle, with the counters after it. */
export interface HistoryEntry extends Omit<CycleSummary, 'checklist'> {
  run_id: string;
  /** The snapshot commit the cycle started from, when the project is a git repository. */
  git_before?: string;
  /** Goldloop-only fields the agent edited, which were restored. */
  ignored_edits?: string[];
  /** Ways the agent weakened the measurements; the cycle was not counted. */
  tamper?: { kind: string; message: string; evidence?: string }[];
  checklist: { id: string; passed: boolean; value: string | number | null }[];
  counters: {
    current_iteration: number;
    work_cycles_completed: number;
    tasks_completed: number;
    run_iterations: number;
    consecutive_errors: number;
  };
}

/** A page of the history, newest first: `from` counts back from the newest cycle (0). */
export interface CyclePage {
  /** Cycles in the whole history. */
  total: number;
  from: number;
  cycles: HistoryEntry[];
}

/** One cycle with what its row links to: its log, its diff and the gate evidence it was judged on. */
export interface CycleDetail {
  cycle: HistoryEntry;
  /** The cycle's agent log, relative to the project, when it has one (`.goldloop/logs/cycle-000042.log`). */
  log?: string;
  /** The agent's diff (Goldloop's snapshots of the cycle's start and end), cut at `DIFF_LINES` lines. */
  diff?: { lines: string[]; total: number };
  /** Why there is no diff to show, in words. */
  no_diff?: string;
  /** The gate phase's evidence folder, relative to the project, and the files kept there (only the newest folders are kept). */
  evidence?: { folder: string; files: string[] };
}

/** The most lines of a cycle's diff the dashboard is sent. */
export const DIFF_LINES = 3000;

export interface LogLine {
  stream: 'stdout' | 'stderr';
  text: string;
  /** When it was written: the time of day on the machine that ran the cycle (`14:05:03`); absent in older logs. */
  at?: string;
}

/** A slice of one cycle's agent log. */
export interface LogPage {
  /** The cycle read; undefined when the project has no log yet. */
  cycle?: number;
  /** Every cycle that has a log, oldest first. */
  cycles: number[];
  from: number;
  /** Lines in the whole file. */
  total: number;
  lines: LogLine[];
}

export interface ReportEntry {
  name: string;
  kind: 'progress' | 'status' | 'final' | 'other';
  at: string;
  size: number;
}
