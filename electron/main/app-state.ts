/**
 * The desktop app's state, kept current from the supervisor's events by a pure reducer, so the
 * tray (and the power policy) always derive from one value.
 */
import type { ApiEvent, ProjectView } from '../contract/api.ts';
import { fileName } from '../contract/notices.ts';
import type { NotificationSwitches } from '../contract/notifications.ts';
import type { AppState } from './tray-view.ts';

export type { AppState } from './tray-view.ts';

/** The state before the first snapshot arrives. */
export const initialAppState = (launchAtLogin: boolean, notifications: NotificationSwitches): AppState => ({
  projects: [],
  launchAtLogin,
  notifications,
  dashboardOpen: false,
});

/**
 * The state after one engine event. Only events that change what the tray shows produce a new
 * object; the rest return `state` itself, so the shell can skip re-applying an unchanged tray.
 */
export function reduceAppState(state: AppState, event: ApiEvent): AppState {
  switch (event.type) {
    case 'snapshot':
      return { ...state, projects: event.projects };
    case 'status': {
      const known = state.projects.some((p) => p.id === event.project_id);
      // A status for a project removed meanwhile is dropped: the next snapshot is the truth.
      if (!known) return state;
      return { ...state, projects: state.projects.map((p) => (p.id === event.project_id ? event.project : p)) };
    }
    case 'report':
      return { ...state, latestReport: { projectId: event.project_id, name: fileName(event.path) } };
    default:
      return state;
  }
}

/** The projects this app drives now: persisted on every change, so a restart or a reboot resumes them. */
export const drivenIds = (projects: readonly { id: string; driven: boolean }[]): string[] =>
  projects
    .filter((p) => p.driven)
    .map((p) => p.id)
    .sort();

/**
 * What to do on launch for the projects that were running when the app last ran: a run that
 * ended paused (the app pauses its runs on quit) is resumed; one that did not get to save its
 * pause (a crash, a power cut) is started again, which continues its run state. Projects removed
 * meanwhile, broken ones, and ones already driven are left alone.
 */
export function resumePlan(ids: readonly string[], projects: readonly ProjectView[]): { kind: 'start' | 'resume'; projectId: string }[] {
  return ids.flatMap((id) => {
    const p = projects.find((x) => x.id === id);
    if (!p || p.error || !p.status || p.driven) return [];
    return [{ kind: p.status.state === 'paused' ? ('resume' as const) : ('start' as const), projectId: id }];
  });
}
