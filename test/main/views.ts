import type { LoopStateName, ProjectStatus, ProjectView } from '../../electron/contract/status.ts';

/** A project's status as the engine reports it, with only the fields a test cares about changed. */
export function status(state: LoopStateName, extra: Partial<ProjectStatus> = {}): ProjectStatus {
  return {
    project: '/code/shop',
    name: 'shop',
    state,
    live: state === 'running',
    iteration: 45,
    cycles_completed: 44,
    tasks_completed: 12,
    cycles_today: 3,
    limits: { per_day: 100, per_hour: 3, per_run: 1000, cycle_minutes: 15, break_minutes: 5 },
    run_iterations: 10,
    consecutive_errors: 0,
    gold: false,
    waived: [],
    checklist: [],
    phases: [
      { phase: 1, name: 'Core', done: 4, total: 4 },
      { phase: 2, name: 'Advanced', done: 3, total: 5 },
      { phase: 3, name: 'Enterprise', done: 0, total: 2 },
    ],
    tasks: [],
    task_groups: [],
    sandbox: { kind: 'bubblewrap', version: '0.8.0' },
    ...extra,
  };
}

/** A registered project; `driven` follows the state unless given. */
export function project(
  id: string,
  state: LoopStateName | undefined,
  extra: Partial<ProjectView> = {},
  statusExtra: Partial<ProjectStatus> = {},
): ProjectView {
  const driven = state === 'running' || state === 'break' || state === 'waiting_limit';
  return {
    id,
    path: `/code/${id}`,
    name: id,
    added_at: '2026-01-01T00:00:00.000Z',
    driven,
    measuring: false,
    ...(state ? { status: status(state, { name: id, project: `/code/${id}`, ...statusExtra }) } : {}),
    ...extra,
  };
}
