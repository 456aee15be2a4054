/**
 * The checks of a plan the user edited, before it is written: the KB schema (as every read of the
 * file checks it), then what only the whole queue shows — dependencies and requirement ids that
 * name nothing, a task that depends on itself, a dependency cycle. Each refusal names the request's
 * field, so the dashboard shows it beside that field.
 */
import { ApiError, fail } from '../../contract/errors.ts';
import type { PlanEdit } from '../../contract/plan.ts';
import { jsonPath, kbPath } from '../../store/kb/kb-file.ts';
import { fixFor } from '../../store/kb/messages.ts';
import { KbSchema, type Kb } from '../../store/kb/schema.ts';
import { dependencyProblems, findTask } from './queue.ts';

/** The task an edit adds or changes, and where its fields sit in the request. */
function editedTask(edit: PlanEdit): { id: string; field: string } | undefined {
  if (edit.op === 'add_task') return { id: edit.task.task_id, field: 'edit.task' };
  if (edit.op === 'update_task') return { id: edit.task_id, field: 'edit.changes' };
  return undefined;
}

/** Validates the edited file's JSON as the KB schema does; returns the KB it gives. */
function validated(raw: unknown, edit: PlanEdit, projectDir: string): Kb {
  const result = KbSchema.safeParse(raw, { reportInput: true, error: fixFor });
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const task = editedTask(edit);
  // An issue inside the edited task names the request's field; any other is the file's own.
  const [section, , index, key] = issue.path;
  let field: string | undefined;
  if (task && section === 'task_queue' && typeof index === 'number' && typeof key === 'string') field = `${task.field}.${key}`;
  throw new ApiError({
    code: 'bad_request',
    message: `the edit would make ${kbPath(projectDir)} invalid at ${jsonPath(issue.path)}: ${issue.message}`,
    fix: issue.message,
    ...(field ? { field } : {}),
  });
}

function checkReferences(kb: Kb, edit: PlanEdit): void {
  const task = editedTask(edit);
  if (!task) return;
  const queued = findTask(kb, task.id)!.task;
  for (const dep of queued.dependencies) {
    if (dep === task.id)
      fail('bad_request', `${task.id} cannot depend on itself`, 'remove it from the dependencies', `${task.field}.dependencies`);
    if (!findTask(kb, dep))
      fail(
        'bad_request',
        `"${dep}" names no task`,
        `give the id of a task in the queue, or add ${dep} first`,
        `${task.field}.dependencies`,
      );
  }
  const reqs = new Set(kb.requirements.map((r) => r.id));
  for (const id of queued.requirements) {
    if (!reqs.has(id))
      fail(
        'bad_request',
        `requirement "${id}" does not exist`,
        `add ${id} to the requirements first, or leave it out`,
        `${task.field}.requirements`,
      );
  }
  const loop = dependencyProblems(kb).find((p) => p.kind === 'cycle' && p.ids.includes(task.id));
  if (loop)
    fail(
      'bad_request',
      loop.message,
      'remove one of these dependencies: the tasks would wait for each other forever',
      `${task.field}.dependencies`,
    );
}

/** Checks the file's JSON after an edit; throws ApiError naming the request's field and the fix. */
export function checkEditedKb(raw: unknown, edit: PlanEdit, projectDir: string): Kb {
  const kb = validated(raw, edit, projectDir);
  checkReferences(kb, edit);
  return kb;
}
