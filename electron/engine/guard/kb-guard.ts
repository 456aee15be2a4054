/**
 * What only Goldloop writes in the knowledge base, and putting it back after the agent had the
 * file: the schedule and counters, the gate configuration, the agent's settings, test results,
 * task statuses and terms, requirements and documents. Each function returns what it restored,
 * in words, for the history, the alert and the next prompt.
 */
import type { Kb } from '../../store/kb/schema.ts';
import { allTasks } from '../tasks/queue.ts';

/** Key order differs between a parsed KB and one changed in memory; compare content only. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}
const same = (a: unknown, b: unknown): boolean => JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));

/** A task's terms, which decide what "done" and "blocked" mean: the user's, not the agent's to change. */
const TASK_TERMS = ['verify', 'requirements', 'acceptance', 'priority'] as const;

/**
 * Puts back tasks the agent removed (to their queue), moved to another queue, or whose terms it
 * changed: its verify command, requirement ids, acceptance, priority, an open critical bug or a
 * blocked reason it cleared. New tasks, and a bug or a block it adds, stay. Returns what, in words.
 */
function restoreTaskTerms(kb: Kb, before: Kb): string[] {
  const restored: string[] = [];
  const now = new Map(allTasks(kb).map((t) => [t.task.task_id, t]));
  for (const old of allTasks(before)) {
    const id = old.task.task_id;
    let current = now.get(id);
    if (!current) {
      kb.task_queue[old.queue].push(structuredClone(old.task));
      restored.push(`${id} (removed)`);
      continue;
    }
    if (current.queue !== old.queue) {
      kb.task_queue[current.queue].splice(kb.task_queue[current.queue].indexOf(current.task), 1);
      kb.task_queue[old.queue].push(current.task);
      restored.push(`${id} (moved to ${current.queue})`);
      current = { ...current, queue: old.queue };
    }
    const task = current.task as Record<string, unknown>;
    const was = old.task as Record<string, unknown>;
    for (const field of TASK_TERMS) {
      if (same(task[field], was[field])) continue;
      if (was[field] === undefined) delete task[field];
      else task[field] = structuredClone(was[field]);
      restored.push(`${id}.${field}`);
    }
    if (old.task.critical_bug && !current.task.critical_bug) {
      current.task.critical_bug = true;
      restored.push(`${id}.critical_bug (cleared)`);
    }
    if (old.task.blocked_reason && current.task.blocked_reason !== old.task.blocked_reason) {
      current.task.blocked_reason = old.task.blocked_reason;
      restored.push(`${id}.blocked_reason`);
    }
  }
  return restored;
}

/**
 * Puts back what only Goldloop may write, after the agent had the KB: the whole
 * `autonomous_operation` section (counters, schedule, thresholds), the gate configuration,
 * `test_results`, the status of every task that existed before (a claim of "done" is
 * Goldloop's to verify), and removed requirements. New tasks and notes the agent added stay.
 * Returns what was restored, in words, for the history and the next prompt.
 */
export function restoreGoldloopFields(kb: Kb, before: Kb): string[] {
  const restored: string[] = [];
  if (!same(kb.autonomous_operation, before.autonomous_operation)) {
    kb.autonomous_operation = structuredClone(before.autonomous_operation);
    restored.push('autonomous_operation');
  }
  if (!same(kb.gates, before.gates)) {
    kb.gates = structuredClone(before.gates);
    restored.push('gates');
  }
  // The agent's settings (budget, prompt budget, executable) and the template choice are the user's.
  if (!same(kb.agent, before.agent)) {
    if (before.agent === undefined) delete kb.agent;
    else kb.agent = structuredClone(before.agent);
    restored.push('agent');
  }
  if (kb.prompt_template !== before.prompt_template) {
    if (before.prompt_template === undefined) delete kb.prompt_template;
    else kb.prompt_template = before.prompt_template;
    restored.push('prompt_template');
  }
  if (!same(kb.test_results, before.test_results)) {
    kb.test_results = structuredClone(before.test_results);
    restored.push('test_results');
  }
  restored.push(...restoreTaskTerms(kb, before));
  const beforeStatus = new Map(allTasks(before).map((t) => [t.task.task_id, t.task.status]));
  for (const { task } of allTasks(kb)) {
    const was = beforeStatus.get(task.task_id);
    if (was !== undefined && task.status !== was) {
      restored.push(`${task.task_id}.status (${task.status} -> ${was})`);
      task.status = was;
    } else if (was === undefined && task.status === 'done') {
      restored.push(`${task.task_id}.status (a new task cannot start as done)`);
      task.status = 'ready';
    }
  }
  const ids = new Set(kb.requirements.map((r) => r.id));
  for (const req of before.requirements) {
    if (!ids.has(req.id)) {
      kb.requirements.push(structuredClone(req));
      restored.push(`requirement ${req.id} (removed)`);
    }
  }
  const missingDocs = before.documents.filter((d) => !kb.documents.includes(d));
  if (missingDocs.length) {
    kb.documents.push(...missingDocs);
    restored.push(`documents (${missingDocs.join(', ')} removed)`);
  }
  return restored;
}
