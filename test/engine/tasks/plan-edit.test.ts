import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../../electron/contract/errors.ts';
import type { PlanEdit } from '../../../electron/contract/plan.ts';
import { editPlanFile, type PlanContext } from '../../../electron/engine/tasks/plan-edit.ts';
import { KB_BACKUP, KB_FILE } from '../../../electron/store/kb/kb-file.ts';
import { parseArgs } from '../../../electron/server/requests.ts';
import { TempDirs } from '../../helpers/temp.ts';

/** The user's plan edits on real KB files: validated as the KB is, saved with a backup, unknown fields kept. */
const temp = new TempDirs();
afterAll(() => temp.cleanup());

const nothingCovered: PlanContext = { covered: () => false };

/** A KB as a person writes it: no defaults filled in, a field Goldloop does not know, tasks in two queues. */
async function project(): Promise<string> {
  const dir = await temp.make('goldloop-plan-edit-');
  const kb = {
    project: { name: 'shop', owner: 'ana' },
    my_notes: 'keep me',
    task_queue: {
      high_priority: [
        { task_id: 'T-1', description: 'parse dates', priority: 'P0', status: 'done', requirements: ['REQ-1'], color: 'red' },
      ],
      medium_priority: [{ task_id: 'T-2', description: 'slugify', dependencies: ['T-1'] }],
    },
    requirements: [
      { id: 'REQ-1', text: 'dates parse', source: 'SPEC.md' },
      { id: 'REQ-2', text: 'slugs are lower-case' },
    ],
  };
  await writeFile(join(dir, KB_FILE), `${JSON.stringify(kb, null, 2)}\n`);
  return dir;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the file's own JSON, read as loosely as a person reads it
const file = async (dir: string): Promise<Record<string, any>> => JSON.parse(await readFile(join(dir, KB_FILE), 'utf8'));

async function refusal(dir: string, edit: PlanEdit, context = nothingCovered): Promise<ApiError['body']> {
  const before = await readFile(join(dir, KB_FILE), 'utf8');
  const error = await editPlanFile(dir, edit, context).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  // A refused edit writes nothing.
  expect(await readFile(join(dir, KB_FILE), 'utf8')).toBe(before);
  return (error as ApiError).body;
}

describe('editing the plan', () => {
  it('adds a task to its priority queue as ready, keeping every field it does not know and backing up the file', async () => {
    const dir = await project();
    const before = await readFile(join(dir, KB_FILE), 'utf8');
    const message = await editPlanFile(
      dir,
      { op: 'add_task', task: { task_id: 'T-3', description: 'export CSV', priority: 'P2', phase: 2, dependencies: ['T-2'] } },
      nothingCovered,
    );
    expect(message).toBe('Added T-3 (P2).');
    const kb = await file(dir);
    expect(kb.task_queue.low_priority).toEqual([
      { task_id: 'T-3', description: 'export CSV', priority: 'P2', phase: 2, dependencies: ['T-2'], status: 'ready' },
    ]);
    expect(kb.my_notes).toBe('keep me');
    expect(kb.project.owner).toBe('ana');
    expect(kb.task_queue.high_priority[0].color).toBe('red');
    // No defaults written into the user's file.
    expect(kb).not.toHaveProperty('autonomous_operation');
    expect(await readFile(join(dir, KB_BACKUP), 'utf8')).toBe(before);
  });

  it('moves a task between priorities, and its own priority field follows', async () => {
    const dir = await project();
    expect(await editPlanFile(dir, { op: 'update_task', task_id: 'T-1', changes: { priority: 'P2' } }, nothingCovered)).toContain(
      'moved to P2',
    );
    const kb = await file(dir);
    expect(kb.task_queue.high_priority).toEqual([]);
    expect(kb.task_queue.low_priority[0]).toMatchObject({ task_id: 'T-1', priority: 'P2', status: 'done', color: 'red' });
  });

  it('changes terms, blocks with a reason and unblocks, and removes a field given null', async () => {
    const dir = await project();
    await editPlanFile(
      dir,
      {
        op: 'update_task',
        task_id: 'T-2',
        changes: {
          description: 'slugify titles',
          acceptance: 'unicode too',
          verify: ['npm', 'test'],
          blocked_reason: 'waiting for the spec',
        },
      },
      nothingCovered,
    );
    expect((await file(dir)).task_queue.medium_priority[0]).toMatchObject({
      description: 'slugify titles',
      acceptance: 'unicode too',
      verify: ['npm', 'test'],
      blocked_reason: 'waiting for the spec',
      status: 'blocked',
    });
    await editPlanFile(dir, { op: 'update_task', task_id: 'T-2', changes: { blocked_reason: null, acceptance: null } }, nothingCovered);
    const task = (await file(dir)).task_queue.medium_priority[0];
    expect(task.status).toBe('ready');
    expect(task).not.toHaveProperty('blocked_reason');
    expect(task).not.toHaveProperty('acceptance');
  });

  it('never marks a task done: the request has no such field, and a done task can only be reopened', async () => {
    const dir = await project();
    const asked = parseArgs('editPlan', { project_id: 'shop', edit: { op: 'update_task', task_id: 'T-2', changes: { status: 'done' } } });
    expect(asked.ok).toBe(false);
    expect(!asked.ok && asked.error.fix).toContain('remove status');
    const added = parseArgs('editPlan', {
      project_id: 'shop',
      edit: { op: 'add_task', task: { task_id: 'T-9', description: 'x', priority: 'P1', status: 'done' } },
    });
    expect(added.ok).toBe(false);
    expect((await refusal(dir, { op: 'update_task', task_id: 'T-2', changes: { reopen: true } })).message).toBe(
      'T-2 is not done: there is nothing to reopen',
    );
    await editPlanFile(dir, { op: 'update_task', task_id: 'T-1', changes: { reopen: true } }, nothingCovered);
    expect((await file(dir)).task_queue.high_priority[0].status).toBe('ready');
  });

  it('refuses what the KB would not accept, naming the field: a duplicate id, a missing dependency, a cycle, an unknown requirement', async () => {
    const dir = await project();
    expect(await refusal(dir, { op: 'add_task', task: { task_id: 'T-2', description: 'again', priority: 'P1' } })).toMatchObject({
      message: 'a task T-2 already exists',
      field: 'edit.task.task_id',
    });
    expect(
      await refusal(dir, { op: 'add_task', task: { task_id: 'T-3', description: 'x', priority: 'P1', dependencies: ['T-8'] } }),
    ).toMatchObject({
      message: '"T-8" names no task',
      field: 'edit.task.dependencies',
    });
    await editPlanFile(
      dir,
      { op: 'add_task', task: { task_id: 'T-3', description: 'x', priority: 'P1', dependencies: ['T-2'] } },
      nothingCovered,
    );
    expect(await refusal(dir, { op: 'update_task', task_id: 'T-2', changes: { dependencies: ['T-1', 'T-3'] } })).toMatchObject({
      message: expect.stringMatching(/^dependency cycle: T-\d -> T-\d -> T-\d$/),
      field: 'edit.changes.dependencies',
    });
    expect(await refusal(dir, { op: 'update_task', task_id: 'T-2', changes: { requirements: ['REQ-7'] } })).toMatchObject({
      message: 'requirement "REQ-7" does not exist',
      field: 'edit.changes.requirements',
    });
    expect(await refusal(dir, { op: 'update_task', task_id: 'T-2', changes: { phase: 5 } })).toMatchObject({ field: 'edit.changes.phase' });
  });

  it('refuses to remove a task others depend on, and removes one nothing needs', async () => {
    const dir = await project();
    expect(await refusal(dir, { op: 'remove_task', task_id: 'T-1' })).toMatchObject({
      message: 'T-2 depends on T-1',
      fix: 'remove T-1 from their dependencies first',
    });
    expect(await editPlanFile(dir, { op: 'remove_task', task_id: 'T-2' }, nothingCovered)).toBe('Removed T-2.');
    expect((await file(dir)).task_queue.medium_priority).toEqual([]);
  });

  it('adds and edits requirements; removing one that tests cover or tasks name needs the user to confirm it', async () => {
    const dir = await project();
    await editPlanFile(dir, { op: 'add_requirement', requirement: { id: 'REQ-3', text: 'CSV has a header' } }, nothingCovered);
    await editPlanFile(dir, { op: 'update_requirement', id: 'REQ-1', changes: { text: 'ISO dates parse', source: null } }, nothingCovered);
    expect((await file(dir)).requirements).toEqual([
      { id: 'REQ-1', text: 'ISO dates parse' },
      { id: 'REQ-2', text: 'slugs are lower-case' },
      { id: 'REQ-3', text: 'CSV has a header' },
    ]);
    expect(await refusal(dir, { op: 'add_requirement', requirement: { id: 'REQ-3', text: 'again' } })).toMatchObject({
      field: 'edit.requirement.id',
    });

    const covered: PlanContext = { covered: (id) => id === 'REQ-2' };
    expect(await refusal(dir, { op: 'remove_requirement', id: 'REQ-2' }, covered)).toMatchObject({
      message: 'REQ-2 is in use: passing tests cover it',
      field: 'edit.confirm',
    });
    expect(await refusal(dir, { op: 'remove_requirement', id: 'REQ-1' })).toMatchObject({ message: 'REQ-1 is in use: T-1 name it' });
    expect(await editPlanFile(dir, { op: 'remove_requirement', id: 'REQ-1', confirm: true }, nothingCovered)).toBe(
      'Removed REQ-1; T-1 no longer name it.',
    );
    const kb = await file(dir);
    expect(kb.task_queue.high_priority[0].requirements).toEqual([]);
    expect(kb.requirements.map((r: { id: string }) => r.id)).toEqual(['REQ-2', 'REQ-3']);
    // One nothing uses goes without a question.
    expect(await editPlanFile(dir, { op: 'remove_requirement', id: 'REQ-3' }, covered)).toBe('Removed REQ-3.');
  });

  it('never writes over a KB that does not parse', async () => {
    const dir = await project();
    await writeFile(join(dir, KB_FILE), '{ "task_queue": ');
    await expect(editPlanFile(dir, { op: 'remove_task', task_id: 'T-2' }, nothingCovered)).rejects.toThrow(/not a valid knowledge base/);
    expect(await readFile(join(dir, KB_FILE), 'utf8')).toBe('{ "task_queue": ');
  });
});
