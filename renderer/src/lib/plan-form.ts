import { joinCommandLine, splitCommandLine } from '../../../electron/contract/command-line.ts';
import { ApiError } from '../../../electron/contract/errors.ts';
import type { PlanEdit, Priority, RequirementRow, TaskFields, TaskRow } from '../../../electron/contract/api.ts';

/**
 * The plan forms' own model: what the inputs hold (lists and command lines as text), made from a
 * task or requirement row and turned into the one `editPlan` edit that says what the user changed.
 * Pure, so it is tested without a browser.
 */

export const PRIORITY_WORDS: Record<Priority, string> = { P0: 'P0 — high priority', P1: 'P1 — medium priority', P2: 'P2 — low priority' };
export const PRIORITY_ORDER: readonly Priority[] = ['P0', 'P1', 'P2'];

/** Field key -> what is wrong with it, in words. */
export type PlanErrors = Record<string, string>;

export interface TaskDraft {
  task_id: string;
  description: string;
  priority: Priority;
  phase: number;
  /** Ids separated by commas or spaces. */
  dependencies: string;
  requirements: string;
  acceptance: string;
  /** A command line, split like a shell would (never run by one). */
  verify: string;
  /** Empty: not blocked. */
  blocked_reason: string;
}

export const newTaskDraft = (priority: Priority = 'P1'): TaskDraft => ({
  task_id: '',
  description: '',
  priority,
  phase: 1,
  dependencies: '',
  requirements: '',
  acceptance: '',
  verify: '',
  blocked_reason: '',
});

export const taskDraft = (t: TaskRow): TaskDraft => ({
  task_id: t.task_id,
  description: t.description,
  priority: t.priority,
  phase: t.phase,
  dependencies: t.dependencies.join(', '),
  requirements: t.requirements.join(', '),
  acceptance: t.acceptance ?? '',
  verify: t.verify ? joinCommandLine(t.verify) : '',
  blocked_reason: t.blocked_reason ?? '',
});

/** Ids from a list typed by hand: commas, spaces or new lines between them. */
export const idList = (text: string): string[] => text.split(/[\s,]+/).filter(Boolean);

const sameList = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/** The fields the draft sets, against `original` (only what changed; a cleared optional field is null). */
function fields(draft: TaskDraft, original: TaskRow | undefined, errors: PlanErrors): TaskFields {
  const out: TaskFields = {};
  const text = (key: 'acceptance' | 'blocked_reason', was: string | undefined): void => {
    const now = draft[key].trim();
    if (now !== (was ?? '')) out[key] = now ? now : original ? null : undefined;
    if (out[key] === undefined) delete out[key];
  };
  if (!original || draft.description.trim() !== original.description) out.description = draft.description.trim();
  if (!original || draft.phase !== original.phase) out.phase = draft.phase;
  if (!original || draft.priority !== original.priority) out.priority = draft.priority;
  const deps = idList(draft.dependencies);
  if (original ? !sameList(deps, original.dependencies) : deps.length) out.dependencies = deps;
  const reqs = idList(draft.requirements);
  if (original ? !sameList(reqs, original.requirements) : reqs.length) out.requirements = reqs;
  text('acceptance', original?.acceptance);
  text('blocked_reason', original?.blocked_reason);
  try {
    const verify = splitCommandLine(draft.verify);
    if (verify.length ? !sameList(verify, original?.verify ?? []) : original?.verify) out.verify = verify.length ? verify : null;
  } catch (error) {
    errors.verify = (error as Error).message;
  }
  return out;
}

/** The edit a task form asks for: a new task, or the changes to `original`. Errors found here need no server. */
export function taskEdit(draft: TaskDraft, original?: TaskRow): { edit?: PlanEdit; errors: PlanErrors } {
  const errors: PlanErrors = {};
  const task_id = draft.task_id.trim();
  if (!original && !task_id) errors.task_id = 'give the task an id, e.g. T-12';
  if (!draft.description.trim()) errors.description = 'say what the task is';
  const changes = fields(draft, original, errors);
  if (Object.keys(errors).length) return { errors };
  if (!original) {
    const { priority = draft.priority, ...rest } = changes;
    return { edit: { op: 'add_task', task: { ...rest, task_id, description: draft.description.trim(), priority } }, errors };
  }
  return { edit: { op: 'update_task', task_id: original.task_id, changes }, errors };
}

export interface RequirementDraft {
  id: string;
  text: string;
  source: string;
}

export const requirementDraft = (r?: RequirementRow): RequirementDraft => ({
  id: r?.id ?? '',
  text: r?.text ?? '',
  source: r?.source ?? '',
});

export function requirementEdit(draft: RequirementDraft, original?: RequirementRow): { edit?: PlanEdit; errors: PlanErrors } {
  const errors: PlanErrors = {};
  const id = draft.id.trim();
  const text = draft.text.trim();
  const source = draft.source.trim();
  if (!original && !id) errors.id = 'give the requirement an id, e.g. REQ-012';
  if (!text) errors.text = 'say what is required';
  if (Object.keys(errors).length) return { errors };
  if (!original) return { edit: { op: 'add_requirement', requirement: { id, text, ...(source ? { source } : {}) } }, errors };
  return {
    edit: {
      op: 'update_requirement',
      id: original.id,
      changes: { ...(text !== original.text ? { text } : {}), ...(source !== (original.source ?? '') ? { source: source || null } : {}) },
    },
    errors,
  };
}

/**
 * The engine's refusal as errors beside the fields it names (`edit.task.dependencies` -> the
 * dependencies box), and what no field of `keys` claims as the form's own problem.
 */
export function planErrors(error: unknown, keys: readonly string[]): { errors: PlanErrors; rest?: { message: string; fix?: string } } {
  if (!(error instanceof ApiError)) return { errors: {}, rest: { message: error instanceof Error ? error.message : String(error) } };
  const body = error.body;
  const errors: PlanErrors = {};
  const keyOf = (field: string): string | undefined => {
    const parts = field.split('.');
    const key = parts[0] === 'edit' ? (['task', 'changes', 'requirement'].includes(parts[1] ?? '') ? parts[2] : parts[1]) : undefined;
    return key && keys.includes(key) ? key : undefined;
  };
  for (const { field, fix } of body.issues ?? (body.field ? [{ field: body.field, fix: body.fix ?? body.message }] : [])) {
    const key = keyOf(field);
    // The message says what is wrong with the value; the fix what to do (the request's own checks say both in the fix).
    if (key && !errors[key])
      errors[key] = field === body.field && body.message && !body.message.endsWith('is invalid') ? `${body.message}: ${fix}` : fix;
  }
  const claimed = body.field !== undefined && keyOf(body.field) !== undefined;
  return { errors, ...(claimed ? {} : { rest: { message: body.message, ...(body.fix ? { fix: body.fix } : {}) } }) };
}
