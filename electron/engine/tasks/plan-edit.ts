/**
 * A user's edit of the plan (`PlanEdit`: a task or a requirement added, changed, moved to another
 * priority, or removed), applied to the KB file's own JSON so that no default is written into it and
 * every field Goldloop does not know stays, then validated as the KB is (`plan-rules.ts`) and saved
 * atomically with the previous file in `.goldloop/kb-backup.json`.
 *
 * The user may change what the agent may not (a task's terms, its priority, remove it); what the
 * gates decide stays theirs: no edit marks a task done (a done task can only be reopened), and a
 * requirement that tests cover or tasks name goes only when the user confirms it.
 */
import type { PlanEdit, TaskFields } from '../../contract/plan.ts';
import { fail } from '../../contract/errors.ts';
import { loadKbJson, saveKb } from '../../store/kb/kb-file.ts';
import { QUEUES, type Kb, type Priority, type QueueName } from '../../store/kb/schema.ts';
import { checkEditedKb } from './plan-rules.ts';

type Json = Record<string, unknown>;

const QUEUE_OF: Record<Priority, QueueName> = { P0: 'high_priority', P1: 'medium_priority', P2: 'low_priority' };

/** What the rules need beyond the KB: the requirements the last measurement found covered. */
export interface PlanContext {
  covered: (requirementId: string) => boolean;
}

/** The file's task queue section, made where it is missing. */
function queues(raw: Json): Record<QueueName, Json[]> {
  const section = (raw.task_queue ??= {}) as Record<string, unknown>;
  for (const q of QUEUES) if (!Array.isArray(section[q])) section[q] = [];
  return section as Record<QueueName, Json[]>;
}

function findRawTask(raw: Json, taskId: string): { queue: QueueName; list: Json[]; task: Json } | undefined {
  const all = queues(raw);
  for (const queue of QUEUES) {
    const task = all[queue].find((t) => t.task_id === taskId);
    if (task) return { queue, list: all[queue], task };
  }
  return undefined;
}

const requirementsOf = (raw: Json): Json[] => (Array.isArray(raw.requirements) ? (raw.requirements as Json[]) : (raw.requirements = []));

/** Sets each field given; `null` removes an optional one. The block's reason decides blocked/ready. */
function setFields(task: Json, fields: TaskFields, field: string): void {
  for (const key of [
    'description',
    'phase',
    'dependencies',
    'requirements',
    'acceptance',
    'verify',
    'estimated_time',
    'critical_bug',
  ] as const) {
    const value = fields[key];
    if (value === undefined) continue;
    if (value === null) delete task[key];
    else task[key] = value;
  }
  if (fields.blocked_reason === undefined) return;
  if (fields.blocked_reason === null) {
    delete task.blocked_reason;
    if (task.status === 'blocked') task.status = 'ready';
    return;
  }
  if (task.status === 'done')
    fail('conflict', `${String(task.task_id)} is done: a done task cannot be blocked`, 'reopen it first', `${field}.blocked_reason`);
  task.blocked_reason = fields.blocked_reason;
  task.status = 'blocked';
}

function addTask(raw: Json, edit: Extract<PlanEdit, { op: 'add_task' }>): string {
  const { task_id, priority } = edit.task;
  if (findRawTask(raw, task_id)) fail('conflict', `a task ${task_id} already exists`, 'give the new task its own id', 'edit.task.task_id');
  const task: Json = { task_id, description: '', priority, phase: 1, dependencies: [], status: 'ready' };
  setFields(task, { ...edit.task, priority: undefined } as TaskFields, 'edit.task');
  queues(raw)[QUEUE_OF[priority]].push(task);
  return `Added ${task_id} (${priority}).`;
}

function updateTask(raw: Json, edit: Extract<PlanEdit, { op: 'update_task' }>): string {
  const found =
    findRawTask(raw, edit.task_id) ?? fail('not_found', `no task ${edit.task_id}`, 'pick a task from the queue', 'edit.task_id');
  const { reopen, priority, ...fields } = edit.changes;
  const said: string[] = [];
  if (reopen) {
    if (found.task.status !== 'done')
      fail('conflict', `${edit.task_id} is not done: there is nothing to reopen`, 'leave reopen out', 'edit.changes.reopen');
    found.task.status = 'ready';
    said.push('reopened');
  }
  setFields(found.task, fields, 'edit.changes');
  if (priority && QUEUE_OF[priority] !== found.queue) {
    found.list.splice(found.list.indexOf(found.task), 1);
    queues(raw)[QUEUE_OF[priority]].push(found.task);
    said.push(`moved to ${priority}`);
  }
  // The task's own priority, when it has one, overrides its queue's: it follows the move.
  if (priority && (found.task.priority !== undefined || QUEUE_OF[priority] !== found.queue)) found.task.priority = priority;
  const changed = Object.keys(fields).length;
  if (changed) said.push(`${changed} field${changed === 1 ? '' : 's'} changed`);
  return `${edit.task_id}: ${said.join(', ') || 'nothing changed'}.`;
}

function removeTask(raw: Json, kb: Kb, taskId: string): string {
  const found = findRawTask(raw, taskId) ?? fail('not_found', `no task ${taskId}`, 'pick a task from the queue', 'edit.task_id');
  const dependents = QUEUES.flatMap((q) => kb.task_queue[q]).filter((t) => t.dependencies.includes(taskId));
  if (dependents.length) {
    const names = dependents.map((t) => t.task_id).join(', ');
    fail(
      'conflict',
      `${names} depend${dependents.length === 1 ? 's' : ''} on ${taskId}`,
      `remove ${taskId} from their dependencies first`,
      'edit.task_id',
    );
  }
  found.list.splice(found.list.indexOf(found.task), 1);
  return `Removed ${taskId}.`;
}

function addRequirement(raw: Json, edit: Extract<PlanEdit, { op: 'add_requirement' }>): string {
  const list = requirementsOf(raw);
  const { id } = edit.requirement;
  if (list.some((r) => r.id === id))
    fail('conflict', `a requirement ${id} already exists`, 'give the new requirement its own id', 'edit.requirement.id');
  list.push({ ...edit.requirement });
  return `Added ${id}.`;
}

function updateRequirement(raw: Json, edit: Extract<PlanEdit, { op: 'update_requirement' }>): string {
  const req =
    requirementsOf(raw).find((r) => r.id === edit.id) ??
    fail('not_found', `no requirement ${edit.id}`, 'pick one from the list', 'edit.id');
  if (edit.changes.text !== undefined) req.text = edit.changes.text;
  if (edit.changes.source === null) delete req.source;
  else if (edit.changes.source !== undefined) req.source = edit.changes.source;
  return `${edit.id} saved.`;
}

function removeRequirement(raw: Json, kb: Kb, edit: Extract<PlanEdit, { op: 'remove_requirement' }>, context: PlanContext): string {
  const list = requirementsOf(raw);
  const index = list.findIndex((r) => r.id === edit.id);
  if (index < 0) fail('not_found', `no requirement ${edit.id}`, 'pick one from the list', 'edit.id');
  const naming = QUEUES.flatMap((q) => kb.task_queue[q]).filter((t) => t.requirements.includes(edit.id));
  const covered = context.covered(edit.id);
  if ((covered || naming.length) && !edit.confirm) {
    const why = [covered ? 'passing tests cover it' : '', naming.length ? `${naming.map((t) => t.task_id).join(', ')} name it` : '']
      .filter(Boolean)
      .join(', and ');
    fail('conflict', `${edit.id} is in use: ${why}`, 'confirm the removal; the tasks stop naming it', 'edit.confirm');
  }
  list.splice(index, 1);
  for (const t of Object.values(queues(raw)).flat()) {
    if (Array.isArray(t.requirements) && t.requirements.includes(edit.id)) t.requirements = t.requirements.filter((id) => id !== edit.id);
  }
  return naming.length ? `Removed ${edit.id}; ${naming.map((t) => t.task_id).join(', ')} no longer name it.` : `Removed ${edit.id}.`;
}

/**
 * Applies one edit to `raw` (the KB file's JSON, changed in place) given the KB it validates to.
 * Throws ApiError naming the request's field and the fix; returns what was done, in words.
 */
export function applyPlanEdit(raw: Json, kb: Kb, edit: PlanEdit, context: PlanContext): string {
  switch (edit.op) {
    case 'add_task':
      return addTask(raw, edit);
    case 'update_task':
      return updateTask(raw, edit);
    case 'remove_task':
      return removeTask(raw, kb, edit.task_id);
    case 'add_requirement':
      return addRequirement(raw, edit);
    case 'update_requirement':
      return updateRequirement(raw, edit);
    case 'remove_requirement':
      return removeRequirement(raw, kb, edit, context);
  }
}

/**
 * One edit of a project's plan, on the KB file as it is now (a read-modify-write: edits made since
 * the dashboard last read it are kept), validated as a whole, saved atomically with a backup.
 * Nothing is written when the edit is refused. Returns what was done, in words.
 */
export async function editPlanFile(projectDir: string, edit: PlanEdit, context: PlanContext): Promise<string> {
  const { raw, kb } = await loadKbJson(projectDir);
  const message = applyPlanEdit(raw, kb, edit, context);
  checkEditedKb(raw, edit, projectDir);
  await saveKb(projectDir, raw as Kb);
  return message;
}
