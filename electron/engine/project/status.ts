import { basename, resolve } from 'node:path';
import { evaluateChecklist } from '../gates/checklist/checklist.ts';
import { waivedLines, type GateRun, type Priority, type ProjectStatus, type RequirementRow, type TaskPage } from '../../contract/status.ts';
import type { Kb } from '../../store/kb/schema.ts';
import { lockHolder } from '../../store/lock.ts';
import { loadRunState } from '../../store/run-state.ts';
import { localDay } from '../../platform/clock.ts';
import { reportedSandbox } from '../../platform/sandbox.ts';
import type { LoopState } from '../../contract/status.ts';
import { staleGold } from '../../store/gold-tree.ts';
import { allTasks, phaseProgress } from '../tasks/queue.ts';
import { readQueue, taskPage, withCurrent } from './task-rows.ts';

// The snapshot's shape is the dashboard contract's: one definition, in electron/contract.
export type { ProjectStatus, TaskRow } from '../../contract/status.ts';

/** Builds a project's status from its KB, Goldloop's run state and its lock. Throws KbError for a bad KB. */
export async function projectStatus(dir: string, now = Date.now()): Promise<ProjectStatus> {
  const projectDir = resolve(dir);
  const { kb, rows, groups, next } = await readQueue(projectDir);
  const rs = await loadRunState(projectDir);
  const holder = await lockHolder(projectDir);
  const ao = kb.autonomous_operation;
  let state: LoopState = rs?.state ?? { state: 'idle', iteration: ao.current_iteration };
  const activeStates = ['running', 'break', 'waiting_limit'];
  if (!holder && activeStates.includes(state.state)) {
    // Nobody holds the lock: the process that ran it has gone (closed terminal, crash, reboot).
    state = {
      ...state,
      state: 'stopped',
      message: 'the Goldloop process that ran this project has ended; `goldloop run` resumes where it left off',
    };
  }
  const gates = rs?.last_gates ?? evaluateChecklist(kb, { at: '', durationMs: 0 });
  const stale = gates.gold ? await staleGold(projectDir, rs) : undefined;
  if (stale && state.state === 'complete') state = { ...state, state: 'stopped', message: stale };
  const tasks = withCurrent(rows, holder ? rs?.current_task : undefined);
  return {
    project: projectDir,
    name: kb.project?.name ?? basename(projectDir),
    state: state.state,
    ...(state.step && state.state === 'running' ? { step: state.step } : {}),
    ...(state.until ? { until: state.until } : {}),
    ...(state.state === 'break' && state.break_reason ? { break_reason: state.break_reason } : {}),
    ...(state.state === 'paused' && state.pause_reason ? { pause_reason: state.pause_reason } : {}),
    ...(state.message ? { message: state.message } : {}),
    live: holder !== undefined,
    ...(holder ? { pid: holder.pid } : {}),
    iteration: ao.current_iteration,
    cycles_completed: ao.work_cycles_completed,
    tasks_completed: ao.tasks_completed,
    cycles_today: rs && rs.schedule.day.date === localDay(now) ? rs.schedule.day.iterations : 0,
    limits: {
      per_day: ao.max_iterations_per_day,
      per_hour: ao.work_cycle.max_cycles_per_hour,
      per_run: ao.max_iterations_per_run,
      cycle_minutes: ao.work_cycle.duration_minutes,
      break_minutes: ao.work_cycle.break_between_cycles_minutes,
    },
    run_iterations: rs?.schedule.run_iterations ?? 0,
    consecutive_errors: rs?.consecutive_errors ?? 0,
    gold: gates.gold && !stale,
    waived: waivedLines(gates.checklist),
    ...(stale ? { stale_gold: stale } : {}),
    ...(gates.at ? { measured_at: gates.at } : {}),
    checklist: gates.checklist,
    phases: phaseProgress(kb),
    tasks,
    requirements: requirementRows(kb, rs?.last_gates),
    task_groups: groups,
    ...(next ? { next } : {}),
    ...(ao.next_cycle_at && holder ? { next_cycle_at: ao.next_cycle_at } : {}),
    ...cycleTimes(state, ao.last_cycle_at),
    sandbox: reportedSandbox(kb.agent?.sandbox).status,
  };
}

/** The requirements with what the last measurement says of them (none yet: `covered` is null) and the tasks naming them. */
function requirementRows(kb: Kb, measured: Pick<GateRun, 'uncovered_requirements'> | undefined): RequirementRow[] {
  const uncovered = new Set(measured?.uncovered_requirements);
  const namedBy = new Map<string, string[]>();
  for (const { task } of allTasks(kb)) for (const id of task.requirements) namedBy.set(id, [...(namedBy.get(id) ?? []), task.task_id]);
  return kb.requirements.map((r) => ({
    id: r.id,
    text: r.text,
    ...(r.source !== undefined ? { source: r.source } : {}),
    covered: measured ? !uncovered.has(r.id) : null,
    tasks: namedBy.get(r.id) ?? [],
  }));
}

/** Steps of a cycle that has taken its work up: the KB's `last_cycle_at` is then this cycle's start. */
const TAKEN_UP = new Set(['execute', 'quality_check', 'update_progress', 'check_completion']);

/** When the running cycle started, and when its time limit ends the agent while the agent works. */
function cycleTimes(state: LoopState, lastCycleAt: string | undefined): Pick<ProjectStatus, 'cycle_started_at' | 'cycle_timeout_at'> {
  if (state.state !== 'running' || !state.step || !TAKEN_UP.has(state.step)) return {};
  return {
    ...(lastCycleAt ? { cycle_started_at: lastCycleAt } : {}),
    ...(state.step === 'execute' && state.timeout_at ? { cycle_timeout_at: state.timeout_at } : {}),
  };
}

/** A page of one priority's tasks in the queue's order (see `taskPage`), the task worked on now marked current. */
export async function projectTaskPage(
  dir: string,
  args: { priority?: Priority; from?: number; limit?: number; taskId?: string },
): Promise<TaskPage> {
  const projectDir = resolve(dir);
  const [rs, holder] = await Promise.all([loadRunState(projectDir), lockHolder(projectDir)]);
  return taskPage(projectDir, args, holder ? rs?.current_task : undefined);
}
