import { access } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ApiEvent } from '../../contract/api.ts';
import type { Preflight } from '../../contract/preflight.ts';
import type { GateRunView, PlanView, ProjectStatus, ProjectView } from '../../contract/status.ts';
import type { GateRun } from '../../engine/gates/types.ts';
import type { EngineEvent } from '../../engine/loop/types.ts';
import { projectStatus } from '../../engine/project/status.ts';
import type { Entry } from './registry.ts';
import { waivedLines } from '../../contract/status.ts';

/** What the supervisor itself is doing with its projects, beyond what their folders hold. */
export interface ProjectActivity {
  /** The projects whose loop runs in this process. */
  readonly driven: ReadonlyMap<string, unknown>;
  /** The projects whose gates are being measured by hand (runGatesNow). */
  readonly measuring: ReadonlySet<string>;
  /** Manual gate runs, shown until the loop measures something newer. */
  readonly manualGates: ReadonlyMap<string, GateRunView>;
  /** Planning cycles started from the dashboard. */
  readonly plans: { get(projectId: string): PlanView | undefined };
  /** Each project's last preflight. */
  readonly preflights: ReadonlyMap<string, Preflight>;
}

/** Keeps what a listener needs of a gate run: the per-test list can be thousands of rows. */
export function gateView(run: GateRun): GateRunView {
  return {
    at: run.at,
    duration_ms: run.duration_ms,
    gold: run.gold,
    checklist: run.checklist,
    uncovered_requirements: run.uncovered_requirements,
    ...(run.coverage_pct !== undefined ? { coverage_pct: run.coverage_pct } : {}),
  };
}

/** An engine event as the dashboard receives it: the project's id instead of its path. */
export function toApiEvent(projectId: string, event: EngineEvent): ApiEvent {
  const { project: _path, ...rest } = event;
  if (rest.type === 'gates') return { ...rest, project_id: projectId, run: gateView(rest.run) };
  return { ...rest, project_id: projectId } as ApiEvent;
}

/** The project's status, with a manual gate run on top when it is newer than the loop's measurement. */
export async function statusOf(activity: ProjectActivity, entry: Entry): Promise<ProjectStatus> {
  const status: ProjectStatus = await projectStatus(entry.path);
  const manual = activity.manualGates.get(entry.id);
  if (manual && (!status.measured_at || manual.at > status.measured_at)) {
    const uncovered = new Set(manual.uncovered_requirements);
    return {
      ...status,
      checklist: manual.checklist,
      gold: manual.gold,
      waived: waivedLines(manual.checklist),
      measured_at: manual.at,
      ...(status.requirements ? { requirements: status.requirements.map((r) => ({ ...r, covered: !uncovered.has(r.id) })) } : {}),
    };
  }
  return status;
}

/**
 * The tasks a project's view carries: the current and the next one. The whole queue (thousands of
 * rows in a big project) would go out with every status push; the dashboard reads it a page at a
 * time (`listTasks`), and `task_groups` counts it.
 */
export function notableTasks(status: ProjectStatus): ProjectStatus['tasks'] {
  return status.tasks.filter((t) => t.current || t.task_id === status.next);
}

/** A project as the dashboard lists it; a project whose KB cannot be read still shows, with the reason. */
export async function projectView(activity: ProjectActivity, entry: Entry): Promise<ProjectView> {
  const plan = activity.plans.get(entry.id);
  const driven = activity.driven.has(entry.id);
  const checked = driven ? undefined : activity.preflights.get(entry.id);
  const base = {
    id: entry.id,
    path: entry.path,
    added_at: entry.added_at,
    driven,
    measuring: activity.measuring.has(entry.id),
    ...(plan ? { plan } : {}),
    ...(checked ? { preflight: checked } : {}),
  };
  try {
    await access(entry.path);
  } catch {
    return { ...base, name: basename(entry.path), error: `the folder ${entry.path} is gone: move it back, or remove the project` };
  }
  try {
    const status = await statusOf(activity, entry);
    return { ...base, name: status.name, status: { ...status, tasks: notableTasks(status) } };
  } catch (error) {
    return { ...base, name: basename(entry.path), error: (error as Error).message };
  }
}
