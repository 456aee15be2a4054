import { formatRoute, parseRoute, type DashboardRoute } from '../../../electron/contract/routes.ts';

/**
 * Where the dashboard is: the project shown and the part of it asked for, kept in the URL hash so
 * a notification click (the desktop app loads `#/project/<id>/report/<name>`), a reload or a
 * pasted link lands in the same place.
 */
class RouteState {
  current = $state.raw<DashboardRoute>(parseRoute(typeof location === 'undefined' ? '' : location.hash));
  /**
   * Bumped for every route that arrives from outside (a notification, the tray, the address bar),
   * so the same target asked for twice is shown again — e.g. scrolled back to after the user left it.
   */
  arrivals = $state(0);

  /** Reads the URL now and follows `hashchange`; returns the cleanup. Called once by the App. */
  listen(): () => void {
    this.current = parseRoute(location.hash);
    const onHash = (): void => {
      this.current = parseRoute(location.hash);
      this.arrivals++;
    };
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }

  /** The user moved inside the dashboard: the URL follows without a history entry per click. */
  show(route: DashboardRoute): void {
    const hash = `#${formatRoute(route)}`;
    if (location.hash !== hash) history.replaceState(history.state, '', hash);
    this.current = route;
  }
}

export const route = new RouteState();
