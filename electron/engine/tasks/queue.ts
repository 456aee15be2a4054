import { QUEUES, QUEUE_PRIORITY, type Kb, type Priority, type QueueName, type Task } from '../../store/kb/schema.ts';

/** A task with where it lives in the KB and the priority it is scheduled by. */
export interface QueuedTask {
  task: Task;
  queue: QueueName;
  index: number;
  /** The task's own `priority`, else its queue's (high -> P0, medium -> P1, low -> P2). */
  priority: Priority;
}

export interface DependencyProblem {
  kind: 'missing' | 'cycle';
  /** Task ids involved: for `missing` the task and the id it names; for `cycle` the loop in order. */
  ids: string[];
  message: string;
}

/** What the loop should work on next, in the operating document's order. */
export type Selection =
  | { kind: 'task'; task: QueuedTask }
  | { kind: 'requirement_gap'; requirements: string[] }
  | { kind: 'coverage_gap'; value: number; threshold: number; files: string[] }
  | { kind: 'gate_gap'; gate: string; detail: string }
  | { kind: 'stuck'; problems: DependencyProblem[]; waiting: string[] }
  | { kind: 'complete' };

/** Measured gaps the selection falls back to once no task is ready. */
export interface Gaps {
  uncoveredRequirements: string[];
  coverage?: { value: number; threshold: number; files: string[] };
  /** Other failing checklist lines (tests, blockers...), most important first. */
  failingGates: { gate: string; detail: string }[];
}

const PRIORITY_RANK: Record<Priority, number> = { P0: 0, P1: 1, P2: 2 };
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const lower = (c: number): number => (c >= 65 && c <= 90 ? c + 32 : c);

/**
 * Task ids in their natural order: runs of digits by their value (TASK_2 before TASK_10, TASK_7
 * and TASK_007 side by side), other characters without regard to ASCII case, then code unit by
 * code unit so that no two different ids tie. Written out rather than an `Intl.Collator` (making
 * one costs about 10 ms, which `goldloop status` would pay at every start), and without
 * allocating: the pick of the next task compares thousands of ids.
 */
export function byId(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(j);
    if (!isDigit(x) || !isDigit(y)) {
      const order = lower(x) - lower(y);
      if (order) return order;
      i++;
      j++;
      continue;
    }
    // Two runs of digits: the longer value (leading zeros aside) is the larger, else digit by digit.
    let endA = i;
    while (endA < a.length && isDigit(a.charCodeAt(endA))) endA++;
    let endB = j;
    while (endB < b.length && isDigit(b.charCodeAt(endB))) endB++;
    while (i < endA - 1 && a.charCodeAt(i) === 48) i++;
    while (j < endB - 1 && b.charCodeAt(j) === 48) j++;
    if (endA - i !== endB - j) return endA - i - (endB - j);
    for (; i < endA; i++, j++) if (a.charCodeAt(i) !== b.charCodeAt(j)) return a.charCodeAt(i) - b.charCodeAt(j);
    j = endB;
  }
  return a.length - i - (b.length - j) || (a < b ? -1 : a > b ? 1 : 0);
}

export function allTasks(kb: Kb): QueuedTask[] {
  const out: QueuedTask[] = [];
  for (const queue of QUEUES) {
    kb.task_queue[queue].forEach((task, index) => {
      out.push({ task, queue, index, priority: task.priority ?? QUEUE_PRIORITY[queue] });
    });
  }
  return out;
}

export function findTask(kb: Kb, taskId: string): QueuedTask | undefined {
  return allTasks(kb).find((t) => t.task.task_id === taskId);
}

/** Dependencies that name no task, and dependency cycles among unfinished tasks, each by name. */
export function dependencyProblems(kb: Kb, tasks: QueuedTask[] = allTasks(kb)): DependencyProblem[] {
  const indexOf = new Map<string, number>();
  tasks.forEach((t, i) => indexOf.set(t.task.task_id, i));
  const problems: DependencyProblem[] = [];
  // Edges between unfinished tasks, as indices: the cycle search then runs on integers.
  const edges: number[][] = tasks.map(({ task }) => {
    const out: number[] = [];
    for (const dep of task.dependencies) {
      const j = indexOf.get(dep);
      if (j === undefined) {
        problems.push({
          kind: 'missing',
          ids: [task.task_id, dep],
          message: `${task.task_id} depends on ${dep}, which is not in the task queue`,
        });
      } else if (task.status !== 'done' && tasks[j]!.task.status !== 'done') {
        out.push(j);
      }
    }
    return out;
  });
  // Colour-marking DFS (0 white, 1 grey, 2 black), iterative so a long dependency chain cannot
  // overflow the stack: a grey node met again closes a cycle.
  const colour = new Uint8Array(tasks.length);
  const seenCycles = new Set<string>();
  const path: number[] = [];
  const next: number[] = [];
  for (let root = 0; root < tasks.length; root++) {
    if (colour[root] !== 0 || tasks[root]!.task.status === 'done') continue;
    colour[root] = 1;
    path.push(root);
    next.push(0);
    while (path.length > 0) {
      const top = path.length - 1;
      const node = path[top]!;
      const deps = edges[node]!;
      if (next[top]! >= deps.length) {
        colour[node] = 2;
        path.pop();
        next.pop();
        continue;
      }
      const dep = deps[next[top]!++]!;
      if (colour[dep] === 1) {
        const loop = path.slice(path.indexOf(dep)).map((i) => tasks[i]!.task.task_id);
        const key = [...loop].sort().join(',');
        if (!seenCycles.has(key)) {
          seenCycles.add(key);
          problems.push({ kind: 'cycle', ids: loop, message: `dependency cycle: ${[...loop, loop[0]].join(' -> ')}` });
        }
      } else if (colour[dep] === 0) {
        colour[dep] = 1;
        path.push(dep);
        next.push(0);
      }
    }
  }
  return problems;
}

/** What `blockedReason` needs about the whole queue, computed once per selection. */
export interface QueueIndex {
  problems: DependencyProblem[];
  status: Map<string, Task['status']>;
  /** Task id -> the first dependency problem naming it. */
  problemOf: Map<string, DependencyProblem>;
}

export function indexQueue(kb: Kb, tasks: QueuedTask[] = allTasks(kb)): QueueIndex {
  const problems = dependencyProblems(kb, tasks);
  const problemOf = new Map<string, DependencyProblem>();
  for (const p of problems) {
    const ids = p.kind === 'missing' ? p.ids.slice(0, 1) : p.ids;
    for (const id of ids) if (!problemOf.has(id)) problemOf.set(id, p);
  }
  return { problems, problemOf, status: new Map(tasks.map((t) => [t.task.task_id, t.task.status])) };
}

/**
 * True when an unfinished task can start now: every dependency is done. A task in a dependency
 * cycle or with a missing dependency can never pass this, so selection needs no cycle search;
 * that runs only when nothing is startable, to name the problem.
 */
function startable(task: Task, status: Map<string, Task['status']>): boolean {
  if (task.status === 'done' || task.blocked_reason) return false;
  for (const dep of task.dependencies) if (status.get(dep) !== 'done') return false;
  return true;
}

/** Why an unfinished task cannot start now, or undefined when it can. */
export function blockedReason(kb: Kb, task: Task, index: QueueIndex = indexQueue(kb)): string | undefined {
  if (task.status === 'done') return undefined;
  if (task.blocked_reason) return task.blocked_reason;
  const own = index.problemOf.get(task.task_id);
  if (own) return own.message;
  const open = task.dependencies.filter((d) => index.status.get(d) !== 'done');
  return open.length > 0 ? `waiting for ${open.join(', ')}` : undefined;
}

/**
 * Picks the next work exactly as the operating document orders it: a ready P0 task, else P1,
 * else P2 (dependencies done; ties by fewest dependencies, then id); else the requirement gaps;
 * else coverage; else any other failing gate; else complete. Tasks that can never start
 * (a cycle, a missing dependency, a manual block) are reported by name instead of looped on.
 */
export function selectNext(kb: Kb, gaps: Gaps): Selection {
  const status = new Map<string, Task['status']>();
  for (const queue of QUEUES) for (const task of kb.task_queue[queue]) status.set(task.task_id, task.status);
  // One pass for the best ready task; sorting all of them would cost more than the pick, and only
  // the pick is made a QueuedTask (a KB holds thousands of tasks, and this runs every cycle).
  let first: QueuedTask | undefined;
  for (const queue of QUEUES) {
    const tasks = kb.task_queue[queue];
    for (let index = 0; index < tasks.length; index++) {
      const task = tasks[index]!;
      if (!startable(task, status)) continue;
      const priority = task.priority ?? QUEUE_PRIORITY[queue];
      if (
        !first ||
        (PRIORITY_RANK[priority] - PRIORITY_RANK[first.priority] ||
          task.dependencies.length - first.task.dependencies.length ||
          byId(task.task_id, first.task.task_id)) < 0
      ) {
        first = { task, queue, index, priority };
      }
    }
  }
  if (first) return { kind: 'task', task: first };
  if (gaps.uncoveredRequirements.length > 0) {
    return { kind: 'requirement_gap', requirements: [...gaps.uncoveredRequirements] };
  }
  if (gaps.coverage && gaps.coverage.value < gaps.coverage.threshold) {
    return { kind: 'coverage_gap', ...gaps.coverage };
  }
  const gate = gaps.failingGates[0];
  if (gate) return { kind: 'gate_gap', gate: gate.gate, detail: gate.detail };
  const tasks = allTasks(kb);
  const waiting = tasks.filter((t) => t.task.status !== 'done').map((t) => t.task.task_id);
  if (waiting.length > 0) return { kind: 'stuck', problems: dependencyProblems(kb, tasks), waiting };
  return { kind: 'complete' };
}

/** done/total tasks per phase, for every phase the KB names plus any a task uses. */
export function phaseProgress(kb: Kb): { phase: number; name: string; done: number; total: number }[] {
  const names = new Map(kb.phases.map((p) => [p.phase, p.name]));
  const rows = new Map<number, { done: number; total: number }>();
  for (const p of kb.phases) rows.set(p.phase, { done: 0, total: 0 });
  for (const { task } of allTasks(kb)) {
    const row = rows.get(task.phase) ?? { done: 0, total: 0 };
    row.total += 1;
    if (task.status === 'done') row.done += 1;
    rows.set(task.phase, row);
  }
  return [...rows.entries()]
    .sort(([a], [b]) => a - b)
    .map(([phase, row]) => ({ phase, name: names.get(phase) ?? `Phase ${phase}`, ...row }));
}
