/**
 * The task queue as the views show it: one row per task, counted per priority, and a page of one
 * priority at a time. A KB of 10,000 tasks costs a few hundred milliseconds to read, validate and
 * turn into rows, and the dashboard asks for a project's status after every event of its loop, so
 * the rows are kept per project until the KB file changes (its inode, size or times: the KB is
 * written by renaming a new file over it, and an edit in place changes its times).
 */
import { stat } from 'node:fs/promises';
import { fail } from '../../contract/errors.ts';
import { TASK_PAGE, type Priority, type TaskGroupCount, type TaskPage, type TaskRow } from '../../contract/status.ts';
import { kbPath, loadKb } from '../../store/kb/kb-file.ts';
import type { Kb, Task } from '../../store/kb/schema.ts';
import { allTasks, blockedReason, byId, indexQueue, selectNext } from '../tasks/queue.ts';

/** What the views need of a KB's queue, derived once per version of the file. */
export interface QueueView {
  /** The KB as validated. Shared between callers: read it, never change it. */
  readonly kb: Kb;
  /** Every task in the KB's order, none marked current. */
  readonly rows: readonly TaskRow[];
  readonly groups: TaskGroupCount[];
  /** The task the loop would take next, when one is ready. */
  readonly next?: string;
}

const PRIORITIES: readonly Priority[] = ['P0', 'P1', 'P2'];

/** The last queue read per KB file; one entry per project the process has looked at. */
const cache = new Map<string, { key: string; view: QueueView; sorted?: Map<Priority, TaskRow[]> }>();

/** A task's terms beyond the row's columns, for the dashboard's edit form (only those it has). */
function taskTerms(task: Task): Pick<TaskRow, 'acceptance' | 'verify' | 'estimated_time' | 'blocked_reason' | 'critical_bug'> {
  return {
    ...(task.acceptance !== undefined ? { acceptance: task.acceptance } : {}),
    ...(task.verify ? { verify: task.verify } : {}),
    ...(task.estimated_time !== undefined ? { estimated_time: task.estimated_time } : {}),
    ...(task.blocked_reason ? { blocked_reason: task.blocked_reason } : {}),
    ...(task.critical_bug ? { critical_bug: true } : {}),
  };
}

function rowsOf(kb: Kb): QueueView {
  const index = indexQueue(kb);
  const rows: TaskRow[] = allTasks(kb).map(({ task, priority }) => {
    const blocked = blockedReason(kb, task, index);
    return {
      task_id: task.task_id,
      description: task.description,
      priority,
      phase: task.phase,
      status: task.status,
      dependencies: task.dependencies,
      requirements: task.requirements,
      ...(blocked ? { blocked_by: blocked } : {}),
      current: false,
      ...taskTerms(task),
    };
  });
  const groups = PRIORITIES.map((priority) => ({ priority, total: 0, done: 0 }));
  for (const row of rows) {
    const g = groups[PRIORITIES.indexOf(row.priority)]!;
    g.total += 1;
    if (row.status === 'done') g.done += 1;
  }
  // Only a ready task is picked here, and that depends on the KB alone (the gaps come after it).
  const selection = selectNext(kb, { uncoveredRequirements: [], failingGates: [] });
  return {
    kb,
    rows,
    groups: groups.filter((g) => g.total > 0),
    ...(selection.kind === 'task' ? { next: selection.task.task.task_id } : {}),
  };
}

/** The project's KB and its queue's rows; read again only when the file changed. Throws KbError for a bad KB. */
export async function readQueue(projectDir: string): Promise<QueueView> {
  const file = kbPath(projectDir);
  const s = await stat(file, { bigint: true }).catch(() => undefined);
  const key = s ? `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}` : undefined;
  const hit = cache.get(file);
  if (key && hit?.key === key) return hit.view;
  // A missing or unreadable KB is loadKb's to explain.
  const view = rowsOf(await loadKb(projectDir));
  if (key) cache.set(file, { key, view });
  else cache.delete(file);
  return view;
}

/** Forgets the queues read so far (a process about to wait a long time keeps no copy of a big KB). */
export function forgetQueues(): void {
  cache.clear();
}

/** The rows with the task the loop works on now marked current. */
export function withCurrent(rows: readonly TaskRow[], current: string | undefined): TaskRow[] {
  return rows.map((row) => (row.task_id === current && row.status === 'in_progress' ? { ...row, current: true } : row));
}

/** One priority's rows in the queue's order (phase, then id), sorted once per version of the KB. */
async function sortedRows(projectDir: string, priority: Priority): Promise<TaskRow[]> {
  const view = await readQueue(projectDir);
  const entry = cache.get(kbPath(projectDir));
  const sorted = entry?.view === view ? (entry.sorted ??= new Map()) : new Map<Priority, TaskRow[]>();
  let rows = sorted.get(priority);
  if (!rows) {
    rows = view.rows.filter((r) => r.priority === priority).sort((a, b) => a.phase - b.phase || byId(a.task_id, b.task_id));
    sorted.set(priority, rows);
  }
  return rows;
}

/**
 * A page of one priority's tasks: `from` rows in, at most `limit`; with `taskId`, the page that
 * holds that task (refused, naming the field, when the queue has no such task of that priority).
 */
export async function taskPage(
  projectDir: string,
  args: { priority?: Priority; from?: number; limit?: number; taskId?: string },
  current?: string,
): Promise<TaskPage> {
  // Without a priority, the task's own (a search of the whole queue: "Find a task").
  const priority = args.priority ?? (await readQueue(projectDir)).rows.find((r) => r.task_id === args.taskId)?.priority;
  if (!priority) return fail('not_found', `no task ${args.taskId ?? ''} in the queue`, 'give the id of a task in the queue', 'task_id');
  const rows = await sortedRows(projectDir, priority);
  const limit = args.limit ?? TASK_PAGE;
  let from = Math.min(args.from ?? 0, Math.max(0, rows.length - 1));
  if (args.taskId !== undefined) {
    const at = rows.findIndex((r) => r.task_id === args.taskId);
    if (at < 0) return fail('not_found', `no ${priority} task ${args.taskId}`, 'give the id of a task of that priority', 'task_id');
    from = Math.floor(at / limit) * limit;
  }
  const done = rows.reduce((n, r) => n + (r.status === 'done' ? 1 : 0), 0);
  return { priority, total: rows.length, done, from, tasks: withCurrent(rows.slice(from, from + limit), current) };
}
