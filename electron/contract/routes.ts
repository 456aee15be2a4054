/**
 * Dashboard routes: where a notification click, the tray's "Open latest report" or a pasted link
 * takes the dashboard. They travel in the URL's hash (`#/project/shop/report/<name>`), so the
 * desktop app's `app://` page and `goldloop serve`'s page read them the same way. The main process
 * writes them with `formatRoute`; the renderer reads them with `parseRoute`. Plain strings only:
 * shared imports nothing the renderer could not bundle.
 */

/** One part of a project's page the dashboard can open at. */
export type RouteItem = { kind: 'report'; name: string } | { kind: 'checklist' } | { kind: 'log' } | { kind: 'settings' };

export interface DashboardRoute {
  /** Undefined: the dashboard as it opens, with the first project selected. */
  project_id?: string;
  item?: RouteItem;
}

const SECTIONS = new Set(['checklist', 'log', 'settings']);

/** `{project_id: 'shop', item: {kind: 'report', name}}` -> `/project/shop/report/<name>`. */
export function formatRoute(route: DashboardRoute): string {
  if (!route.project_id) return '/';
  const base = `/project/${encodeURIComponent(route.project_id)}`;
  const item = route.item;
  if (!item) return base;
  return item.kind === 'report' ? `${base}/report/${encodeURIComponent(item.name)}` : `${base}/${item.kind}`;
}

/**
 * Reads a route from a URL hash (`#/project/...`, with or without the `#`). Anything it does not
 * recognise reads as the plain dashboard: a stale or mistyped link must never break the page.
 */
export function parseRoute(hash: string): DashboardRoute {
  const parts = hash.replace(/^#/, '').split('/').filter(Boolean);
  if (parts[0] !== 'project' || !parts[1]) return {};
  let projectId: string;
  try {
    projectId = decodeURIComponent(parts[1]);
  } catch {
    return {};
  }
  const [, , kind, name] = parts;
  if (kind === 'report' && name && parts.length === 4) {
    try {
      return { project_id: projectId, item: { kind: 'report', name: decodeURIComponent(name) } };
    } catch {
      return { project_id: projectId };
    }
  }
  if (kind && SECTIONS.has(kind) && parts.length === 3) return { project_id: projectId, item: { kind } as RouteItem };
  return { project_id: projectId };
}
