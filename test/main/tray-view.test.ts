import { describe, expect, it } from 'vitest';
import {
  MAX_TOOLTIP,
  pauseAllPlan,
  phaseProgress,
  projectControls,
  startAllPlan,
  trayView,
  type AppState,
  type MenuItemSpec,
  type TrayAction,
} from '../../electron/main/tray-view.ts';
import type { ProjectView } from '../../electron/contract/status.ts';
import { DEFAULT_SETTINGS } from '../../electron/store/settings/index.ts';
import { project } from './views.ts';

const app = (projects: ProjectView[], extra: Partial<AppState> = {}): AppState => ({
  projects,
  launchAtLogin: false,
  notifications: DEFAULT_SETTINGS.notifications,
  dashboardOpen: false,
  ...extra,
});

/** The menu item with this label, searched through submenus. */
function find(menu: MenuItemSpec[], label: string): MenuItemSpec | undefined {
  for (const item of menu) {
    if ('label' in item && item.label === label) return item;
    if (item.type === 'submenu') {
      const inner = find(item.submenu, label);
      if (inner) return inner;
    }
  }
  return undefined;
}

const submenuOf = (menu: MenuItemSpec[], startsWith: string): MenuItemSpec[] => {
  const item = menu.find((m) => m.type === 'submenu' && m.label.startsWith(startsWith));
  if (!item || item.type !== 'submenu') throw new Error(`no submenu ${startsWith}`);
  return item.submenu;
};

const enabled = (items: MenuItemSpec[]): string[] =>
  items.filter((i) => i.type === 'normal' && i.enabled && i.action).map((i) => (i as { label: string }).label);

/** Every action reachable in a menu, depth first. */
const actions = (menu: MenuItemSpec[]): TrayAction[] =>
  menu.flatMap((i) => (i.type === 'submenu' ? actions(i.submenu) : 'action' in i && i.action ? [i.action] : []));

describe('trayView icon', () => {
  it('is idle with no projects', () => {
    expect(trayView(app([])).icon).toBe('idle');
  });

  it.each([
    ['idle', 'idle'],
    ['stopped', 'idle'],
    ['running', 'running'],
    ['break', 'running'],
    ['waiting_limit', 'running'],
    ['paused', 'paused'],
    ['error', 'error'],
    ['complete', 'gold'],
  ] as const)('shows %s as %s for one project', (state, icon) => {
    expect(trayView(app([project('shop', state)])).icon).toBe(icon);
  });

  it('shows error for a project whose KB cannot be read', () => {
    expect(trayView(app([project('shop', undefined, { error: 'the KB does not validate' })])).icon).toBe('error');
  });

  it('shows gold for a stopped project whose last measurement was gold', () => {
    expect(trayView(app([project('shop', 'stopped', {}, { gold: true })])).icon).toBe('gold');
  });

  it('ranks error over running over paused over gold over idle', () => {
    const idle = project('a', 'idle');
    const gold = project('b', 'complete');
    const paused = project('c', 'paused');
    const running = project('d', 'running');
    const error = project('e', 'error');
    expect(trayView(app([idle, gold])).icon).toBe('gold');
    expect(trayView(app([gold, paused, idle])).icon).toBe('paused');
    expect(trayView(app([paused, running, gold])).icon).toBe('running');
    expect(trayView(app([running, error, paused])).icon).toBe('error');
  });
});

describe('trayView tooltip', () => {
  it('says how to begin with no projects', () => {
    expect(trayView(app([])).tooltip).toBe('Goldloop — no projects yet: open the dashboard to add one');
  });

  it('names the running project with its cycle and phase', () => {
    expect(trayView(app([project('shop', 'running')])).tooltip).toBe('Running shop — cycle 45, Phase 2 60%');
  });

  it('counts running projects and details the first', () => {
    const tip = trayView(app([project('shop', 'running'), project('blog', 'break'), project('cli', 'idle')])).tooltip;
    expect(tip).toBe('Running 2 projects — shop: cycle 45, Phase 2 60%');
  });

  it('says when the only run is on a break or waiting for the agent limit', () => {
    expect(trayView(app([project('shop', 'break')])).tooltip).toBe('shop on a break — cycle 45, Phase 2 60%');
    expect(trayView(app([project('shop', 'waiting_limit')])).tooltip).toBe('shop waiting for the agent limit — cycle 45, Phase 2 60%');
  });

  it('puts an error first, with its message, and keeps the running count', () => {
    const tip = trayView(app([project('shop', 'running'), project('blog', 'error', {}, { message: 'the folder is gone' })])).tooltip;
    expect(tip).toBe('blog needs you: the folder is gone · running 1');
  });

  it('lists paused projects', () => {
    expect(trayView(app([project('shop', 'paused')])).tooltip).toBe('Paused: shop — cycle 45, Phase 2 60%');
    expect(trayView(app([project('shop', 'paused'), project('blog', 'paused')])).tooltip).toBe('Paused: shop, blog');
  });

  it('celebrates gold', () => {
    expect(trayView(app([project('shop', 'complete')])).tooltip).toBe('Gold: shop — every checklist line passes');
  });

  it('never says plain gold when the user switched a line off', () => {
    expect(trayView(app([project('shop', 'complete', {}, { gold: true, waived: ['security'] })])).tooltip).toBe(
      'Gold: shop — lines waived in shop (security)',
    );
  });

  it('says nothing runs when all are idle', () => {
    expect(trayView(app([project('shop', 'idle'), project('blog', 'stopped')])).tooltip).toBe('Goldloop — 2 projects, none running');
  });

  it('never exceeds the Windows tooltip limit', () => {
    const long = 'x'.repeat(400);
    const tip = trayView(app([project('shop', 'running'), project('blog', 'error', {}, { message: long })])).tooltip;
    expect(tip.length).toBeLessThanOrEqual(MAX_TOOLTIP);
    expect(tip.endsWith('· running 1')).toBe(true);
  });

  it('reports phase progress as done/total of the first unfinished phase', () => {
    expect(phaseProgress({ phases: [{ phase: 1, name: 'Core', done: 1, total: 3 }] })).toBe('Phase 1 33%');
    expect(phaseProgress({ phases: [{ phase: 1, name: 'Core', done: 3, total: 3 }] })).toBe('all phases done');
    expect(phaseProgress({ phases: [] })).toBeUndefined();
  });
});

describe('trayView menu', () => {
  it.each([
    ['idle', ['Start', 'Run gates now', 'Show in dashboard']],
    ['stopped', ['Start', 'Run gates now', 'Show in dashboard']],
    ['complete', ['Start', 'Run gates now', 'Show in dashboard']],
    ['error', ['Start', 'Run gates now', 'Show in dashboard']],
    ['running', ['Pause', 'Stop', 'Show in dashboard']],
    ['break', ['Pause', 'Stop', 'Show in dashboard']],
    ['waiting_limit', ['Pause', 'Stop', 'Show in dashboard']],
    ['paused', ['Resume', 'Stop', 'Run gates now', 'Show in dashboard']],
  ] as const)('enables for a %s project: %j', (state, labels) => {
    const menu = trayView(app([project('shop', state)])).menu;
    expect(enabled(submenuOf(menu, 'shop'))).toEqual(labels);
  });

  it('labels each project with its state and cycle', () => {
    const menu = trayView(app([project('shop', 'break'), project('new', 'idle', {}, { iteration: 0 })])).menu;
    expect(menu.filter((m) => m.type === 'submenu').map((m) => (m as { label: string }).label)).toEqual([
      'shop — on a break, cycle 45',
      'new — idle',
      'Notifications',
    ]);
  });

  it('escapes & in project names so menus do not read it as an accelerator', () => {
    const menu = trayView(app([project('r-d', 'idle', { name: 'R&D' })])).menu;
    expect(menu[0]).toMatchObject({ type: 'submenu', label: 'R&&D — idle, cycle 45' });
  });

  it('shows why a broken project cannot be driven, and allows nothing but the dashboard', () => {
    const menu = trayView(
      app([project('shop', undefined, { error: 'the folder /code/shop is gone: move it back, or remove the project' })]),
    ).menu;
    const sub = submenuOf(menu, 'shop');
    expect(sub[0]).toMatchObject({
      type: 'normal',
      enabled: false,
      label: 'the folder /code/shop is gone: move it back, or remove the project',
    });
    expect(enabled(sub)).toEqual(['Show in dashboard']);
  });

  it('disables the gate run and start while the gates are measured', () => {
    const p = project('shop', 'idle', { measuring: true });
    expect(projectControls(p)).toEqual({ start: false, pause: false, resume: false, stop: false, runGatesNow: false });
    expect(find(submenuOf(trayView(app([p])).menu, 'shop'), 'Measuring the gates…')).toMatchObject({ enabled: false });
  });

  it('offers every app action without an icon click', () => {
    const state = app([project('shop', 'paused'), project('blog', 'running')], {
      latestReport: { projectId: 'shop', name: 'r.md' },
      launchAtLogin: true,
    });
    const kinds = new Set(actions(trayView(state).menu).map((a) => a.kind));
    expect([...kinds].sort()).toEqual(
      [
        'openDashboard',
        'openLatestReport',
        'pause',
        'pauseAll',
        'quit',
        'resume',
        'runGatesNow',
        'start',
        'startAll',
        'stop',
        'toggleLaunchAtLogin',
        'toggleNotification',
      ].sort(),
    );
  });

  it('enables Start all and Pause all only when there is something to start or pause', () => {
    const idleOnly = trayView(app([project('shop', 'idle')])).menu;
    expect(find(idleOnly, 'Start all')).toMatchObject({ enabled: true });
    expect(find(idleOnly, 'Pause all')).toMatchObject({ enabled: false });
    const runningOnly = trayView(app([project('shop', 'running')])).menu;
    expect(find(runningOnly, 'Start all')).toMatchObject({ enabled: false });
    expect(find(runningOnly, 'Pause all')).toMatchObject({ enabled: true });
  });

  it('plans Start all as resume for paused runs and start for the others', () => {
    const projects = [project('a', 'paused'), project('b', 'idle'), project('c', 'running'), project('d', undefined, { error: 'gone' })];
    expect(startAllPlan(projects)).toEqual([
      { kind: 'resume', projectId: 'a' },
      { kind: 'start', projectId: 'b' },
    ]);
    expect(pauseAllPlan(projects)).toEqual([{ kind: 'pause', projectId: 'c' }]);
  });

  it('enables Open latest report only when there is one', () => {
    expect(find(trayView(app([])).menu, 'Open latest report')).toMatchObject({ enabled: false });
    expect(find(trayView(app([], { latestReport: { projectId: 'shop', name: 'x.md' } })).menu, 'Open latest report')).toMatchObject({
      enabled: true,
    });
  });

  it('checks Launch at login from the setting', () => {
    expect(find(trayView(app([], { launchAtLogin: true })).menu, 'Launch at login')).toMatchObject({ type: 'checkbox', checked: true });
    expect(find(trayView(app([], { launchAtLogin: false })).menu, 'Launch at login')).toMatchObject({ type: 'checkbox', checked: false });
  });

  it('has a switch per kind of notification, checked from the settings', () => {
    const menu = find(trayView(app([], { notifications: { ...DEFAULT_SETTINGS.notifications, reports: false } })).menu, 'Notifications');
    expect(menu?.type).toBe('submenu');
    const items = (menu as Extract<MenuItemSpec, { type: 'submenu' }>).submenu;
    expect(items.map((i) => (i.type === 'checkbox' ? [i.label, i.checked, i.action] : i.type))).toEqual([
      ['Progress and status reports', false, { kind: 'toggleNotification', type: 'reports' }],
      ['Errors', true, { kind: 'toggleNotification', type: 'errors' }],
      ['Paused after repeated errors', true, { kind: 'toggleNotification', type: 'paused_after_errors' }],
      ['Waiting for an agent usage limit', true, { kind: 'toggleNotification', type: 'waiting_limit' }],
      ['A cycle not counted (tampering)', true, { kind: 'toggleNotification', type: 'tamper' }],
      ['Gold', true, { kind: 'toggleNotification', type: 'gold' }],
    ]);
  });

  it('says Show dashboard when the window is already open', () => {
    expect(find(trayView(app([], { dashboardOpen: true })).menu, 'Show dashboard')).toMatchObject({ action: { kind: 'openDashboard' } });
  });

  it('ends with Quit', () => {
    expect(trayView(app([])).menu.at(-1)).toEqual({ type: 'normal', label: 'Quit Goldloop', enabled: true, action: { kind: 'quit' } });
  });
});
