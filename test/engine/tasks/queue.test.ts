import { describe, expect, it } from 'vitest';
import { KbSchema, type Kb, type KbInput } from '../../../electron/store/kb/schema.ts';
import {
  allTasks,
  blockedReason,
  byId,
  dependencyProblems,
  findTask,
  phaseProgress,
  selectNext,
  type Gaps,
  type Selection,
} from '../../../electron/engine/tasks/queue.ts';

type TaskIn = NonNullable<NonNullable<KbInput['task_queue']>['high_priority']>[number];

const kbOf = (queues: { high?: TaskIn[]; medium?: TaskIn[]; low?: TaskIn[] }, extra: KbInput = {}): Kb =>
  KbSchema.parse({
    ...extra,
    task_queue: { high_priority: queues.high ?? [], medium_priority: queues.medium ?? [], low_priority: queues.low ?? [] },
  });

const t = (task_id: string, more: Partial<TaskIn> = {}): TaskIn => ({ task_id, ...more });

const noGaps: Gaps = { uncoveredRequirements: [], failingGates: [] };

/** The id of the selected task, or the selection's kind when it is not a task. */
const picked = (s: Selection): string => (s.kind === 'task' ? s.task.task.task_id : s.kind);

describe('selectNext: tasks, in the operating document order', () => {
  it('takes a ready P0 before P1 and P2', () => {
    const kb = kbOf({ high: [t('H')], medium: [t('M')], low: [t('L')] });
    expect(picked(selectNext(kb, noGaps))).toBe('H');
  });

  it('takes P1 when no P0 is ready', () => {
    const kb = kbOf({ high: [t('H', { status: 'done' })], medium: [t('M')], low: [t('L')] });
    expect(picked(selectNext(kb, noGaps))).toBe('M');
  });

  it('takes P2 when no P0 or P1 is ready', () => {
    const kb = kbOf({ medium: [t('M', { status: 'done' })], low: [t('L')] });
    expect(picked(selectNext(kb, noGaps))).toBe('L');
  });

  it("orders by the task's own priority, not by the queue it sits in", () => {
    const kb = kbOf({ high: [t('IN_HIGH', { priority: 'P2' })], low: [t('IN_LOW', { priority: 'P0' })] });
    const selection = selectNext(kb, noGaps);
    expect(picked(selection)).toBe('IN_LOW');
    expect(selection.kind === 'task' && selection.task).toMatchObject({ priority: 'P0', queue: 'low_priority', index: 0 });
  });

  it("gives a task without priority its queue's priority", () => {
    const kb = kbOf({ medium: [t('M')], low: [t('L', { priority: 'P1' })], high: [t('H', { priority: 'P2' })] });
    expect(allTasks(kb).map((q) => [q.task.task_id, q.priority])).toEqual([
      ['H', 'P2'],
      ['M', 'P1'],
      ['L', 'P1'],
    ]);
  });

  it('skips a task whose dependencies are not done', () => {
    const kb = kbOf({ high: [t('P0_WAITS', { dependencies: ['BASE'] })], low: [t('BASE')] });
    expect(picked(selectNext(kb, noGaps))).toBe('BASE');
  });

  it('takes a task once all its dependencies are done', () => {
    const kb = kbOf({
      high: [t('P0_WAITS', { dependencies: ['A', 'B'] })],
      low: [t('A', { status: 'done' }), t('B', { status: 'done' }), t('C')],
    });
    expect(picked(selectNext(kb, noGaps))).toBe('P0_WAITS');
  });

  it('does not take a task while only some of its dependencies are done', () => {
    const kb = kbOf({
      high: [t('P0_WAITS', { dependencies: ['A', 'B'] })],
      low: [t('A', { status: 'done' }), t('B', { status: 'in_progress' })],
    });
    expect(picked(selectNext(kb, noGaps))).toBe('B');
  });

  it('takes a task marked blocked (the document status for waiting) once its dependencies are done', () => {
    const kb = kbOf({
      high: [t('TASK_001', { status: 'done' })],
      medium: [t('TASK_002', { status: 'blocked', dependencies: ['TASK_001'] })],
    });
    expect(picked(selectNext(kb, noGaps))).toBe('TASK_002');
  });

  it('breaks a priority tie by fewest dependencies', () => {
    const kb = kbOf({
      high: [t('A_TWO', { dependencies: ['D1', 'D2'] }), t('B_ONE', { dependencies: ['D1'] }), t('Z_NONE')],
      low: [t('D1', { status: 'done' }), t('D2', { status: 'done' })],
    });
    expect(picked(selectNext(kb, noGaps))).toBe('Z_NONE');
  });

  it('prefers one dependency over two when neither task is free of them', () => {
    const kb = kbOf({
      high: [t('A_TWO', { dependencies: ['D1', 'D2'] }), t('B_ONE', { dependencies: ['D1'] })],
      low: [t('D1', { status: 'done' }), t('D2', { status: 'done' })],
    });
    expect(picked(selectNext(kb, noGaps))).toBe('B_ONE');
  });

  it('breaks a remaining tie by id in numeric order: TASK_2 before TASK_10', () => {
    const kb = kbOf({ high: [t('TASK_10'), t('TASK_2'), t('TASK_11')] });
    expect(picked(selectNext(kb, noGaps))).toBe('TASK_2');
  });

  it('breaks a tie by id regardless of the queue order', () => {
    const kb = kbOf({ high: [t('TASK_B', { priority: 'P1' })], medium: [t('TASK_A')] });
    expect(picked(selectNext(kb, noGaps))).toBe('TASK_A');
  });

  it('can select a task that is in progress (an interrupted cycle resumes it)', () => {
    const kb = kbOf({ high: [t('RUNNING', { status: 'in_progress' })], medium: [t('NEXT')] });
    expect(picked(selectNext(kb, noGaps))).toBe('RUNNING');
  });

  it('never selects a done task', () => {
    const kb = kbOf({ high: [t('DONE', { status: 'done' })], low: [t('OPEN')] });
    expect(picked(selectNext(kb, noGaps))).toBe('OPEN');
  });

  it('never selects a task with a blocked_reason', () => {
    const kb = kbOf({ high: [t('MANUAL', { blocked_reason: 'needs an API key from the user' })], low: [t('OPEN')] });
    expect(picked(selectNext(kb, noGaps))).toBe('OPEN');
  });

  it('picks a task before any measured gap', () => {
    const kb = kbOf({ low: [t('L')] });
    const gaps: Gaps = {
      uncoveredRequirements: ['REQ-1'],
      coverage: { value: 10, threshold: 80, files: [] },
      failingGates: [{ gate: 'tests', detail: 'x' }],
    };
    expect(picked(selectNext(kb, gaps))).toBe('L');
  });
});

describe('selectNext: gaps once no task is ready', () => {
  const allGaps: Gaps = {
    uncoveredRequirements: ['REQ-002', 'REQ-005'],
    coverage: { value: 61.5, threshold: 80, files: ['src/a.ts'] },
    failingGates: [
      { gate: 'tests', detail: 'failing: x' },
      { gate: 'blockers', detail: 'y' },
    ],
  };

  it('turns to the uncovered requirements first', () => {
    expect(selectNext(kbOf({}), allGaps)).toEqual({ kind: 'requirement_gap', requirements: ['REQ-002', 'REQ-005'] });
  });

  it('returns a copy of the requirement list', () => {
    const gaps: Gaps = { ...allGaps, uncoveredRequirements: ['REQ-1'] };
    const selection = selectNext(kbOf({}), gaps);
    gaps.uncoveredRequirements.push('REQ-2');
    expect(selection).toEqual({ kind: 'requirement_gap', requirements: ['REQ-1'] });
  });

  it('then to coverage below the threshold, with the files', () => {
    expect(selectNext(kbOf({}), { ...allGaps, uncoveredRequirements: [] })).toEqual({
      kind: 'coverage_gap',
      value: 61.5,
      threshold: 80,
      files: ['src/a.ts'],
    });
  });

  it('does not treat coverage at the threshold as a gap', () => {
    const gaps: Gaps = { uncoveredRequirements: [], coverage: { value: 80, threshold: 80, files: ['src/a.ts'] }, failingGates: [] };
    expect(selectNext(kbOf({}), gaps)).toEqual({ kind: 'complete' });
  });

  it('treats coverage just below the threshold as a gap', () => {
    const gaps: Gaps = { uncoveredRequirements: [], coverage: { value: 79.99, threshold: 80, files: [] }, failingGates: [] };
    expect(selectNext(kbOf({}), gaps).kind).toBe('coverage_gap');
  });

  it('then to the first other failing gate', () => {
    expect(selectNext(kbOf({}), { ...allGaps, uncoveredRequirements: [], coverage: undefined })).toEqual({
      kind: 'gate_gap',
      gate: 'tests',
      detail: 'failing: x',
    });
  });

  it('moves past coverage that meets the threshold to the failing gates', () => {
    const gaps: Gaps = {
      uncoveredRequirements: [],
      coverage: { value: 95, threshold: 80, files: [] },
      failingGates: [{ gate: 'blockers', detail: 'TASK_9 (open P0)' }],
    };
    expect(selectNext(kbOf({}), gaps)).toEqual({ kind: 'gate_gap', gate: 'blockers', detail: 'TASK_9 (open P0)' });
  });

  it('is complete when every task is done and nothing is measured missing', () => {
    const kb = kbOf({ high: [t('A', { status: 'done' })], low: [t('B', { status: 'done' })] });
    expect(selectNext(kb, noGaps)).toEqual({ kind: 'complete' });
  });

  it('is complete for an empty queue without gaps', () => {
    expect(selectNext(kbOf({}), noGaps)).toEqual({ kind: 'complete' });
  });
});

describe('selectNext: stuck', () => {
  it('names a dependency cycle instead of looping on it', () => {
    const kb = kbOf({ high: [t('A', { dependencies: ['B'] }), t('B', { dependencies: ['A'] })] });
    const selection = selectNext(kb, noGaps);
    expect(selection.kind).toBe('stuck');
    if (selection.kind !== 'stuck') return;
    expect(selection.problems.map((p) => p.message)).toEqual(['dependency cycle: A -> B -> A']);
    expect(selection.waiting).toEqual(['A', 'B']);
  });

  it('names a missing dependency by its id', () => {
    const kb = kbOf({ medium: [t('TASK_7', { dependencies: ['TASK_GHOST'] })] });
    const selection = selectNext(kb, noGaps);
    expect(selection).toEqual({
      kind: 'stuck',
      waiting: ['TASK_7'],
      problems: [
        { kind: 'missing', ids: ['TASK_7', 'TASK_GHOST'], message: 'TASK_7 depends on TASK_GHOST, which is not in the task queue' },
      ],
    });
  });

  it('is stuck, not complete, when the only open task has a blocked_reason', () => {
    const kb = kbOf({ high: [t('MANUAL', { blocked_reason: 'waiting for the user' })], low: [t('X', { status: 'done' })] });
    expect(selectNext(kb, noGaps)).toEqual({ kind: 'stuck', problems: [], waiting: ['MANUAL'] });
  });

  it('lists tasks waiting on a stuck task as waiting too', () => {
    const kb = kbOf({ high: [t('A', { dependencies: ['A'] })], low: [t('LATER', { dependencies: ['A'] })] });
    const selection = selectNext(kb, noGaps);
    expect(selection.kind === 'stuck' && selection.waiting).toEqual(['A', 'LATER']);
  });

  it('still works on measured gaps before reporting stuck tasks', () => {
    const kb = kbOf({ high: [t('A', { dependencies: ['B'] }), t('B', { dependencies: ['A'] })] });
    expect(selectNext(kb, { uncoveredRequirements: ['REQ-3'], failingGates: [] }).kind).toBe('requirement_gap');
  });
});

describe('dependencyProblems', () => {
  it('finds nothing in a valid plan', () => {
    const kb = kbOf({ high: [t('A')], medium: [t('B', { dependencies: ['A'] })], low: [t('C', { dependencies: ['A', 'B'] })] });
    expect(dependencyProblems(kb)).toEqual([]);
  });

  it('reports a two-task cycle once, in order', () => {
    const kb = kbOf({ high: [t('A', { dependencies: ['B'] }), t('B', { dependencies: ['A'] })] });
    expect(dependencyProblems(kb)).toEqual([{ kind: 'cycle', ids: ['A', 'B'], message: 'dependency cycle: A -> B -> A' }]);
  });

  it('reports a three-task cycle once', () => {
    const kb = kbOf({ low: [t('X', { dependencies: ['Y'] }), t('Y', { dependencies: ['Z'] }), t('Z', { dependencies: ['X'] })] });
    const problems = dependencyProblems(kb);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.message).toBe('dependency cycle: X -> Y -> Z -> X');
  });

  it('reports a task that depends on itself', () => {
    const kb = kbOf({ low: [t('SELF', { dependencies: ['SELF'] })] });
    expect(dependencyProblems(kb)).toEqual([{ kind: 'cycle', ids: ['SELF'], message: 'dependency cycle: SELF -> SELF' }]);
  });

  it('reports two cycles that share a task separately', () => {
    const kb = kbOf({ high: [t('A', { dependencies: ['B'] }), t('B', { dependencies: ['A', 'C'] }), t('C', { dependencies: ['B'] })] });
    expect(
      dependencyProblems(kb)
        .map((p) => p.message)
        .sort(),
    ).toEqual(['dependency cycle: A -> B -> A', 'dependency cycle: B -> C -> B']);
  });

  it('ignores a cycle through a done task', () => {
    const kb = kbOf({ high: [t('A', { dependencies: ['B'] }), t('B', { dependencies: ['A'], status: 'done' })] });
    expect(dependencyProblems(kb)).toEqual([]);
  });

  it('reports every missing dependency', () => {
    const kb = kbOf({ high: [t('A', { dependencies: ['NOPE_1', 'NOPE_2'] })], low: [t('B', { dependencies: ['NOPE_1'] })] });
    expect(dependencyProblems(kb).map((p) => p.ids)).toEqual([
      ['A', 'NOPE_1'],
      ['A', 'NOPE_2'],
      ['B', 'NOPE_1'],
    ]);
  });
});

describe('blockedReason', () => {
  it('names the open dependencies', () => {
    const kb = kbOf({ high: [t('A', { dependencies: ['B', 'C'] })], low: [t('B'), t('C', { status: 'done' })] });
    expect(blockedReason(kb, findTask(kb, 'A')!.task)).toBe('waiting for B');
  });

  it('prefers the manual reason', () => {
    const kb = kbOf({ high: [t('A', { blocked_reason: 'needs credentials', dependencies: ['B'] })], low: [t('B')] });
    expect(blockedReason(kb, findTask(kb, 'A')!.task)).toBe('needs credentials');
  });

  it('is undefined for a done task and for a ready one', () => {
    const kb = kbOf({ high: [t('A', { status: 'done', blocked_reason: 'old' }), t('B')] });
    expect(blockedReason(kb, findTask(kb, 'A')!.task)).toBeUndefined();
    expect(blockedReason(kb, findTask(kb, 'B')!.task)).toBeUndefined();
  });
});

describe('phaseProgress', () => {
  it('counts done/total per phase, including phases without tasks', () => {
    const kb = kbOf({
      high: [t('A', { phase: 1, status: 'done' }), t('B', { phase: 1 })],
      low: [t('C', { phase: 3, status: 'done' })],
    });
    expect(phaseProgress(kb)).toEqual([
      { phase: 1, name: 'Core Features', done: 1, total: 2 },
      { phase: 2, name: 'Advanced Features', done: 0, total: 0 },
      { phase: 3, name: 'Enterprise Features', done: 1, total: 1 },
      { phase: 4, name: 'Optimization', done: 0, total: 0 },
    ]);
  });

  it('counts a task without a phase toward Phase 1', () => {
    const kb = kbOf({ medium: [t('NO_PHASE', { status: 'done' })] });
    expect(phaseProgress(kb)[0]).toEqual({ phase: 1, name: 'Core Features', done: 1, total: 1 });
  });

  it('adds a phase a task uses that the KB does not name', () => {
    const kb = kbOf({ high: [t('A', { phase: 4 })] }, { phases: [{ phase: 1, name: 'MVP' }] });
    expect(phaseProgress(kb)).toEqual([
      { phase: 1, name: 'MVP', done: 0, total: 0 },
      { phase: 4, name: 'Phase 4', done: 0, total: 1 },
    ]);
  });

  it('lists the phases in order whatever order the KB names them in', () => {
    const kb = kbOf(
      {},
      {
        phases: [
          { phase: 3, name: 'C' },
          { phase: 1, name: 'A' },
        ],
      },
    );
    expect(phaseProgress(kb).map((r) => r.phase)).toEqual([1, 3]);
  });
});

describe('byId', () => {
  it('orders ids by the value of their numbers, then without regard to case, and never ties two different ids', () => {
    const ids = ['TASK_10', 'TASK_2', 'task_3', 'TASK_007', 'TASK_7', 'BUG-1', 'TASK_1b', 'TASK_1a', 'TASK_1', 'TASK', '42', '9'];
    expect([...ids].sort(byId)).toEqual([
      '9',
      '42',
      'BUG-1',
      'TASK',
      'TASK_1',
      'TASK_1a',
      'TASK_1b',
      'TASK_2',
      'task_3',
      'TASK_007',
      'TASK_7',
      'TASK_10',
    ]);
    expect(byId('TASK_007', 'TASK_7')).not.toBe(0);
    expect(byId('TASK_7', 'TASK_007')).toBe(-byId('TASK_007', 'TASK_7'));
    expect(byId('TASK_99999999999999999999', 'TASK_100000000000000000000')).toBeLessThan(0);
    expect(byId('T-1', 'T-1')).toBe(0);
  });

  it('agrees with a numeric collator on the ids plans use', () => {
    const collator = new Intl.Collator('en', { numeric: true });
    const ids = Array.from({ length: 300 }, (_, i) => [`TASK_${i}`, `TASK_${String(i).padStart(3, '0')}x`, `REQ-${i % 17}-${i}`][i % 3]!);
    const sign = (n: number): number => Math.sign(n);
    for (let i = 0; i < ids.length; i += 7)
      for (let j = 0; j < ids.length; j += 5)
        expect(sign(byId(ids[i]!, ids[j]!)), `${ids[i]} / ${ids[j]}`).toBe(sign(collator.compare(ids[i]!, ids[j]!)));
  });
});
