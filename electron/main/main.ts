/**
 * The desktop app: one instance, a tray that shows and drives every project, the dashboard
 * window on demand, OS notifications, keep-awake while a cycle runs, launch at login, and runs
 * resumed after a restart. The engine is the same Supervisor `goldloop serve` uses; this file
 * only wires Electron to it. Everything that decides something lives in a pure module beside it
 * (tray-view, notifications, power, settings, app-state, security) and is unit-tested there.
 */
import { dirname, join } from 'node:path';
import { app, BrowserWindow, ipcMain, Menu, nativeImage, Notification, powerSaveBlocker, session, shell, Tray } from 'electron';
import { openSupervisor, type Supervisor } from '../server/supervisor.ts';
import type { ApiEvent, ApiMethod } from '../contract/api.ts';
import { drivenIds, initialAppState, reduceAppState, resumePlan, type AppState } from './app-state.ts';
import { forwardEvents, registerApiHandlers } from './ipc.ts';
import { setLinuxAutostart } from './login-item.ts';
import { createNoticeFilter, noticeFor, type DesktopNotice } from '../contract/notifications.ts';
import { formatRoute } from '../contract/routes.ts';
import { createPowerKeeper, type PowerKeeper } from './power.ts';
import { registerAppScheme, serveDashboard } from './protocol.ts';
import { isTrustedSender } from './security.ts';
import { openElectronSettings } from './settings-electron.ts';
import type { Settings } from '../store/settings/index.ts';
import { createTrayShell, type TrayFactory, type TrayShell } from './tray.ts';
import { trayIconFiles } from './tray-icons.ts';
import { pauseAllPlan, startAllPlan, trayView, type TrayAction } from './tray-view.ts';
import { createDashboardWindow, lockSession, showDashboard } from './window.ts';

const log = (message: string): void => void process.stderr.write(`goldloop: ${message}\n`);

// Tests (and a second profile) keep their data apart; must happen before anything reads userData.
if (process.env.GOLDLOOP_USER_DATA) app.setPath('userData', process.env.GOLDLOOP_USER_DATA);

registerAppScheme();

/** Where the built app lives: the asar in an installed app, the repository with `npm start`. */
const appDir = app.getAppPath();
/** Where extraResources (the tray icons) are: next to the asar when installed, the repository otherwise. */
const resourcesDir = app.isPackaged ? process.resourcesPath : appDir;

if (!app.requestSingleInstanceLock()) {
  // Another Goldloop runs: it gets 'second-instance' and shows its dashboard.
  app.quit();
} else {
  void app.whenReady().then(start, (error: unknown) => {
    log(`could not start: ${(error as Error).stack ?? String(error)}`);
    app.exit(1);
  });
}

/** What the wiring steps below share: the engine, the settings, the tray and keep-awake, and the state that changes. */
interface Desktop {
  readonly supervisor: Supervisor;
  readonly settings: Settings;
  readonly power: PowerKeeper;
  readonly tray: TrayShell;
  state: AppState;
  win: BrowserWindow | undefined;
  quitting: boolean;
  /** False until the runs of the last session are resumed: till then the saved list is theirs, not what runs. */
  resumed: boolean;
}

async function start(): Promise<void> {
  const { supervisor, settings } = await openEngine();
  serveDashboard(join(appDir, 'dist', 'renderer'));
  lockSession(session.defaultSession);

  // Read before the first update: from then on the list follows what runs, and nothing runs yet.
  const toResume = settings.get().resume_on_launch;
  const desktop: Desktop = {
    supervisor,
    settings,
    power: createPowerKeeper(powerSaveBlocker),
    tray: createTrayShell(trayFactory(), (action) => void act(desktop, action)),
    state: initialAppState(settings.get().launch_at_login, settings.get().notifications),
    win: undefined,
    quitting: false,
    resumed: false,
  };

  // First: a logout or `kill` while the rest starts up must still pause what runs, never kill it.
  handleAppEvents(desktop);
  wireIpc(desktop);
  followEngine(desktop);
  await showFirstSnapshot(desktop);
  // Resume what ran when the app last quit (or crashed, or the machine rebooted); a quit meanwhile stops that.
  for (const step of resumePlan(toResume, desktop.state.projects)) {
    if (desktop.quitting) break;
    await call(desktop, step.kind, { project_id: step.projectId });
  }
  desktop.resumed = true;
  update(desktop, desktop.state);

  if (process.env.GOLDLOOP_TEST_HOOKS === '1')
    installTestHooks(
      () => desktop.tray.current,
      (action) => act(desktop, action),
    );
  if (!openedAtLogin() && !process.env.GOLDLOOP_TEST_HOOKS) openDashboard(desktop);
}

/** The Supervisor and the settings, both in Goldloop's config folder, where the CLI finds them too. */
async function openEngine(): Promise<{ supervisor: Supervisor; settings: Settings }> {
  // The project list: the CLI's (`goldloop serve` shows the same projects); $GOLDLOOP_CONFIG_DIR moves it for both.
  const configDir = process.env.GOLDLOOP_CONFIG_DIR ?? process.env.GOLDLOOP_USER_DATA;
  const supervisor = await openSupervisor({ ...(configDir ? { configDir } : {}), warn: log });
  // Next to the project list, where `goldloop run` and `goldloop serve` read them too.
  const settings = await openElectronSettings(dirname(supervisor.configPath), log, join(app.getPath('userData'), 'settings.json'));
  return { supervisor, settings };
}

function trayFactory(): TrayFactory {
  return {
    createTray: (image) => new Tray(image as Electron.NativeImage),
    image: (icon) => {
      const image = nativeImage.createFromPath(trayIconFiles(icon, process.platform, resourcesDir));
      if (process.platform === 'darwin') image.setTemplateImage(true);
      return image;
    },
    menu: (template) => Menu.buildFromTemplate(template),
  };
}

/** Shows the dashboard (at a route), making its window first when there is none. */
function openDashboard(desktop: Desktop, route?: string): void {
  if (desktop.win && !desktop.win.isDestroyed()) {
    showDashboard(desktop.win, route);
    return;
  }
  const win = createDashboardWindow({
    preload: join(appDir, 'out', 'preload', 'preload.cjs'),
    icon: join(appDir, 'build', 'icon.png'),
    quitting: () => desktop.quitting,
    onVisibility: (open) => {
      // macOS: a tray app (LSUIElement) has no Dock icon; the dashboard window brings one, for Cmd-Tab and the app menu.
      if (open) void app.dock?.show();
      else app.dock?.hide();
      update(desktop, { ...desktop.state, dashboardOpen: open });
    },
  });
  desktop.win = win;
  win.on('closed', () => (desktop.win = undefined));
  if (route !== undefined) showDashboard(win, route);
}

/** The one way the state changes: the tray and keep-awake follow it, and the runs to resume are saved. */
function update(desktop: Desktop, next: AppState): void {
  desktop.state = next;
  desktop.tray.render(trayView(next));
  desktop.power.update(next.projects);
  // Persist which projects run on every change, not only on quit: a reboot may never let us quit.
  if (desktop.resumed && !desktop.quitting) {
    const ids = drivenIds(next.projects);
    if (ids.join() !== desktop.settings.get().resume_on_launch.join()) desktop.settings.update({ resume_on_launch: ids });
  }
}

/**
 * Calls the engine for the tray; a refusal is logged, as the tray has nowhere to show it — but a
 * start the preflight refused opens the project in the dashboard, which lists each fix.
 */
async function call(desktop: Desktop, method: ApiMethod, args: { project_id: string }): Promise<void> {
  try {
    await desktop.supervisor.call(method, args);
  } catch (error) {
    const body = (error as { body?: { code?: string; message: string; fix?: string } }).body;
    log(`${method}: ${body ? `${body.message}${body.fix ? ` — ${body.fix}` : ''}` : (error as Error).message}`);
    if (body?.code === 'preflight_failed') openDashboard(desktop, formatRoute({ project_id: args.project_id }));
  }
}

/** What a tray menu item does. */
async function act(desktop: Desktop, action: TrayAction): Promise<void> {
  switch (action.kind) {
    case 'start':
    case 'pause':
    case 'resume':
    case 'stop':
    case 'runGatesNow':
      return call(desktop, action.kind, { project_id: action.projectId });
    case 'startAll':
      await Promise.all(startAllPlan(desktop.state.projects).map((a) => call(desktop, a.kind, { project_id: a.projectId })));
      return;
    case 'pauseAll':
      await Promise.all(pauseAllPlan(desktop.state.projects).map((a) => call(desktop, a.kind, { project_id: a.projectId })));
      return;
    case 'openDashboard':
      return openDashboard(desktop, action.projectId ? formatRoute({ project_id: action.projectId }) : undefined);
    case 'openLatestReport':
      return openLatestReport(desktop);
    case 'toggleLaunchAtLogin':
      return setLaunchAtLogin(desktop, !desktop.state.launchAtLogin);
    case 'toggleNotification': {
      // Kept in the settings file `goldloop run` reads too.
      const notifications = desktop.settings.update({
        notifications: { [action.type]: !desktop.state.notifications[action.type] },
      }).notifications;
      return update(desktop, { ...desktop.state, notifications });
    }
    case 'quit':
      app.quit();
      return;
  }
}

async function openLatestReport(desktop: Desktop): Promise<void> {
  const latest = desktop.state.latestReport;
  const project = latest && desktop.state.projects.find((p) => p.id === latest.projectId);
  if (!latest || !project) return;
  // The report is Markdown in the project: the user's own viewer opens it, dashboard or not.
  const problem = await shell.openPath(join(project.path, '.goldloop', 'reports', latest.name));
  if (problem) openDashboard(desktop, formatRoute({ project_id: latest.projectId, item: { kind: 'report', name: latest.name } }));
}

async function setLaunchAtLogin(desktop: Desktop, enabled: boolean): Promise<void> {
  if (process.platform === 'linux')
    await setLinuxAutostart(enabled, [process.execPath, ...(app.isPackaged ? [] : [appDir])]).catch((e: Error) =>
      log(`autostart: ${e.message}`),
    );
  else app.setLoginItemSettings({ openAtLogin: enabled, args: ['--hidden'] });
  desktop.settings.update({ launch_at_login: enabled });
  update(desktop, { ...desktop.state, launchAtLogin: enabled });
}

/** IPC: every handler checks that the sender is this window's page on the app origin. */
function wireIpc(desktop: Desktop): void {
  const { supervisor } = desktop;
  registerApiHandlers(
    ipcMain,
    supervisor,
    (event) => desktop.win !== undefined && !desktop.win.isDestroyed() && isTrustedSender(event, desktop.win.webContents),
  );
  forwardEvents(
    (l) => supervisor.on(l),
    () => (desktop.win && !desktop.win.isDestroyed() ? desktop.win.webContents : undefined),
  );
}

/** Every engine event: a notification when one is due, and the tray's state. */
function followEngine(desktop: Desktop): void {
  const fresh = createNoticeFilter();
  desktop.supervisor.on((event) => {
    notify(desktop, fresh, event);
    const next = reduceAppState(desktop.state, event);
    if (next !== desktop.state) update(desktop, next);
  });
}

function notify(desktop: Desktop, fresh: (notice: DesktopNotice) => boolean, event: ApiEvent): void {
  if (event.type === 'snapshot' || !Notification.isSupported()) return;
  const name = desktop.state.projects.find((p) => p.id === event.project_id)?.name ?? event.project_id;
  const notice = noticeFor(event, name, desktop.settings.get().notifications);
  if (!notice || !fresh(notice)) return;
  const n = new Notification({ title: notice.title, body: notice.body, silent: notice.type === 'reports' });
  n.on('click', () => openDashboard(desktop, formatRoute(notice.target)));
  n.show();
}

/** The projects as they are now, and the newest report, before any event arrives. */
async function showFirstSnapshot(desktop: Desktop): Promise<void> {
  const first = await desktop.supervisor.snapshot();
  const latest = await latestReport(desktop.supervisor, first.projects);
  update(desktop, { ...reduceAppState(desktop.state, first), ...(latest ? { latestReport: latest } : {}) });
}

/** The app's own events: the tray outlives its windows, and a quit first pauses every run. */
function handleAppEvents(desktop: Desktop): void {
  app.on('second-instance', () => openDashboard(desktop));
  // macOS: a click on the Dock icon opens the dashboard.
  app.on('activate', () => openDashboard(desktop));
  // The tray keeps the app alive; closing the last window must not quit it.
  app.on('window-all-closed', () => {});
  app.on('before-quit', (event) => {
    if (desktop.quitting) return;
    // Pause every run (the agents' process trees end, state is saved), then quit for real.
    event.preventDefault();
    desktop.quitting = true;
    void desktop.supervisor.close().finally(() => {
      desktop.power.release();
      desktop.tray.destroy();
      app.quit();
    });
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());
}

/** Started by the login item (Windows and Linux pass --hidden; macOS says so itself): tray only. */
function openedAtLogin(): boolean {
  return process.argv.includes('--hidden') || (process.platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin);
}

/** The newest report of any project, for "Open latest report" before the first report event. */
async function latestReport(supervisor: Supervisor, projects: { id: string; error?: string }[]): Promise<AppState['latestReport']> {
  let best: { projectId: string; name: string; at: string } | undefined;
  for (const p of projects) {
    if (p.error) continue;
    const reports = await supervisor.api.listReports({ project_id: p.id }).catch(() => []);
    for (const r of reports) if (!best || r.at > best.at) best = { projectId: p.id, name: r.name, at: r.at };
  }
  return best ? { projectId: best.projectId, name: best.name } : undefined;
}

/** For the Electron smoke test only (GOLDLOOP_TEST_HOOKS=1): the tray as drawn, and its actions. */
function installTestHooks(view: () => ReturnType<typeof trayView> | undefined, act: (action: TrayAction) => Promise<void>): void {
  const labels = (items: ReturnType<typeof trayView>['menu']): string[] =>
    items.flatMap((i) => (i.type === 'separator' ? [] : i.type === 'submenu' ? [i.label, ...labels(i.submenu)] : [i.label]));
  (globalThis as Record<string, unknown>).__goldloopTest = {
    tray: () => {
      const v = view();
      return { exists: v !== undefined, icon: v?.icon ?? '', tooltip: v?.tooltip ?? '', labels: v ? labels(v.menu) : [] };
    },
    act: (kind: TrayAction['kind'], projectId?: string) => act((projectId ? { kind, projectId } : { kind }) as TrayAction),
  };
}
