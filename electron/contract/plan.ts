/**
 * The user's edits to a project's plan — its tasks and requirements — as the dashboard sends them
 * (`editPlan`). The user may do what the agent may not (change a task's terms, remove a task), with
 * two limits the gates rely on: only Goldloop marks a task done (when its gates pass), and a
 * requirement that tests cover, or that tasks name, is removed only when the user confirms it.
 */
import type { Priority } from './status.ts';

/** The fields of a task the user sets. Left out: unchanged; `null`: the field goes. */
export interface TaskFields {
  description?: string;
  /** Phase 1 Core, 2 Advanced, 3 Enterprise, 4 Optimization. */
  phase?: number;
  /** The queue the task sits in: P0 high, P1 medium, P2 low priority. A change moves the task between them. */
  priority?: Priority;
  /** Task ids that must be done first. */
  dependencies?: string[];
  /** Requirement ids this task implements. */
  requirements?: string[];
  /** What "done" means for this task, shown to the agent. */
  acceptance?: string | null;
  /** A command (argv) that must exit 0 before Goldloop accepts the task as done. */
  verify?: string[] | null;
  estimated_time?: string | null;
  /** Blocks the task for this reason (status blocked); `null` clears the block (status ready). */
  blocked_reason?: string | null;
  /** An open critical bug is a blocker on the checklist. */
  critical_bug?: boolean;
}

/** A new task: its id, what to do and its priority; it starts ready (only Goldloop marks a task done). */
export type NewTask = TaskFields & { task_id: string; description: string; priority: Priority };

export interface RequirementFields {
  text?: string;
  /** The document it comes from; `null` removes it. */
  source?: string | null;
}

/** One edit of the plan. */
export type PlanEdit =
  | { op: 'add_task'; task: NewTask }
  /** `reopen`: a done task goes back to ready (the way back from done; nothing else changes a status to done). */
  | { op: 'update_task'; task_id: string; changes: TaskFields & { reopen?: boolean } }
  | { op: 'remove_task'; task_id: string }
  | { op: 'add_requirement'; requirement: { id: string; text: string; source?: string } }
  | { op: 'update_requirement'; id: string; changes: RequirementFields }
  /** `confirm`: needed when tests cover the requirement or tasks name it (they stop naming it). */
  | { op: 'remove_requirement'; id: string; confirm?: boolean };

export type PlanEditOp = PlanEdit['op'];

/** What `editPlan` answers: what was changed, in words. */
export interface EditPlanResult {
  message: string;
}
