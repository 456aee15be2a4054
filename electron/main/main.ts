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
import type { ApiEvent } from '../contract/api.ts';
import { drivenIds, initialAppState, reduceAppState, resumePlan, type AppState } from './app-state.ts';
import { forwardEvents, registerApiHandlers } from './ipc.ts';
import { setLinuxAutostart } from './login-item.ts';
import { createNoticeFilter, noticeFor } from '../contract/notifications.ts';
import { formatRoute } from '../contract/routes.ts';
import { createPowerKeeper } from './power.ts';
import { registerAppScheme, serveDashboard } from './protocol.ts';
import { isTrustedSender } from './security.ts';
import { openElectronSettings } from './settings-electron.ts';
import type { Settings } from '../store/settings/app.ts';
import { createTrayShell, type TrayFactory } from './tray.ts';
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

async function start(): Promise<void> {
  // The project list: the CLI's (`goldloop serve` shows the same projects); $GOLDLOOP_CONFIG_DIR moves it for both.
  const configDir = process.env.GOLDLOOP_CONFIG_DIR ?? process.env.GOLDLOOP_USER_DATA;
  const supervisor: Supervisor = await openSupervisor(configDir ? { configDir } : {});
  // Next to the project list, where `goldloop run` and `goldloop serve` read them too.
  const settings: Settings = await openElectronSettings(
    dirname(supervisor.configPath),
    log,
    join(app.getPath('userData'), 'settings.json'),
  );
  serveDashboard(join(appDir, 'dist', 'renderer'));
  lockSession(session.defaultSession);

  // Read before the first update: from then on the list follows what runs, and nothing runs yet.
  const toResume = settings.get().resumeOnLaunch;
  let state: AppState = initialAppState(settings.get().launchAtLogin, settings.get().notifications);
  let win: BrowserWindow | undefined;
  let quitting = false;

  const power = createPowerKeeper(powerSaveBlocker);
  const fresh = createNoticeFilter();
  const trayFactory: TrayFactory = {
    createTray: (image) => new Tray(image as Electron.NativeImage),
    image: (icon) => {
      const image = nativeImage.createFromPath(trayIconFiles(icon, process.platform, resourcesDir));
      if (process.platform === 'darwin') image.setTemplateImage(true);
      return image;
    },
    menu: (template) => Menu.buildFromTemplate(template),
  };
  const tray = createTrayShell(trayFactory, (action) => void act(action));

  const openDashboard = (route?: string): void => {
    if (!win || win.isDestroyed()) {
      win = createDashboardWindow({
        preload: join(appDir, 'out', 'preload', 'preload.cjs'),
        icon: join(appDir, 'build', 'icon.png'),
        quitting: () => quitting,
        onVisibility: (open) => {
          // macOS: a tray app (LSUIElement) has no Dock icon; the dashboard window brings one, for Cmd-Tab and the app menu.
          if (open) void app.dock?.show();
          else app.dock?.hide();
          update({ ...state, dashboardOpen: open });
        },
      });
      win.on('closed', () => (win = undefined));
      if (route !== undefined) showDashboard(win, route);
      return;
    }
    showDashboard(win, route);
  };

  const update = (next: AppState): void => {
    state = next;
    tray.render(trayView(state));
    power.update(state.projects);
    // Persist which projects run on every change, not only on quit: a reboot may never let us quit.
    if (!quitting) {
      const ids = drivenIds(state.projects);
      if (ids.join() !== settings.get().resumeOnLaunch.join()) settings.update({ resumeOnLaunch: ids });
    }
  };

  const notify = (event: ApiEvent): void => {
    if (event.type === 'snapshot' || !Notification.isSupported()) return;
    const name = state.projects.find((p) => p.id === event.projectId)?.name ?? event.projectId;
    const notice = noticeFor(event, name, settings.get().notifications);
    if (!notice || !fresh(notice)) return;
    const n = new Notification({ title: notice.title, body: notice.body, silent: notice.type === 'reports' });
    n.on('click', () => openDashboard(formatRoute(notice.target)));
    n.show();
  };

  const call = async (method: string, args: unknown): Promise<void> => {
    try {
      await supervisor.call(method, args);
    } catch (error) {
      const body = (error as { body?: { message: string; fix?: string } }).body;
      log(`${method}: ${body ? `${body.message}${body.fix ? ` — ${body.fix}` : ''}` : (error as Error).message}`);
    }
  };

  const setLaunchAtLogin = async (enabled: boolean): Promise<void> => {
    if (process.platform === 'linux')
      await setLinuxAutostart(enabled, [process.execPath, ...(app.isPackaged ? [] : [appDir])]).catch((e: Error) =>
        log(`autostart: ${e.message}`),
      );
    else app.setLoginItemSettings({ openAtLogin: enabled, args: ['--hidden'] });
    settings.update({ launchAtLogin: enabled });
    update({ ...state, launchAtLogin: enabled });
  };

  async function act(action: TrayAction): Promise<void> {
    switch (action.kind) {
      case 'start':
      case 'pause':
      case 'resume':
      case 'stop':
      case 'runGatesNow':
        return call(action.kind, { projectId: action.projectId });
      case 'startAll':
        await Promise.all(startAllPlan(state.projects).map((a) => call(a.kind, { projectId: a.projectId })));
        return;
      case 'pauseAll':
        await Promise.all(pauseAllPlan(state.projects).map((a) => call(a.kind, { projectId: a.projectId })));
        return;
      case 'openDashboard':
        return openDashboard(action.projectId ? formatRoute({ projectId: action.projectId }) : undefined);
      case 'openLatestReport': {
        const latest = state.latestReport;
        const project = latest && state.projects.find((p) => p.id === latest.projectId);
        if (latest && project) {
          // The report is Markdown in the project: the user's own viewer opens it, dashboard or not.
          const problem = await shell.openPath(join(project.path, '.goldloop', 'reports', latest.name));
          if (problem) openDashboard(formatRoute({ projectId: latest.projectId, item: { kind: 'report', name: latest.name } }));
        }
        return;
      }
      case 'toggleLaunchAtLogin':
        return setLaunchAtLogin(!state.launchAtLogin);
      case 'toggleNotification': {
        // Kept in the settings file `goldloop run` reads too.
        const notifications = settings.update({ notifications: { [action.type]: !state.notifications[action.type] } }).notifications;
        return update({ ...state, notifications });
      }
      case 'quit':
        app.quit();
        return;
    }
  }

  // IPC: every handler checks that the sender is this window's page on the app origin.
  registerApiHandlers(ipcMain, supervisor, (event) => win !== undefined && !win.isDestroyed() && isTrustedSender(event, win.webContents));
  forwardEvents(
    (l) => supervisor.on(l),
    () => (win && !win.isDestroyed() ? win.webContents : undefined),
  );

  supervisor.on((event) => {
    notify(event);
    const next = reduceAppState(state, event);
    if (next !== state) update(next);
  });

  const first = await supervisor.snapshot();
  const latest = await latestReport(supervisor, first.projects);
  update({ ...reduceAppState(state, first), ...(latest ? { latestReport: latest } : {}) });

  // Resume what ran when the app last quit (or crashed, or the machine rebooted).
  for (const step of resumePlan(toResume, state.projects)) await call(step.kind, { projectId: step.projectId });

  app.on('second-instance', () => openDashboard());
  // macOS: a click on the Dock icon opens the dashboard.
  app.on('activate', () => openDashboard());
  // The tray keeps the app alive; closing the last window must not quit it.
  app.on('window-all-closed', () => {});
  app.on('before-quit', (event) => {
    if (quitting) return;
    // Pause every run (the agents' process trees end, state is saved), then quit for real.
    event.preventDefault();
    quitting = true;
    void supervisor.close().finally(() => {
      power.release();
      tray.destroy();
      app.quit();
    });
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());

  if (process.env.GOLDLOOP_TEST_HOOKS === '1') installTestHooks(() => tray.current, act);
  // Started by the login item (Windows and Linux pass --hidden; macOS says so itself): tray only.
  const atLogin = process.argv.includes('--hidden') || (process.platform === 'darwin' && app.getLoginItemSettings().wasOpenedAtLogin);
  if (!atLogin && !process.env.GOLDLOOP_TEST_HOOKS) openDashboard();
}

/** The newest report of any project, for "Open latest report" before the first report event. */
async function latestReport(supervisor: Supervisor, projects: { id: string; error?: string }[]): Promise<AppState['latestReport']> {
  let best: { projectId: string; name: string; at: string } | undefined;
  for (const p of projects) {
    if (p.error) continue;
    const reports = await supervisor.api.listReports({ projectId: p.id }).catch(() => []);
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
