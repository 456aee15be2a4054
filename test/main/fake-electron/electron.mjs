// A stand-in for the Electron runtime, which cannot run where the tests run: just enough of its
// main-process API for the built out/main/main.js to boot in plain Node, recording what the app
// asks of it. On exit it writes the record to $FAKE_ELECTRON_REPORT. It decides nothing: the app's
// own code runs unchanged. The record is rewritten every 100 ms; SIGUSR2 probes the app protocol.
import { EventEmitter } from 'node:events';
import { renameSync, writeFileSync } from 'node:fs';

const record = {
  schemes: [],
  protocolHandlers: [],
  ipcHandle: [],
  ipcOn: [],
  trays: [],
  menus: 0,
  windows: 0,
  loginItems: [],
  blockers: [],
  quit: 0,
  exitCode: undefined,
};
const handlers = {};
// Written whole and renamed into place, so a reader never sees half a file.
const dump = () => {
  writeFileSync(`${process.env.FAKE_ELECTRON_REPORT}.tmp`, JSON.stringify(record, null, 2));
  renameSync(`${process.env.FAKE_ELECTRON_REPORT}.tmp`, process.env.FAKE_ELECTRON_REPORT);
};
globalThis.__fakeElectron = { record, handlers };

const paths = { userData: process.env.FAKE_ELECTRON_USER_DATA ?? '/tmp/fake-electron' };
class App extends EventEmitter {
  isPackaged = false;
  getAppPath() {
    return process.env.FAKE_ELECTRON_APP_PATH;
  }
  getPath(name) {
    return paths[name] ?? `/tmp/fake-electron-${name}`;
  }
  setPath(name, value) {
    paths[name] = value;
  }
  getVersion() {
    return '0.0.0-fake';
  }
  getName() {
    return 'Goldloop';
  }
  requestSingleInstanceLock() {
    return true;
  }
  whenReady() {
    return Promise.resolve();
  }
  setLoginItemSettings(s) {
    record.loginItems.push(s);
  }
  quit() {
    record.quit += 1;
    let prevented = false;
    this.emit('before-quit', { preventDefault: () => (prevented = true) });
    if (!prevented) {
      dump();
      process.exit(0);
    }
  }
  exit(code) {
    record.exitCode = code;
    dump();
    process.exit(code);
  }
}
export const app = new App();
// Electron's event loop keeps the app alive with no work pending; so does this timer, which
// also writes the record as it grows.
setInterval(dump, 100);
// SIGUSR2: ask the app's protocol handler for a few URLs (as the window would), then dump.
process.on('SIGUSR2', async () => {
  // Recorded only when every answer is in: the timer's dump must not show the test half of them.
  const served = {};
  for (const url of ['app://goldloop/index.html', 'app://goldloop/..%2f..%2fpackage.json', 'app://elsewhere/index.html']) {
    const res = await handlers.app?.({ url, method: 'GET' });
    served[url] = res
      ? { status: res.status, csp: res.headers.get('content-security-policy'), type: res.headers.get('content-type') }
      : null;
  }
  record.served = served;
  dump();
});

export const protocol = {
  registerSchemesAsPrivileged: (schemes) => record.schemes.push(...schemes),
  handle: (scheme, handler) => {
    record.protocolHandlers.push(scheme);
    handlers[scheme] = handler;
  },
};
export const ipcMain = {
  handle: (channel, listener) => {
    record.ipcHandle.push(channel);
    handlers[channel] = listener;
  },
  removeHandler: () => {},
  on: (channel) => record.ipcOn.push(channel),
};
export class Tray {
  constructor(image) {
    this.entry = { images: [image.path], tooltips: [], menus: 0, destroyed: false };
    record.trays.push(this.entry);
    // FAKE_ELECTRON_TERM_AT_TRAY=1: a logout's SIGTERM the moment the app makes its tray, while it is still starting.
    if (process.env.FAKE_ELECTRON_TERM_AT_TRAY === '1') process.kill(process.pid, 'SIGTERM');
  }
  setImage(image) {
    this.entry.images.push(image.path);
  }
  setToolTip(text) {
    this.entry.tooltips.push(text);
  }
  setContextMenu(menu) {
    this.entry.menus += 1;
    // FAKE_ELECTRON_CLICK="Notifications>Errors": a user picks that item once, from the first menu that has it.
    const path = process.env.FAKE_ELECTRON_CLICK;
    if (!path || this.clicked) return;
    let items = menu;
    let item;
    for (const label of path.split('>')) {
      item = items?.find((i) => i.label === label);
      items = item?.submenu;
    }
    if (item?.click) {
      this.clicked = true;
      setTimeout(() => item.click(), 0);
    }
  }
  destroy() {
    this.entry.destroyed = true;
  }
}
export const Menu = {
  buildFromTemplate: (template) => {
    record.menus += 1;
    return template;
  },
};
export const nativeImage = { createFromPath: (path) => ({ path, setTemplateImage() {} }) };
export class Notification extends EventEmitter {
  static isSupported() {
    return false;
  }
  show() {}
}
let blockerId = 0;
export const powerSaveBlocker = {
  start: (type) => {
    record.blockers.push(`start ${type}`);
    return ++blockerId;
  },
  stop: (id) => record.blockers.push(`stop ${id}`),
};
export const session = { defaultSession: { setPermissionRequestHandler() {}, setPermissionCheckHandler() {} } };
export const shell = { openExternal: async () => {}, openPath: async () => '' };
/** A window: counted, with the dashboard URLs it was asked to load; shown at once, never destroyed. */
export class BrowserWindow extends EventEmitter {
  constructor() {
    super();
    record.windows += 1;
    this.webContents = Object.assign(new EventEmitter(), { setWindowOpenHandler() {} });
    dump();
  }
  async loadURL(url) {
    (record.loaded ??= []).push(url);
    dump();
  }
  isDestroyed() {
    return false;
  }
  isMinimized() {
    return false;
  }
  restore() {}
  show() {}
  hide() {}
  focus() {}
}
export default { app, protocol, ipcMain, Tray, Menu, nativeImage, Notification, powerSaveBlocker, session, shell, BrowserWindow };
