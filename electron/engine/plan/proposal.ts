import { z } from 'zod';
import { jsonPath, type KbProblem } from '../../store/kb/kb-file.ts';
import {
  PhaseSchema,
  PRIORITIES,
  QUEUES,
  QUEUE_PRIORITY,
  RequirementSchema,
  TaskSchema,
  type Kb,
  type QueueName,
  type Task,
} from '../../store/kb/schema.ts';
import { allTasks } from '../tasks/queue.ts';

/**
 * A planning proposal: the agent's reading of the spec, PRD and architecture documents as phases,
 * requirements and tasks. Built from the KB's own schemas; a proposed task must say its priority
 * and phase and starts `ready` (only Goldloop marks work done).
 */
export const ProposalTaskSchema = TaskSchema.extend({
  priority: z.enum(PRIORITIES),
  phase: z.number().int().min(1).max(4),
  status: z.literal('ready').default('ready'),
});

export const ProposalSchema = z.looseObject({
  phases: z.array(PhaseSchema).default([]),
  requirements: z.array(RequirementSchema).default([]),
  tasks: z.array(ProposalTaskSchema).min(1, 'propose at least one task'),
});
export type Proposal = z.infer<typeof ProposalSchema>;

function fixFor(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? `add the field (${issue.expected})` : `change it to a ${issue.expected}`;
    case 'invalid_value':
      return `${issue.input === undefined ? 'add the field with' : 'use'} one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'too_small':
    case 'too_big':
    case 'invalid_format':
      return issue.message;
    default:
      return 'correct the value';
  }
}

/** Where a task goes: its priority's queue. */
const QUEUE_OF: Record<string, QueueName> = Object.fromEntries(QUEUES.map((q) => [QUEUE_PRIORITY[q], q]));
export const queueFor = (priority: string): QueueName => QUEUE_OF[priority] ?? 'medium_priority';

/** One dependency cycle among `deps` (id -> ids), as a closed path, or undefined. */
export function findCycle(deps: ReadonlyMap<string, readonly string[]>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    if (state.get(id) === 'done') return undefined;
    if (state.get(id) === 'open') return [...stack.slice(stack.indexOf(id)), id];
    state.set(id, 'open');
    stack.push(id);
    for (const next of deps.get(id) ?? []) {
      if (!deps.has(next)) continue;
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const id of deps.keys()) {
    const cycle = visit(id);
    if (cycle) return cycle;
  }
  return undefined;
}

/** Proposed requirement ids that repeat, or that the KB already has with other text. */
function requirementIdProblems(proposal: Proposal, kb: Kb): KbProblem[] {
  const existing = new Map(kb.requirements.map((r) => [r.id, r]));
  const seen = new Set<string>();
  const problems: KbProblem[] = [];
  proposal.requirements.forEach((r, i) => {
    const path = `$.requirements[${i}].id`;
    const old = existing.get(r.id);
    if (seen.has(r.id))
      problems.push({ path, message: `requirement id "${r.id}" is proposed twice`, fix: 'give each requirement its own id' });
    else if (old && old.text !== r.text) {
      problems.push({
        path,
        message: `requirement ${r.id} already exists in the knowledge base with other text ("${old.text}")`,
        fix: `use a new id, or the same text to keep ${r.id} as it is`,
      });
    }
    seen.add(r.id);
  });
  return problems;
}

/** Proposed task ids that the KB already has or that repeat, and phases neither defines; per task, in order. */
function taskProblems(proposal: Proposal, kb: Kb, existingTasks: ReadonlyMap<string, Task>): KbProblem[] {
  const phaseNumbers = new Set([...kb.phases.map((p) => p.phase), ...proposal.phases.map((p) => p.phase)]);
  const seen = new Set<string>();
  const problems: KbProblem[] = [];
  proposal.tasks.forEach((t, i) => {
    if (existingTasks.has(t.task_id)) {
      problems.push({
        path: `$.tasks[${i}].task_id`,
        message: `task ${t.task_id} already exists in the knowledge base; Goldloop never overwrites a task`,
        fix: 'give the proposed task a new id, or leave it out',
      });
    } else if (seen.has(t.task_id)) {
      problems.push({
        path: `$.tasks[${i}].task_id`,
        message: `task id "${t.task_id}" is proposed twice`,
        fix: 'give each task its own id',
      });
    }
    seen.add(t.task_id);
    if (!phaseNumbers.has(t.phase))
      problems.push({
        path: `$.tasks[${i}].phase`,
        message: `phase ${t.phase} is not defined`,
        fix: `add { "phase": ${t.phase}, "name": "..." } to phases, or use a defined phase`,
      });
  });
  return problems;
}

/** Dependencies and requirement ids of proposed tasks that name nothing, in the KB or the proposal. */
function referenceProblems(proposal: Proposal, taskIds: ReadonlySet<string>, reqIds: ReadonlySet<string>): KbProblem[] {
  const problems: KbProblem[] = [];
  proposal.tasks.forEach((t, i) => {
    t.dependencies.forEach((d, j) => {
      if (!taskIds.has(d))
        problems.push({
          path: `$.tasks[${i}].dependencies[${j}]`,
          message: `"${d}" names no task (a dangling dependency)`,
          fix: `add a task ${d}, or remove the dependency`,
        });
      if (d === t.task_id)
        problems.push({
          path: `$.tasks[${i}].dependencies[${j}]`,
          message: `task ${t.task_id} depends on itself`,
          fix: 'remove the dependency',
        });
    });
    t.requirements.forEach((r, j) => {
      if (!reqIds.has(r))
        problems.push({
          path: `$.tasks[${i}].requirements[${j}]`,
          message: `requirement "${r}" does not exist`,
          fix: `add { "id": "${r}", "text": "..." } to requirements, or remove it from the task`,
        });
    });
  });
  return problems;
}

/** A dependency cycle the proposal would add (one among the KB's own tasks is not its doing). */
function cycleProblems(proposal: Proposal, existingTasks: ReadonlyMap<string, Task>): KbProblem[] {
  const deps = new Map<string, readonly string[]>([...existingTasks].map(([id, t]) => [id, t.dependencies]));
  for (const t of proposal.tasks) deps.set(t.task_id, t.dependencies);
  const cycle = findCycle(deps);
  if (!cycle || cycle.every((id) => existingTasks.has(id))) return [];
  const i = proposal.tasks.findIndex((t) => cycle.includes(t.task_id));
  return [
    {
      path: `$.tasks[${i}].dependencies`,
      message: `dependency cycle: ${cycle.join(' -> ')}`,
      fix: 'remove one of these dependencies so the tasks can be done in some order',
    },
  ];
}

/**
 * Validates a parsed proposal against the KB it would be merged into: the schema, task and
 * requirement ids that clash with the KB or each other, dependencies and requirement ids that
 * name nothing, and dependency cycles. Problems name the JSON path (in the proposal) and the fix.
 */
export function validateProposal(
  raw: unknown,
  kb: Kb,
): { proposal: Proposal; problems: [] } | { proposal?: undefined; problems: KbProblem[] } {
  const parsed = ProposalSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) {
    return { problems: parsed.error.issues.map((issue) => ({ path: jsonPath(issue.path), message: issue.message, fix: fixFor(issue) })) };
  }
  const proposal = parsed.data;
  const existingTasks = new Map(allTasks(kb).map((t) => [t.task.task_id, t.task]));
  // A proposed task may depend on, and name, what the KB has and what the proposal adds.
  const taskIds = new Set([...existingTasks.keys(), ...proposal.tasks.map((t) => t.task_id)]);
  const reqIds = new Set([...kb.requirements.map((r) => r.id), ...proposal.requirements.map((r) => r.id)]);
  const problems = [
    ...requirementIdProblems(proposal, kb),
    ...taskProblems(proposal, kb, existingTasks),
    ...referenceProblems(proposal, taskIds, reqIds),
    ...cycleProblems(proposal, existingTasks),
  ];
  return problems.length ? { problems } : { proposal, problems: [] };
}

/** What a merge added, in numbers and words. */
export interface MergeResult {
  tasks: number;
  requirements: number;
  phases: string[];
}

/**
 * Merges a valid proposal into the KB: new tasks into their priority's queue (as `ready`), new
 * requirements appended, phases added or renamed (said in `phases`). Existing tasks are untouched.
 */
export function mergeProposal(kb: Kb, proposal: Proposal, source?: string): MergeResult {
  const result: MergeResult = { tasks: 0, requirements: 0, phases: [] };
  for (const p of proposal.phases) {
    const old = kb.phases.find((x) => x.phase === p.phase);
    if (!old) {
      kb.phases.push({ ...p });
      result.phases.push(`added phase ${p.phase} ${p.name}`);
    } else if (old.name !== p.name) {
      result.phases.push(`renamed phase ${p.phase} from "${old.name}" to "${p.name}"`);
      old.name = p.name;
    }
  }
  kb.phases.sort((a, b) => a.phase - b.phase);
  const have = new Set(kb.requirements.map((r) => r.id));
  for (const r of proposal.requirements) {
    if (have.has(r.id)) continue;
    kb.requirements.push({ ...r, ...(r.source || !source ? {} : { source }) });
    result.requirements += 1;
  }
  for (const t of proposal.tasks) {
    kb.task_queue[queueFor(t.priority)].push({ ...t, status: 'ready' });
    result.tasks += 1;
  }
  return result;
}
