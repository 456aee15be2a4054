import { describe, expect, it } from 'vitest';
import { ApiError } from '../../electron/contract/errors.ts';
import type { TaskRow } from '../../electron/contract/api.ts';
import { planErrors, requirementEdit, taskDraft, taskEdit } from '../../renderer/src/lib/plan-form.ts';

const row: TaskRow = {
  task_id: 'T-1',
  description: 'parse dates',
  priority: 'P1',
  phase: 1,
  status: 'blocked',
  dependencies: ['T-0'],
  requirements: [],
  current: false,
  acceptance: 'ISO too',
  verify: ['npm', 'test'],
  blocked_reason: 'spec',
};

describe('the plan forms', () => {
  it('send only what changed; a cleared optional field is removed (null)', () => {
    const draft = { ...taskDraft(row), acceptance: ' ', verify: '', blocked_reason: '', dependencies: 'T-0,' };
    expect(taskEdit(draft, row)).toEqual({
      edit: { op: 'update_task', task_id: 'T-1', changes: { acceptance: null, blocked_reason: null, verify: null } },
      errors: {},
    });
    expect(taskEdit(taskDraft(row), row).edit).toEqual({ op: 'update_task', task_id: 'T-1', changes: {} });
  });

  it('find what needs no server: no id, no description, an unclosed quote', () => {
    const { edit, errors } = taskEdit({ ...taskDraft(row), task_id: ' ', description: '', verify: "npm 'test" });
    expect(edit).toBeUndefined();
    expect(Object.keys(errors).sort()).toEqual(['description', 'task_id', 'verify']);
    expect(requirementEdit({ id: '', text: '', source: '' }).errors).toEqual({
      id: 'give the requirement an id, e.g. REQ-012',
      text: 'say what is required',
    });
  });

  it("put the engine's refusal beside its field, and keep for the form what no field claims", () => {
    const field = new ApiError({
      code: 'bad_request',
      message: 'editPlan: edit.task.task_id is invalid',
      field: 'edit.task.task_id',
      fix: 'a task id may not contain spaces',
    });
    expect(planErrors(field, ['task_id'])).toEqual({ errors: { task_id: 'a task id may not contain spaces' } });
    const running = new ApiError({
      code: 'conflict',
      message: 'cycle 2 is running: the plan cannot change under it',
      field: 'project_id',
      fix: 'pause the run first',
    });
    expect(planErrors(running, ['task_id'])).toEqual({
      errors: {},
      rest: { message: 'cycle 2 is running: the plan cannot change under it', fix: 'pause the run first' },
    });
  });
});
