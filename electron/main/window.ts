/**
 * The dashboard window, locked down per Electron's security checklist: sandboxed renderer,
 * context isolation, no Node, a strict CSP (set by the app protocol, see protocol.ts), no
 * navigation away from the app, no new windows, no permissions, links out only to allow-listed
 * https hosts. Closing it hides it: the tray (and the runs) stay.
 */
import { BrowserWindow, shell, type Session } from 'electron';
import { dashboardUrl, isAllowedExternal, isAppUrl } from './security.ts';

export interface DashboardWindowOptions {
  preload: string;
  icon?: string;
  /** True once the app is quitting: then close really closes. */
  quitting: () => boolean;
  onVisibility: (open: boolean) => void;
}

/** Denies every permission request (camera, notifications from the page, clipboard read, ...): the dashboard needs none. */
export function lockSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

export function createDashboardWindow(options: DashboardWindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 860,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'Goldloop',
    backgroundColor: '#121722',
    ...(options.icon ? { icon: options.icon } : {}),
    webPreferences: {
      preload: options.preload,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  const contents = win.webContents;
  // Hash changes (the dashboard's own routes) do not fire will-navigate; anything else is refused.
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternal(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.once('ready-to-show', () => win.show());
  win.on('show', () => options.onVisibility(true));
  win.on('hide', () => options.onVisibility(false));
  win.on('close', (event) => {
    if (options.quitting()) return;
    event.preventDefault();
    win.hide();
  });
  void win.loadURL(dashboardUrl());
  return win;
}

/** Shows the window (creating it when needed) at a dashboard route such as `/project/<id>/report/<name>`. */
export function showDashboard(win: BrowserWindow, route?: string): void {
  if (route !== undefined) void win.loadURL(dashboardUrl(route));
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
}
