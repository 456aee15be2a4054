import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KbSchema, type KbInput } from '../../../electron/store/kb/schema.ts';
import { findPlanDocuments } from '../../../electron/engine/plan/documents.ts';
import { validateDrafts } from '../../../electron/engine/plan/holdout-drafts.ts';
import { findCycle, mergeProposal, validateProposal } from '../../../electron/engine/plan/proposal.ts';

const kbWith = (input: KbInput = {}) => KbSchema.parse(input);
const task = (id: string, extra: object = {}) => ({
  task_id: id,
  description: id,
  priority: 'P1',
  phase: 1,
  dependencies: [],
  requirements: [],
  ...extra,
});
const problemsOf = (raw: unknown, kb = kbWith()) => validateProposal(raw, kb).problems;

describe('a plan proposal', () => {
  it('is valid with phases, requirements and tasks that reference each other', () => {
    const raw = {
      phases: [{ phase: 1, name: 'Checkout' }],
      requirements: [{ id: 'REQ-001', text: 'pay' }],
      tasks: [task('A', { requirements: ['REQ-001'] }), task('B', { dependencies: ['A'], priority: 'P0' })],
    };
    expect(validateProposal(raw, kbWith()).proposal?.tasks.map((t) => t.status)).toEqual(['ready', 'ready']);
  });

  it('rejects a dependency cycle, naming the path and the fix', () => {
    const problems = problemsOf({ tasks: [task('A', { dependencies: ['B'] }), task('B', { dependencies: ['A'] })] });
    expect(problems).toEqual([
      {
        path: '$.tasks[0].dependencies',
        message: 'dependency cycle: A -> B -> A',
        fix: expect.stringContaining('remove one of these dependencies'),
      },
    ]);
  });

  it('rejects a dangling dependency and an unknown requirement id', () => {
    const problems = problemsOf({ tasks: [task('A', { dependencies: ['GHOST'], requirements: ['REQ-404'] })] });
    expect(problems).toEqual([
      {
        path: '$.tasks[0].dependencies[0]',
        message: '"GHOST" names no task (a dangling dependency)',
        fix: 'add a task GHOST, or remove the dependency',
      },
      {
        path: '$.tasks[0].requirements[0]',
        message: 'requirement "REQ-404" does not exist',
        fix: expect.stringContaining('add { "id": "REQ-404"'),
      },
    ]);
  });

  it('may depend on tasks and name requirements the KB already has', () => {
    const kb = kbWith({ task_queue: { high_priority: [{ task_id: 'OLD' }] }, requirements: [{ id: 'REQ-001', text: 'x' }] });
    expect(problemsOf({ tasks: [task('NEW', { dependencies: ['OLD'], requirements: ['REQ-001'] })] }, kb)).toEqual([]);
  });

  it('refuses a task id the KB already has, and a requirement id with other text', () => {
    const kb = kbWith({ task_queue: { high_priority: [{ task_id: 'OLD' }] }, requirements: [{ id: 'REQ-001', text: 'x' }] });
    const problems = problemsOf({ requirements: [{ id: 'REQ-001', text: 'y' }], tasks: [task('OLD')] }, kb);
    expect(problems.map((p) => p.path)).toEqual(['$.requirements[0].id', '$.tasks[0].task_id']);
    expect(problems[1]!.message).toContain('task OLD already exists in the knowledge base; Goldloop never overwrites a task');
  });

  it('reports schema problems with their JSON path: a missing priority, a done task, a bad requirement id', () => {
    const problems = problemsOf({ requirements: [{ id: 'nope' }], tasks: [{ task_id: 'A', phase: 1 }, task('B', { status: 'done' })] });
    expect(problems.map((p) => p.path).sort()).toEqual(['$.requirements[0].id', '$.tasks[0].priority', '$.tasks[1].status']);
    expect(problems.find((p) => p.path === '$.tasks[0].priority')?.fix).toContain('add the field');
  });

  it('refuses a held-out draft for no requirement, with a folder in its name, or drafted twice', () => {
    const draft = (requirement: string, file: string) => ({ requirement, file, content: 'test' });
    const kb = kbWith({ requirements: [{ id: 'REQ-001', text: 'pay' }] });
    const problems = validateDrafts([draft('REQ-001', 'pay.test.js'), draft('REQ-001', '../escape.js')], kb).problems;
    expect(problems.map((p) => p.path)).toEqual(['$[1].file']);
    const dup = validateDrafts([draft('REQ-001', 'pay.test.js'), draft('REQ-009', 'pay.test.js')], kb);
    expect(dup.problems.map((p) => [p.path, p.message])).toEqual([
      ['$[1].requirement', 'requirement "REQ-009" does not exist'],
      ['$[1].file', 'pay.test.js is drafted twice'],
    ]);
    expect(dup.drafts).toEqual([]);
  });

  it('merges new tasks into their priority queue and renames phases, saying so', () => {
    const kb = kbWith({ task_queue: { high_priority: [{ task_id: 'OLD' }] } });
    const { proposal } = validateProposal(
      {
        phases: [{ phase: 1, name: 'Checkout' }],
        requirements: [{ id: 'REQ-001', text: 'pay' }],
        tasks: [task('P', { priority: 'P0' }), task('Q', { priority: 'P2' })],
      },
      kb,
    );
    const result = mergeProposal(kb, proposal!, 'SPEC.md');
    expect(result).toEqual({ tasks: 2, requirements: 1, phases: ['renamed phase 1 from "Core Features" to "Checkout"'] });
    expect(kb.task_queue.high_priority.map((t) => t.task_id)).toEqual(['OLD', 'P']);
    expect(kb.task_queue.low_priority.map((t) => t.task_id)).toEqual(['Q']);
    expect(kb.requirements).toEqual([{ id: 'REQ-001', text: 'pay', source: 'SPEC.md' }]);
    expect(() => KbSchema.parse(kb)).not.toThrow();
  });

  it('finds cycles only where there are some', () => {
    expect(
      findCycle(
        new Map([
          ['A', ['B']],
          ['B', ['C']],
          ['C', []],
        ]),
      ),
    ).toBeUndefined();
    expect(
      findCycle(
        new Map([
          ['A', ['B']],
          ['B', ['C']],
          ['C', ['B']],
        ]),
      ),
    ).toEqual(['B', 'C', 'B']);
  });
});

describe('planning documents', () => {
  const dirs: string[] = [];
  afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

  it('are found by name (SPEC*, PRD*, ARCHITECTURE*, docs/*.md) and by --doc', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'goldloop-plan-docs-'));
    dirs.push(dir);
    await mkdir(join(dir, 'docs'));
    for (const f of ['SPEC.md', 'prd-v2.md', 'Architecture.txt', 'README.md', 'docs/api.md', 'docs/diagram.png', 'notes.txt'])
      await writeFile(join(dir, f), 'x');
    expect(await findPlanDocuments(dir, ['notes.txt'])).toEqual(['Architecture.txt', 'SPEC.md', 'docs/api.md', 'notes.txt', 'prd-v2.md']);
    await expect(findPlanDocuments(dir, ['missing.md'])).rejects.toThrow('--doc missing.md: no such file');
  });
});
