/**
 * A big project through the API: 10,000 tasks and 1,000 cycles cost the page asked for, not the
 * whole KB or history. The project's view carries the counts and the current and next task; the
 * queue comes a page at a time (listTasks), the trends as a bounded summary (getTrends).
 */
import { appendFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { initRepository } from '../../electron/platform/git.ts';
import { ApiError } from '../../electron/server/supervisor.ts';
import { historyPath } from '../../electron/store/history.ts';
import { saveKb } from '../../electron/store/kb/kb-file.ts';
import { KbSchema, type KbInput } from '../../electron/store/kb/schema.ts';
import { madeUpCycle } from '../helpers/made-up-cycles.ts';
import { writeMadeUpHistory } from '../helpers/history.ts';
import { useSupervisors } from '../helpers/supervisors.ts';

const { temp, supervisor } = useSupervisors();

/** Tasks TASK_1..TASK_n: priority by i % 3 (P1, P2, P0), every fifth done, phase (i % 4) + 1. */
function kb(n: number): KbInput {
  const names = ['high_priority', 'medium_priority', 'low_priority'] as const;
  const queues: Record<string, unknown[]> = { high_priority: [], medium_priority: [], low_priority: [] };
  for (let i = 1; i <= n; i++) {
    queues[names[i % 3]!]!.push({
      task_id: `TASK_${i}`,
      description: `Task ${i}`,
      priority: (['P0', 'P1', 'P2'] as const)[i % 3],
      phase: (i % 4) + 1,
      status: i % 5 === 0 ? 'done' : 'ready',
    });
  }
  return { task_queue: queues as KbInput['task_queue'], agent: { type: 'command', command: ['true'] } };
}

async function bigProject(tasks: number): Promise<string> {
  const dir = await temp.make('goldloop-big-');
  await initRepository(dir);
  await saveKb(dir, KbSchema.parse(kb(tasks)));
  return dir;
}

describe('a project of 10,000 tasks', () => {
  it('is listed with its counts and only its next task, and its queue is read a page at a time', async () => {
    const s = await supervisor();
    const { project } = await s.api.addProject({ path: await bigProject(10_000) });
    const status = project.status!;
    expect(status.task_groups).toEqual([
      { priority: 'P0', total: 3333, done: 666 },
      { priority: 'P1', total: 3334, done: 667 },
      { priority: 'P2', total: 3333, done: 667 },
    ]);
    expect(status.tasks.map((t) => t.task_id)).toEqual([status.next]);
    // getStatus still gives every task (as `goldloop status --json` does).
    expect((await s.api.getStatus({ project_id: project.id })).tasks).toHaveLength(10_000);

    const first = await s.api.listTasks({ project_id: project.id, priority: 'P0' });
    expect(first).toMatchObject({ priority: 'P0', total: 3333, done: 666, from: 0 });
    expect(first.tasks).toHaveLength(100);
    // The queue's order: phase, then id as a number reads it.
    expect(first.tasks.slice(0, 3).map((t) => t.task_id)).toEqual(['TASK_12', 'TASK_24', 'TASK_36']);
    expect(first.tasks.every((t) => t.priority === 'P0' && t.phase === 1)).toBe(true);

    const page = await s.api.listTasks({ project_id: project.id, priority: 'P2', from: 3300, limit: 50 });
    expect(page.from).toBe(3300);
    expect(page.tasks).toHaveLength(33);
    expect(page.tasks.at(-1)).toMatchObject({ task_id: 'TASK_9995', phase: 4, priority: 'P2' });
  });

  it('finds the page that holds a task far down, and refuses a task that is not there', async () => {
    const s = await supervisor();
    const { project } = await s.api.addProject({ path: await bigProject(10_000) });
    const page = await s.api.listTasks({ project_id: project.id, priority: 'P1', task_id: 'TASK_9997', limit: 40 });
    expect(page.from % 40).toBe(0);
    expect(page.tasks.map((t) => t.task_id)).toContain('TASK_9997');

    const refused = await s.call('listTasks', { project_id: project.id, priority: 'P0', task_id: 'TASK_9997' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).body).toMatchObject({ code: 'not_found', field: 'task_id' });

    // Without a priority: the page of the priority that holds it, or not found in the whole queue.
    const anywhere = await s.api.listTasks({ project_id: project.id, task_id: 'TASK_9997', limit: 40 });
    expect(anywhere).toMatchObject({ priority: 'P1', from: page.from });
    const nowhere = await s.call('listTasks', { project_id: project.id, task_id: 'TASK_0' }).catch((e: unknown) => e);
    expect((nowhere as ApiError).body).toMatchObject({ code: 'not_found', field: 'task_id', message: 'no task TASK_0 in the queue' });
  });

  it('reads the KB again once it changed', async () => {
    const s = await supervisor();
    const dir = await bigProject(30);
    const { project } = await s.api.addProject({ path: dir });
    expect((await s.api.listTasks({ project_id: project.id, priority: 'P0' })).total).toBe(10);
    await saveKb(dir, KbSchema.parse(kb(33)));
    expect((await s.api.listTasks({ project_id: project.id, priority: 'P0' })).total).toBe(11);
    expect((await s.api.getStatus({ project_id: project.id })).task_groups.map((g) => g.total)).toEqual([11, 11, 11]);
  });

  it('refuses a bad page, naming the field', async () => {
    const s = await supervisor();
    const { project } = await s.api.addProject({ path: await bigProject(3) });
    for (const [args, field] of [
      [{ priority: 'P3' }, 'priority'],
      [{ priority: 'P0', limit: 5000 }, 'limit'],
      [{ priority: 'P0', from: -1 }, 'from'],
      [{}, 'priority'],
    ] as const) {
      const refused = await s.call('listTasks', { project_id: project.id, ...args }).catch((e: unknown) => e);
      expect((refused as ApiError).body).toMatchObject({ code: 'bad_request', field });
    }
  });
});

describe('getTrends', () => {
  it('sums up the newest cycles of a 1,000-cycle history, and follows what is appended (a torn line waits for its end)', async () => {
    const s = await supervisor();
    const dir = await temp.demo();
    await writeMadeUpHistory(dir, 1000);
    const { project } = await s.api.addProject({ path: dir });

    const trends = await s.api.getTrends({ project_id: project.id });
    expect(trends.cycles).toBe(1000);
    expect(trends.points).toHaveLength(500);
    expect(trends.points.at(-1)).toEqual({ iteration: 1000, passing: 1000, total: 1000, coverage: 40, tasks_done: 142 });
    expect((await s.api.getTrends({ project_id: project.id, last: 3 })).points.map((p) => p.iteration)).toEqual([998, 999, 1000]);

    const next = JSON.stringify(madeUpCycle(1001));
    await appendFile(historyPath(dir), next.slice(0, 40));
    expect((await s.api.getTrends({ project_id: project.id, last: 2 })).points.map((p) => p.iteration)).toEqual([999, 1000]);
    await appendFile(historyPath(dir), `${next.slice(40)}\n`);
    expect((await s.api.getTrends({ project_id: project.id, last: 2 })).points.map((p) => p.iteration)).toEqual([1000, 1001]);
    const page = await s.api.listCycles({ project_id: project.id, limit: 2 });
    expect(page.total).toBe(1001);
    expect(page.cycles.map((c) => c.iteration)).toEqual([1001, 1000]);
  });

  it('starts over when the history is replaced, and refuses fewer than two points', async () => {
    const s = await supervisor();
    const dir = await temp.demo();
    await writeMadeUpHistory(dir, 50);
    const { project } = await s.api.addProject({ path: dir });
    expect((await s.api.getTrends({ project_id: project.id })).cycles).toBe(50);
    await writeMadeUpHistory(dir, 60);
    expect((await s.api.getTrends({ project_id: project.id })).cycles).toBe(60);
    await writeMadeUpHistory(dir, 5);
    expect((await s.api.getTrends({ project_id: project.id })).points.map((p) => p.iteration)).toEqual([1, 2, 3, 4, 5]);

    const refused = await s.call('getTrends', { project_id: project.id, last: 1 }).catch((e: unknown) => e);
    expect((refused as ApiError).body).toMatchObject({ code: 'bad_request', field: 'last' });
  });
});
