import { QUEUES, QUEUE_PRIORITY, type Kb, type Priority, type QueueName, type Task } from '../kb/schema.ts';

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
const byId = (a: string, b: string): number => a.localeCompare(b, 'en', { numeric: true });

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
export function dependencyProblems(kb: Kb): DependencyProblem[] {
  const tasks = allTasks(kb);
  const byTaskId = new Map(tasks.map((t) => [t.task.task_id, t.task]));
  const problems: DependencyProblem[] = [];
  for (const { task } of tasks) {
    for (const dep of task.dependencies) {
      if (!byTaskId.has(dep)) {
        problems.push({
          kind: 'missing',
          ids: [task.task_id, dep],
          message: `${task.task_id} depends on ${dep}, which is not in the task queue`,
        });
      }
    }
  }
  // Colour-marking DFS: a grey node met again closes a cycle.
  const colour = new Map<string, 'grey' | 'black'>();
  const stack: string[] = [];
  const seenCycles = new Set<string>();
  const visit = (id: string): void => {
    colour.set(id, 'grey');
    stack.push(id);
    const task = byTaskId.get(id);
    for (const dep of task?.dependencies ?? []) {
      const depTask = byTaskId.get(dep);
      if (!depTask || depTask.status === 'done') continue;
      const c = colour.get(dep);
      if (c === 'grey') {
        const loop = stack.slice(stack.indexOf(dep));
        const key = [...loop].sort().join(',');
        if (!seenCycles.has(key)) {
          seenCycles.add(key);
          problems.push({
            kind: 'cycle',
            ids: loop,
            message: `dependency cycle: ${[...loop, dep].join(' -> ')}`,
          });
        }
      } else if (c === undefined) {
        visit(dep);
      }
    }
    stack.pop();
    colour.set(id, 'black');
  };
  for (const { task } of tasks) {
    if (task.status !== 'done' && !colour.has(task.task_id)) visit(task.task_id);
  }
  return problems;
}

/** Why an unfinished task cannot start now, or undefined when it can. */
export function blockedReason(kb: Kb, task: Task, problems = dependencyProblems(kb)): string | undefined {
  if (task.status === 'done') return undefined;
  if (task.blocked_reason) return task.blocked_reason;
  const own = problems.find((p) => p.ids.includes(task.task_id));
  if (own) return own.message;
  const status = new Map(allTasks(kb).map((t) => [t.task.task_id, t.task.status]));
  const open = task.dependencies.filter((d) => status.get(d) !== 'done');
  return open.length > 0 ? `waiting for ${open.join(', ')}` : undefined;
}

/**
 * Picks the next work exactly as the operating document orders it: a ready P0 task, else P1,
 * else P2 (dependencies done; ties by fewest dependencies, then id); else the requirement gaps;
 * else coverage; else any other failing gate; else complete. Tasks that can never start
 * (a cycle, a missing dependency, a manual block) are reported by name instead of looped on.
 */
export function selectNext(kb: Kb, gaps: Gaps): Selection {
  const problems = dependencyProblems(kb);
  const tasks = allTasks(kb);
  const ready = tasks
    .filter((t) => t.task.status !== 'done' && blockedReason(kb, t.task, problems) === undefined)
    .sort(
      (a, b) =>
        PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority] ||
        a.task.dependencies.length - b.task.dependencies.length ||
        byId(a.task.task_id, b.task.task_id),
    );
  const first = ready[0];
  if (first) return { kind: 'task', task: first };
  if (gaps.uncoveredRequirements.length > 0) {
    return { kind: 'requirement_gap', requirements: [...gaps.uncoveredRequirements] };
  }
  if (gaps.coverage && gaps.coverage.value < gaps.coverage.threshold) {
    return { kind: 'coverage_gap', ...gaps.coverage };
  }
  const gate = gaps.failingGates[0];
  if (gate) return { kind: 'gate_gap', gate: gate.gate, detail: gate.detail };
  const waiting = tasks.filter((t) => t.task.status !== 'done').map((t) => t.task.task_id);
  if (waiting.length > 0) return { kind: 'stuck', problems, waiting };
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
