import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { RequirementRow, TaskRow } from '../../../electron/contract/api.ts';
import Requirements from '../../../renderer/src/components/Requirements.svelte';
import TaskQueue from '../../../renderer/src/components/TaskQueue.svelte';
import { fake, status } from './harness.ts';

const task = (over: Partial<TaskRow>): TaskRow => ({
  task_id: 'T-1',
  description: 'parse dates',
  priority: 'P1',
  phase: 1,
  status: 'ready',
  dependencies: [],
  requirements: [],
  current: false,
  ...over,
});
const phases = status().phases;
const PRIORITIES = ['P0', 'P1', 'P2'] as const;
/** The queue as the dashboard shows it: counts per priority, and the rows a page at a time from listTasks. */
async function queue(tasks: TaskRow[], locked?: string): Promise<{ container: HTMLElement }> {
  const of = (priority: string): TaskRow[] => tasks.filter((t) => t.priority === priority);
  const done = (rows: TaskRow[]): number => rows.filter((t) => t.status === 'done').length;
  // The queue asks for each priority's page (Find a task, which leaves it out, is not used here).
  fake.on('listTasks', ({ priority = 'P0' }) => ({
    priority,
    total: of(priority).length,
    done: done(of(priority)),
    from: 0,
    tasks: of(priority),
  }));
  const groups = PRIORITIES.map((priority) => ({ priority, total: of(priority).length, done: done(of(priority)) })).filter((g) => g.total);
  const view = render(TaskQueue, { projectId: 'shop', groups, phases, locked });
  await waitFor(() => expect(view.container.querySelectorAll('tr[data-task]')).toHaveLength(tasks.length));
  return view;
}

describe('TaskQueue editing', () => {
  it('adds a task from the keyboard-reachable form and sends only what the user gave', async () => {
    fake.on('editPlan', () => ({ message: 'Added T-2 (P0).' }));
    await queue([task({})]);
    await fireEvent.click(screen.getByRole('button', { name: 'Add task' }));
    // The form takes the focus: its first box.
    expect(document.activeElement).toBe(screen.getByLabelText('Task id'));
    await fireEvent.input(screen.getByLabelText('Task id'), { target: { value: 'T-2' } });
    await fireEvent.input(screen.getByLabelText('What to do'), { target: { value: 'slugify titles' } });
    await fireEvent.change(screen.getByLabelText('Priority'), { target: { value: 'P0' } });
    await fireEvent.input(screen.getByLabelText('Depends on'), { target: { value: 'T-1, ' } });
    await fireEvent.input(screen.getByLabelText('Verify command'), { target: { value: "npm test -- -t 'slug'" } });
    await fireEvent.click(screen.getByRole('button', { name: 'Add task' }));
    await waitFor(() =>
      expect(fake.callsOf('editPlan')).toEqual([
        {
          project_id: 'shop',
          edit: {
            op: 'add_task',
            task: {
              task_id: 'T-2',
              description: 'slugify titles',
              priority: 'P0',
              phase: 1,
              dependencies: ['T-1'],
              verify: ['npm', 'test', '--', '-t', 'slug'],
            },
          },
        },
      ]),
    );
    expect((await screen.findByTestId('plan-message')).textContent).toBe('Added T-2 (P0).');
    expect(screen.queryByLabelText('Task id')).toBeNull();
    // The focus goes back to where the form was opened from.
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Add task' }));
  });

  it("shows the engine's refusal beside the field it names, marks it invalid and focuses it", async () => {
    fake.refuse('editPlan', {
      code: 'bad_request',
      message: '"T-8" names no task',
      field: 'edit.changes.dependencies',
      fix: 'give the id of a task in the queue, or add T-8 first',
    });
    await queue([task({ task_id: 'T-2', dependencies: [] })]);
    await fireEvent.click(screen.getByRole('button', { name: 'Edit T-2' }));
    const deps = screen.getByLabelText('Depends on');
    await fireEvent.input(deps, { target: { value: 'T-8' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Save task' }));
    const error = await screen.findByTestId('field-error');
    expect(error.textContent).toBe('"T-8" names no task: give the id of a task in the queue, or add T-8 first');
    expect(deps.getAttribute('aria-invalid')).toBe('true');
    expect(deps.getAttribute('aria-describedby')).toContain(error.id);
    expect(document.activeElement).toBe(deps);
    // Only the changed field went to the engine.
    expect(fake.callsOf('editPlan')).toEqual([
      { project_id: 'shop', edit: { op: 'update_task', task_id: 'T-2', changes: { dependencies: ['T-8'] } } },
    ]);
  });

  it('moves a task to the next priority, reopens a done one, and removes one after asking', async () => {
    fake.on('editPlan', () => ({ message: 'ok' }));
    await queue([task({ task_id: 'T-1', priority: 'P1' }), task({ task_id: 'T-3', priority: 'P0', status: 'done' })]);
    expect((screen.getByRole('button', { name: 'T-3 has the highest priority' }) as HTMLButtonElement).disabled).toBe(true);
    await fireEvent.click(screen.getByRole('button', { name: 'Move T-1 to P0' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Reopen T-3' }));
    await fireEvent.click(screen.getByRole('button', { name: 'Remove T-1' }));
    const row = screen.getByText('Remove T-1?').closest('tr')!;
    await fireEvent.click(within(row).getByRole('button', { name: 'Remove' }));
    await waitFor(() => expect(fake.callsOf('editPlan')).toHaveLength(3));
    expect(fake.callsOf('editPlan').map((c) => (c as { edit: unknown }).edit)).toEqual([
      { op: 'update_task', task_id: 'T-1', changes: { priority: 'P0' } },
      { op: 'update_task', task_id: 'T-3', changes: { reopen: true } },
      { op: 'remove_task', task_id: 'T-1' },
    ]);
  });

  it('says why the plan cannot change while a cycle runs, with every edit switched off', async () => {
    await queue([task({})], 'Cycle 3 is running: the plan can be edited in the break after it, or once you pause the run.');
    expect(screen.getByTestId('plan-locked').textContent).toContain('Cycle 3 is running');
    expect((screen.getByRole('button', { name: 'Add task' }) as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByRole('button', { name: 'Edit T-1' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('gives every group the same columns, so the tables line up', async () => {
    const { container } = await queue([task({ task_id: 'T-1', priority: 'P0' }), task({ task_id: 'T-2', priority: 'P2' })]);
    const layouts = [...container.querySelectorAll('table')].map((t) => [...t.querySelectorAll('col')].map((c) => c.className).join(' '));
    expect(layouts).toHaveLength(2);
    expect(layouts[0]).toBe(layouts[1]);
  });
});

describe('Requirements editing', () => {
  const req = (over: Partial<RequirementRow>): RequirementRow => ({
    id: 'REQ-1',
    text: 'dates parse',
    covered: true,
    tasks: ['T-1'],
    ...over,
  });

  it('asks before removing a requirement tests cover and tasks name, saying so, and then confirms it', async () => {
    fake.on('editPlan', () => ({ message: 'Removed REQ-1; T-1 no longer name it.' }));
    render(Requirements, { projectId: 'shop', requirements: [req({}), req({ id: 'REQ-2', covered: null, tasks: [] })] });
    expect(screen.getByText('✓ covered')).toBeTruthy();
    expect(screen.getByText('not measured')).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Remove REQ-1' }));
    expect(screen.getByText('passing tests cover it and T-1 names it. Remove anyway?')).toBeTruthy();
    await fireEvent.click(screen.getByRole('button', { name: 'Remove anyway' }));
    await waitFor(() =>
      expect(fake.callsOf('editPlan')).toEqual([{ project_id: 'shop', edit: { op: 'remove_requirement', id: 'REQ-1', confirm: true } }]),
    );
    expect((await screen.findByTestId('requirements-message')).textContent).toBe('Removed REQ-1; T-1 no longer name it.');
  });

  it('adds one, and a bad id is shown under the id box', async () => {
    fake.refuse('editPlan', {
      code: 'bad_request',
      message: 'editPlan: edit.requirement.id is invalid',
      field: 'edit.requirement.id',
      fix: 'use an id such as REQ-012',
    });
    render(Requirements, { projectId: 'shop', requirements: [] });
    await fireEvent.click(screen.getByRole('button', { name: 'Add requirement' }));
    await fireEvent.input(screen.getByLabelText('Requirement id'), { target: { value: 'REQ 1' } });
    await fireEvent.input(screen.getByLabelText('What is required'), { target: { value: 'CSV export' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Add requirement' }));
    expect((await screen.findByTestId('field-error')).textContent).toBe('use an id such as REQ-012');
    expect(screen.getByLabelText('Requirement id').getAttribute('aria-invalid')).toBe('true');
  });
});
