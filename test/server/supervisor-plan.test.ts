import { describe, expect, it } from 'vitest';
import type { ApiEvent } from '../../electron/contract/api.ts';
import { readHistory } from '../../electron/store/history.ts';
import { loadKb } from '../../electron/store/kb/kb-file.ts';
import { QUEUES } from '../../electron/store/kb/schema.ts';
import { writeSettings } from '../../electron/store/settings/index.ts';
import { ApiError } from '../../electron/server/supervisor.ts';
import { agentPath, demoAgent, scriptedAgent, waitFor } from '../helpers/project.ts';
import { useSupervisors } from '../helpers/supervisors.ts';

/**
 * Plan edits through the supervisor, as both transports call it: checked, written into the KB, shown
 * in the project's status; refused while a cycle runs (the loop would put the plan back as the
 * cycle started with it), written at once through the loop in a break.
 */
const { temp, supervisor } = useSupervisors(() => delete process.env.SLOW_MS);

const refusal = (p: Promise<unknown>): Promise<ApiError['body']> =>
  p.then(
    () => {
      throw new Error('the edit was accepted');
    },
    (e: unknown) => {
      expect(e).toBeInstanceOf(ApiError);
      return (e as ApiError).body;
    },
  );

describe('editPlan', () => {
  it('adds, moves and removes a task and a requirement of a project at rest; the status shows each change', async () => {
    const s = await supervisor();
    const { project } = await s.api.addProject({ path: await temp.demo() });
    const id = project.id;
    await s.api.editPlan({ project_id: id, edit: { op: 'add_requirement', requirement: { id: 'REQ-90', text: 'CSV export' } } });
    const added = await s.api.editPlan({
      project_id: id,
      edit: { op: 'add_task', task: { task_id: 'T-90', description: 'export CSV', priority: 'P2', requirements: ['REQ-90'] } },
    });
    expect(added.message).toBe('Added T-90 (P2).');
    let status = await s.api.getStatus({ project_id: id });
    expect(status.tasks.find((t) => t.task_id === 'T-90')).toMatchObject({ priority: 'P2', status: 'ready', requirements: ['REQ-90'] });
    expect(status.requirements?.find((r) => r.id === 'REQ-90')).toEqual({
      id: 'REQ-90',
      text: 'CSV export',
      covered: null,
      tasks: ['T-90'],
    });

    await s.api.editPlan({ project_id: id, edit: { op: 'update_task', task_id: 'T-90', changes: { priority: 'P0', phase: 2 } } });
    status = await s.api.getStatus({ project_id: id });
    expect(status.tasks.find((t) => t.task_id === 'T-90')).toMatchObject({ priority: 'P0', phase: 2 });

    // The request is checked first, naming the field.
    const bad = await refusal(
      s.call('editPlan', { project_id: id, edit: { op: 'add_task', task: { task_id: 'T 91', description: 'x', priority: 'P1' } } }),
    );
    expect(bad).toMatchObject({ code: 'bad_request', field: 'edit.task.task_id', fix: 'a task id may not contain spaces' });
    // Named by T-90: removed only when confirmed.
    expect(await refusal(s.api.editPlan({ project_id: id, edit: { op: 'remove_requirement', id: 'REQ-90' } }))).toMatchObject({
      code: 'conflict',
      field: 'edit.confirm',
    });
    // Measured by hand: each requirement says whether passing tests cover it.
    await s.api.runGatesNow({ project_id: id });
    const measured = (await s.api.getStatus({ project_id: id })).requirements!;
    expect(measured.find((r) => r.id === 'REQ-90')?.covered).toBe(false);
    expect(measured.every((r) => typeof r.covered === 'boolean')).toBe(true);
    await s.api.editPlan({ project_id: id, edit: { op: 'remove_requirement', id: 'REQ-90', confirm: true } });
    await s.api.editPlan({ project_id: id, edit: { op: 'remove_task', task_id: 'T-90' } });
    const kb = await loadKb(project.path);
    expect(kb.requirements.some((r) => r.id === 'REQ-90')).toBe(false);
    expect(QUEUES.some((q) => kb.task_queue[q].some((t) => t.task_id === 'T-90'))).toBe(false);
  });

  it('is refused while a cycle runs, saying when it can be made, and writes nothing', async () => {
    process.env.SLOW_MS = '20000';
    const s = await supervisor({ agentFor: async () => scriptedAgent(agentPath('slow.mjs')) });
    const events: ApiEvent[] = [];
    s.on((e) => events.push(e));
    const { project } = await s.api.addProject({ path: await temp.demo() });
    await s.api.start({ project_id: project.id });
    await waitFor(() => events.some((e) => e.type === 'agent_line'), 30_000, 'the agent of cycle 1');
    const body = await refusal(
      s.api.editPlan({ project_id: project.id, edit: { op: 'add_task', task: { task_id: 'T-90', description: 'x', priority: 'P1' } } }),
    );
    expect(body).toMatchObject({ code: 'conflict', message: 'cycle 1 is running: the plan cannot change under it' });
    expect(body.fix).toContain('pause the run first');
    const kb = await loadKb(project.path);
    expect(QUEUES.some((q) => kb.task_queue[q].some((t) => t.task_id === 'T-90'))).toBe(false);
  });

  it('is written at once in a break, through the loop, and the next cycle does not take it for tampering', async () => {
    const dir = await temp.demo();
    // An hour's break after each cycle, and two cycles for the run.
    await writeSettings(dir, { schedule: { break_between_cycles_minutes: 60, max_iterations_per_run: 2 } });
    const s = await supervisor({ agentFor: async () => demoAgent() });
    const events: ApiEvent[] = [];
    s.on((e) => events.push(e));
    const { project } = await s.api.addProject({ path: dir });
    await s.api.start({ project_id: project.id });
    await waitFor(async () => (await s.api.getStatus({ project_id: project.id })).state === 'break' || undefined, 90_000, 'the break');
    const tasksBefore = (await s.api.getStatus({ project_id: project.id })).tasks;
    const open = tasksBefore.find((t) => t.status !== 'done')!;
    const result = await s.api.editPlan({
      project_id: project.id,
      edit: { op: 'update_task', task_id: open.task_id, changes: { priority: 'P2', acceptance: 'the user says so' } },
    });
    expect(result.message).toContain('moved to P2');
    const kb = await loadKb(dir);
    expect(kb.task_queue.low_priority.find((t) => t.task_id === open.task_id)?.acceptance).toBe('the user says so');
    // The break ends (a settings change), cycle 2 runs from the edited plan, and the run pauses at its limit.
    await s.api.updateSettings({ project_id: project.id, settings: { schedule: { break_between_cycles_minutes: 0 } } });
    await waitFor(async () => (await readHistory(dir)).length >= 2 || undefined, 90_000, 'cycle 2');
    const second = (await readHistory(dir))[1]!;
    expect(second).not.toHaveProperty('ignored_edits');
    expect(second).not.toHaveProperty('tamper');
    const after = await loadKb(dir);
    expect(after.task_queue.low_priority.find((t) => t.task_id === open.task_id)?.acceptance).toBe('the user says so');
    expect(events.some((e) => e.type === 'alert' && /edited fields only Goldloop writes|put back/.test(e.message))).toBe(false);
  });
});
