import type { ApiEvent, ConnectionState, ProjectView } from '../../../electron/contract/api.ts';
import { api } from '../lib/api.ts';
import { route } from './route.svelte.ts';

/** An alert the engine raised, shown until dismissed. */
export interface AlertItem {
  id: number;
  projectId: string;
  level: 'error' | 'warning' | 'info';
  message: string;
  at: string;
}

/**
 * Every project and its status, kept current by pushed events only (no polling): a `snapshot`
 * replaces the list, a `status` replaces one project.
 */
class ProjectsState {
  list = $state.raw<ProjectView[]>([]);
  connection = $state<ConnectionState>('connecting');
  alerts = $state.raw<AlertItem[]>([]);
  /** True once the first snapshot arrived: until then "no projects" would be a lie. */
  loaded = $state(false);
  /** The project the route names; the first one when it names none (or one no longer listed). */
  selected = $derived(this.list.find((p) => p.id === route.current.project_id) ?? this.list[0]);
  /** The route names a project that is not in the list (a stale link, a removed project). */
  missing = $derived(
    this.loaded && route.current.project_id !== undefined && !this.list.some((p) => p.id === route.current.project_id)
      ? route.current.project_id
      : undefined,
  );
  private nextAlert = 1;

  apply(event: ApiEvent): void {
    if (event.type === 'snapshot') {
      this.list = event.projects;
      this.loaded = true;
    } else if (event.type === 'status') {
      const i = this.list.findIndex((p) => p.id === event.project_id);
      if (i >= 0) this.list = this.list.with(i, event.project);
    } else if (event.type === 'alert') {
      this.alerts = [
        ...this.alerts.slice(-19),
        { id: this.nextAlert++, projectId: event.project_id, level: event.level, message: event.message, at: new Date().toISOString() },
      ];
    }
  }

  /** Shows a project: the URL follows, so a reload stays on it. */
  select(id: string): void {
    route.show({ project_id: id });
  }

  dismiss(id: number): void {
    this.alerts = this.alerts.filter((a) => a.id !== id);
  }

  /** Puts a project the user just acted on in the list at once, before its pushed status arrives. */
  upsert(project: ProjectView): void {
    const i = this.list.findIndex((p) => p.id === project.id);
    this.list = i >= 0 ? this.list.with(i, project) : [...this.list, project];
  }

  remove(id: string): void {
    this.list = this.list.filter((p) => p.id !== id);
  }
}

export const projects = new ProjectsState();

/** Connects the state to the transport; returns the cleanup. Called once by the App. */
export function connectProjects(): () => void {
  const offEvents = api.subscribe((e) => projects.apply(e));
  const offConnection = api.onConnection((state) => (projects.connection = state));
  return () => {
    offEvents();
    offConnection();
  };
}
