import { fireEvent, render, screen, within } from '@testing-library/svelte';
import { describe, expect, it, vi } from 'vitest';
import type { ApiArgs, Priority, TaskGroupCount, TaskPage, TaskRow } from '../../../electron/contract/api.ts';
import TaskQueue from '../../../renderer/src/components/TaskQueue.svelte';
import { fake } from './harness.ts';

const PRIORITIES: Priority[] = ['P0', 'P1', 'P2'];
/** 10,000 tasks: TASK_i has priority i % 3, every fifth is done; each priority in id order. */
const TASKS: TaskRow[] = Array.from({ length: 10_000 }, (_, k) => ({
  task_id: `TASK_${k + 1}`,
  description: `Task ${k + 1}`,
  priority: PRIORITIES[(k + 1) % 3]!,
  phase: 1,
  status: (k + 1) % 5 === 0 ? 'done' : 'ready',
  dependencies: [],
  requirements: [],
  current: false,
}));
const GROUPS: TaskGroupCount[] = PRIORITIES.map((priority) => {
  const rows = TASKS.filter((t) => t.priority === priority);
  return { priority, total: rows.length, done: rows.filter((t) => t.status === 'done').length };
});

/** Answers as the engine does: one priority's rows, `from` in, at most `limit`; or the page holding `task_id`. */
function page(a: ApiArgs['listTasks']): TaskPage {
  const priority = a.priority ?? TASKS.find((t) => t.task_id === a.task_id)?.priority;
  if (!priority) throw { error: { code: 'not_found', message: `no task ${a.task_id} in the queue`, field: 'task_id' } };
  const rows = TASKS.filter((t) => t.priority === priority);
  const limit = a.limit ?? 100;
  let from = a.from ?? 0;
  if (a.task_id) {
    const at = rows.findIndex((t) => t.task_id === a.task_id);
    if (at < 0) throw { error: { code: 'not_found', message: `no ${priority} task ${a.task_id}`, field: 'task_id' } };
    from = Math.floor(at / limit) * limit;
  }
  const done = rows.filter((t) => t.status === 'done').length;
  return { priority, total: rows.length, done, from, tasks: rows.slice(from, from + limit) };
}

const shown = (priority: Priority): string[] =>
  within(screen.getByTestId(`queue-${priority}`))
    .getAllByRole('row')
    .flatMap((r) => r.getAttribute('data-task') ?? []);

describe('TaskQueue', () => {
  it('shows a queue of 10,000 tasks by its counts and a page of each priority, and pages to the end', async () => {
    fake.on('listTasks', page);
    render(TaskQueue, { projectId: 'shop', groups: GROUPS, next: 'TASK_3' });
    expect(screen.getByTestId('queue-count').textContent).toBe('10000 tasks');
    expect(screen.getByText('P1 — medium priority').textContent).toContain('(667/3334 done)');
    await vi.waitFor(() => expect(shown('P0')).toHaveLength(50));
    expect(shown('P0')[0]).toBe('TASK_3');
    expect(document.querySelector('tr[data-task="TASK_3"]')!.textContent).toContain('next');
    expect(screen.getByTestId('queue-range-P2').textContent).toBe('1–50 of 3333');
    expect(document.querySelectorAll('.queue tr[data-task]')).toHaveLength(150);

    const pager = screen.getByRole('group', { name: 'P2 task pages' });
    await fireEvent.click(within(pager).getByRole('button', { name: 'Last' }));
    await vi.waitFor(() => expect(shown('P2').at(-1)).toBe('TASK_9998'));
    expect(screen.getByTestId('queue-range-P2').textContent).toBe('3301–3333 of 3333');
    expect((within(pager).getByRole('button', { name: 'Next' }) as HTMLButtonElement).disabled).toBe(true);
    await fireEvent.click(within(pager).getByRole('button', { name: 'Previous' }));
    await vi.waitFor(() => expect(screen.getByTestId('queue-range-P2').textContent).toBe('3251–3300 of 3333'));
  });

  it('finds a task far down by its id, shows its page and gives its row the focus', async () => {
    fake.on('listTasks', page);
    render(TaskQueue, { projectId: 'shop', groups: GROUPS });
    await vi.waitFor(() => expect(shown('P1')).toHaveLength(50));
    await fireEvent.input(screen.getByLabelText('Find a task'), { target: { value: 'TASK_9997' } });
    await fireEvent.submit(screen.getByRole('button', { name: 'Show' }).closest('form')!);
    await vi.waitFor(() => expect(document.activeElement?.getAttribute('data-task')).toBe('TASK_9997'));
    expect(shown('P1')).toContain('TASK_9997');
    expect(document.activeElement!.classList.contains('found')).toBe(true);
    // One request, for whichever priority holds it: no refused look-ups in the other priorities.
    expect(fake.callsOf('listTasks').filter((a) => (a as ApiArgs['listTasks']).task_id)).toEqual([
      { project_id: 'shop', limit: 50, task_id: 'TASK_9997' },
    ]);

    await fireEvent.input(screen.getByLabelText('Find a task'), { target: { value: 'TASK_0' } });
    await fireEvent.submit(screen.getByRole('button', { name: 'Show' }).closest('form')!);
    expect((await screen.findByRole('status')).textContent).toBe('No task TASK_0 in the queue.');
  });

  it('shows the pages read again all at once: a moved task never stands in two priorities', async () => {
    const tasks: TaskRow[] = [
      { ...TASKS[0]!, task_id: 'T-1', priority: 'P0' },
      { ...TASKS[0]!, task_id: 'T-90', priority: 'P1' },
    ];
    const groups = (): TaskGroupCount[] =>
      (['P0', 'P1'] as const).map((priority) => ({ priority, total: tasks.filter((t) => t.priority === priority).length, done: 0 }));
    const hold: { p1?: Promise<void> } = {};
    fake.on('listTasks', async (a) => {
      const rows = tasks.filter((t) => t.priority === a.priority);
      const answer = { priority: a.priority!, total: rows.length, done: 0, from: 0, tasks: rows };
      if (a.priority === 'P1' && hold.p1) await hold.p1;
      return answer;
    });
    const view = render(TaskQueue, { projectId: 'shop', groups: groups(), version: 'a' });
    await vi.waitFor(() => expect(shown('P1')).toEqual(['T-90']));

    // T-90 moves to P0; P0's new page answers at once, P1's only later.
    let release = (): void => {};
    hold.p1 = new Promise((resolve) => (release = resolve));
    tasks[1] = { ...tasks[1]!, priority: 'P0' };
    await view.rerender({ projectId: 'shop', groups: groups(), version: 'b' });
    await vi.waitFor(() => expect(fake.callsOf('listTasks')).toHaveLength(4));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(shown('P0')).toEqual(['T-1']);
    expect(shown('P1')).toEqual(['T-90']);

    release();
    await vi.waitFor(() => expect(shown('P0')).toEqual(['T-1', 'T-90']));
    expect(document.querySelectorAll('tr[data-task="T-90"]')).toHaveLength(1);
  });

  it('reads the pages shown again when the queue changed, not on every push', async () => {
    fake.on('listTasks', page);
    const view = render(TaskQueue, { projectId: 'shop', groups: GROUPS, version: 'a' });
    await vi.waitFor(() => expect(fake.callsOf('listTasks')).toHaveLength(3));
    await view.rerender({ projectId: 'shop', groups: GROUPS.map((g) => ({ ...g })), version: 'a' });
    await view.rerender({ projectId: 'shop', groups: GROUPS, version: 'b' });
    await vi.waitFor(() => expect(fake.callsOf('listTasks')).toHaveLength(6));
  });
});
