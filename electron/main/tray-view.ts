/**
 * The tray as a pure function of the app state: `trayView(state) -> { icon, tooltip, menu }`.
 * The Electron shell only turns the result into a Tray image, tooltip and Menu, on every change;
 * everything a user can see or do in the tray is decided (and unit-tested) here.
 */
import type { NotificationSwitches, NoticeType } from '../contract/notifications.ts';
import type { LoopStateName, ProjectStatus, ProjectView } from '../contract/status.ts';

/** The tray image to show; one file per state (see resources/icons/). */
export type TrayIcon = 'idle' | 'running' | 'paused' | 'error' | 'gold';

/** What the shell needs to know to draw the tray. */
export interface AppState {
  projects: ProjectView[];
  launchAtLogin: boolean;
  /** Which kinds of notification are shown (the settings' switches, shared with `goldloop run`). */
  notifications: NotificationSwitches;
  dashboardOpen: boolean;
  /** The newest report of any project, for "Open latest report". */
  latestReport?: { projectId: string; name: string };
}

/** What a menu item does when clicked; the shell maps each kind to a supervisor call or an app action. */
export type TrayAction =
  | ProjectAction
  | { kind: 'startAll' | 'pauseAll' | 'openLatestReport' | 'toggleLaunchAtLogin' | 'quit' }
  | { kind: 'openDashboard'; projectId?: string }
  | { kind: 'toggleNotification'; type: NoticeType };

/** A control of one project: the supervisor method of the same name. */
export interface ProjectAction {
  kind: 'start' | 'pause' | 'resume' | 'stop' | 'runGatesNow';
  projectId: string;
}

/** A menu item, independent of Electron's MenuItemConstructorOptions (the shell converts it). */
export type MenuItemSpec =
  | { type: 'normal'; label: string; enabled: boolean; action?: TrayAction }
  | { type: 'checkbox'; label: string; enabled: boolean; checked: boolean; action: TrayAction }
  | { type: 'submenu'; label: string; enabled: boolean; submenu: MenuItemSpec[] }
  | { type: 'separator' };

export interface TrayView {
  icon: TrayIcon;
  tooltip: string;
  menu: MenuItemSpec[];
}

/** Windows cuts tray tooltips at 127 characters; stay inside it everywhere. */
export const MAX_TOOLTIP = 127;

/** A run is under way (a cycle, a break between cycles, or a wait for an agent's usage limit). */
const ACTIVE: ReadonlySet<LoopStateName> = new Set(['running', 'break', 'waiting_limit']);

const stateOf = (p: ProjectView): LoopStateName | undefined => p.status?.state;

/** The project needs the user: its loop stopped on a fault, or its folder / KB cannot be read. */
const needsUser = (p: ProjectView): boolean => Boolean(p.error) || stateOf(p) === 'error';
const isActive = (p: ProjectView): boolean => p.driven || ACTIVE.has(stateOf(p) ?? 'idle');
const isPaused = (p: ProjectView): boolean => !p.driven && stateOf(p) === 'paused';
const isGold = (p: ProjectView): boolean => Boolean(p.status?.gold) || stateOf(p) === 'complete';

/**
 * One project's icon state, by the same precedence as the tray's.
 *
 * Precedence (error > running > paused > gold > idle) ranks what the user should act on or know
 * first: an error stops work until someone fixes it, so it must never hide behind another
 * project's progress; running is the normal 24/7 state and says "leave me on"; paused is a run
 * waiting for the user; gold is good news that needs no action, so it shows only when nothing
 * else is going on; idle is the absence of all of these.
 */
export function projectIcon(p: ProjectView): TrayIcon {
  if (needsUser(p)) return 'error';
  if (isActive(p)) return 'running';
  if (isPaused(p)) return 'paused';
  if (isGold(p)) return 'gold';
  return 'idle';
}

const RANK: Record<TrayIcon, number> = { error: 4, running: 3, paused: 2, gold: 1, idle: 0 };

/** The tray's icon: the highest-ranked project state (see `projectIcon`), idle without projects. */
export function trayIcon(projects: readonly ProjectView[]): TrayIcon {
  let icon: TrayIcon = 'idle';
  for (const p of projects) {
    const next = projectIcon(p);
    if (RANK[next] > RANK[icon]) icon = next;
  }
  return icon;
}

/** "Phase 2 60%": the first phase with work left, or "all phases done". */
export function phaseProgress(status: Pick<ProjectStatus, 'phases'>): string | undefined {
  const phases = status.phases.filter((p) => p.total > 0);
  if (!phases.length) return undefined;
  const current = phases.find((p) => p.done < p.total);
  if (!current) return 'all phases done';
  return `Phase ${current.phase} ${Math.floor((current.done / current.total) * 100)}%`;
}

/** "cycle 45, Phase 2 60%" for one project. */
function progress(status: ProjectStatus | undefined): string {
  if (!status) return '';
  const phase = phaseProgress(status);
  return [`cycle ${status.iteration}`, phase].filter(Boolean).join(', ');
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

const clip = (text: string, max: number): string => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

/** What a running project is doing right now, in two or three words. */
function activity(p: ProjectView): string {
  switch (stateOf(p)) {
    case 'break':
      return 'on a break';
    case 'waiting_limit':
      return 'waiting for the agent limit';
    default:
      return 'running';
  }
}

/** The tooltip: one line, the most important state first, like the icon. */
export function trayTooltip(state: AppState): string {
  const { projects } = state;
  if (!projects.length) return 'Goldloop — no projects yet: open the dashboard to add one';
  const broken = projects.filter(needsUser);
  const active = projects.filter((p) => !needsUser(p) && isActive(p));
  const paused = projects.filter((p) => !needsUser(p) && isPaused(p));
  const gold = projects.filter((p) => projectIcon(p) === 'gold');
  const others = active.length ? ` · running ${active.length}` : '';

  let text: string;
  if (broken.length) {
    const first = broken[0]!;
    const why = first.error ?? first.status?.message ?? 'stopped on an error';
    text = broken.length === 1 ? `${first.name} needs you: ${why}` : `${broken.length} projects need you — ${first.name}: ${why}`;
    // Keep the running count visible even when the reason is long.
    return clip(text, MAX_TOOLTIP - others.length) + others;
  }
  if (active.length) {
    const first = active[0]!;
    const detail = progress(first.status);
    if (active.length === 1) {
      const doing = activity(first);
      const head = doing === 'running' ? `Running ${first.name}` : `${first.name} ${doing}`;
      text = `${head}${detail ? ` — ${detail}` : ''}`;
    } else {
      text = `Running ${plural(active.length, 'project')} — ${detail ? `${first.name}: ${detail}` : first.name}`;
    }
  } else if (paused.length) {
    text = `Paused: ${paused.map((p) => p.name).join(', ')}${paused.length === 1 && paused[0]!.status ? ` — ${progress(paused[0]!.status)}` : ''}`;
  } else if (gold.length) {
    const waived = gold.filter((p) => p.status?.waived.length);
    text = `Gold: ${gold.map((p) => p.name).join(', ')} — ${waived.length ? `lines waived in ${waived.map((p) => `${p.name} (${p.status!.waived.join(', ')})`).join(', ')}` : 'every checklist line passes'}`;
  } else {
    text = `Goldloop — ${plural(projects.length, 'project')}, none running`;
  }
  return clip(text, MAX_TOOLTIP);
}

/** A project's state in a menu label: "running, cycle 45". */
function stateLabel(p: ProjectView): string {
  if (p.error) return 'needs attention';
  const s = p.status;
  if (!s) return 'unknown';
  const names: Record<LoopStateName, string> = {
    idle: 'idle',
    running: 'running',
    break: 'on a break',
    waiting_limit: 'waiting for the agent limit',
    paused: 'paused',
    error: 'error',
    complete: 'gold',
    stopped: 'stopped',
  };
  const name = s.gold && s.state !== 'complete' && !isActive(p) ? 'gold' : names[s.state];
  return s.iteration > 0 ? `${name}, cycle ${s.iteration}` : name;
}

/** Which controls make sense for a project now; mirrors what the supervisor accepts. */
export function projectControls(p: ProjectView): Record<'start' | 'pause' | 'resume' | 'stop' | 'runGatesNow', boolean> {
  const state = stateOf(p);
  const readable = !p.error && p.status !== undefined;
  return {
    // A paused run is resumed, not restarted; Stop first to begin a new run.
    start: readable && !p.driven && !p.measuring && state !== 'paused',
    pause: p.driven,
    resume: readable && !p.driven && !p.measuring && state === 'paused',
    stop: p.driven || state === 'paused',
    // The loop measures every cycle while it runs; the supervisor refuses a manual run then.
    runGatesNow: readable && !p.driven && !p.measuring,
  };
}

function projectMenu(p: ProjectView): MenuItemSpec {
  const can = projectControls(p);
  const item = (label: string, kind: keyof typeof can): MenuItemSpec => ({
    type: 'normal',
    label,
    enabled: can[kind],
    action: { kind, projectId: p.id },
  });
  const submenu: MenuItemSpec[] = [];
  if (p.error) submenu.push({ type: 'normal', label: clip(p.error, 80), enabled: false }, { type: 'separator' });
  submenu.push(
    item('Start', 'start'),
    item('Pause', 'pause'),
    item('Resume', 'resume'),
    item('Stop', 'stop'),
    item(p.measuring ? 'Measuring the gates…' : 'Run gates now', 'runGatesNow'),
    { type: 'separator' },
    { type: 'normal', label: 'Show in dashboard', enabled: true, action: { kind: 'openDashboard', projectId: p.id } },
  );
  // Menu labels treat & as an accelerator marker on Windows and Linux; a project named "R&D" must show as is.
  return { type: 'submenu', label: `${p.name.replaceAll('&', '&&')} — ${stateLabel(p)}`, enabled: true, submenu };
}

/** The notification switches, in the order a user thinks of them. */
const NOTIFICATION_LABELS: Record<NoticeType, string> = {
  reports: 'Progress and status reports',
  errors: 'Errors',
  paused_after_errors: 'Paused after repeated errors',
  waiting_limit: 'Waiting for an agent usage limit',
  tamper: 'A cycle not counted (tampering)',
  gold: 'Gold',
};

function notificationsMenu(switches: NotificationSwitches): MenuItemSpec {
  const submenu = (Object.keys(NOTIFICATION_LABELS) as NoticeType[]).map((type): MenuItemSpec => ({
    type: 'checkbox',
    label: NOTIFICATION_LABELS[type],
    enabled: true,
    checked: switches[type],
    action: { kind: 'toggleNotification', type },
  }));
  return { type: 'submenu', label: 'Notifications', enabled: true, submenu };
}

/** The tray menu: every action is here, because on Linux a click on the icon may never arrive. */
export function trayMenu(state: AppState): MenuItemSpec[] {
  const { projects } = state;
  const menu: MenuItemSpec[] = [];
  if (projects.length) menu.push(...projects.map(projectMenu), { type: 'separator' });
  else menu.push({ type: 'normal', label: 'No projects yet', enabled: false }, { type: 'separator' });
  menu.push(
    {
      type: 'normal',
      label: 'Start all',
      enabled: projects.some((p) => projectControls(p).start || projectControls(p).resume),
      action: { kind: 'startAll' },
    },
    { type: 'normal', label: 'Pause all', enabled: projects.some((p) => projectControls(p).pause), action: { kind: 'pauseAll' } },
    { type: 'separator' },
    { type: 'normal', label: state.dashboardOpen ? 'Show dashboard' : 'Open dashboard', enabled: true, action: { kind: 'openDashboard' } },
    { type: 'normal', label: 'Open latest report', enabled: state.latestReport !== undefined, action: { kind: 'openLatestReport' } },
    { type: 'separator' },
    notificationsMenu(state.notifications),
    { type: 'checkbox', label: 'Launch at login', enabled: true, checked: state.launchAtLogin, action: { kind: 'toggleLaunchAtLogin' } },
    { type: 'separator' },
    { type: 'normal', label: 'Quit Goldloop', enabled: true, action: { kind: 'quit' } },
  );
  return menu;
}

/** The calls "Start all" makes: paused runs are resumed, the others started. */
export function startAllPlan(projects: readonly ProjectView[]): ProjectAction[] {
  return projects.flatMap((p): ProjectAction[] => {
    const can = projectControls(p);
    if (can.resume) return [{ kind: 'resume' as const, projectId: p.id }];
    if (can.start) return [{ kind: 'start' as const, projectId: p.id }];
    return [];
  });
}

/** The calls "Pause all" makes: every driven project. */
export function pauseAllPlan(projects: readonly ProjectView[]): ProjectAction[] {
  return projects.filter((p) => projectControls(p).pause).map((p) => ({ kind: 'pause' as const, projectId: p.id }));
}

/** The whole tray for a state. */
export function trayView(state: AppState): TrayView {
  return { icon: trayIcon(state.projects), tooltip: trayTooltip(state), menu: trayMenu(state) };
}
