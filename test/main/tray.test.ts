import { describe, expect, it } from 'vitest';
import { createTrayShell, toMenuTemplate, type TrayFactory } from '../../electron/main/tray.ts';
import { trayView, type TrayAction } from '../../electron/main/tray-view.ts';
import { DEFAULT_SETTINGS } from '../../electron/store/settings/index.ts';
import { project } from './views.ts';

/** Electron's Tray, Menu and nativeImage as a log of what was applied. */
function fakeFactory() {
  const log: string[] = [];
  const menus: { label?: string; click?: () => void; submenu?: unknown[] }[][] = [];
  const factory: TrayFactory = {
    createTray(image) {
      log.push(`create ${String(image)}`);
      return {
        setImage: (i) => log.push(`image ${String(i)}`),
        setToolTip: (t) => log.push(`tooltip ${t}`),
        setContextMenu: () => log.push('menu'),
        destroy: () => log.push('destroy'),
      };
    },
    image: (icon) => `img:${icon}`,
    menu: (template) => {
      menus.push(template);
      return template;
    },
  };
  return { factory, log, menus };
}

const view = (...states: Parameters<typeof project>[1][]) =>
  trayView({
    projects: states.map((s, i) => project(`p${i}`, s)),
    launchAtLogin: false,
    notifications: DEFAULT_SETTINGS.notifications,
    dashboardOpen: false,
  });

describe('createTrayShell', () => {
  it('creates the tray on the first view and applies all of it', () => {
    const { factory, log } = fakeFactory();
    createTrayShell(factory, () => {}).render(view('idle'));
    expect(log).toEqual(['create img:idle', 'tooltip Goldloop — 1 project, none running', 'menu']);
  });

  it('re-applies only what changed', () => {
    const { factory, log } = fakeFactory();
    const shell = createTrayShell(factory, () => {});
    shell.render(view('idle'));
    log.length = 0;
    shell.render(view('idle'));
    expect(log).toEqual([]);
    shell.render(view('running'));
    expect(log).toEqual(['image img:running', 'tooltip Running p0 — cycle 45, Phase 2 60%', 'menu']);
  });

  it('routes menu clicks to the action of the item', () => {
    const { factory, menus } = fakeFactory();
    const clicked: TrayAction[] = [];
    createTrayShell(factory, (a) => clicked.push(a)).render(view('running'));
    const sub = menus[0]![0]!.submenu as { label: string; click?: () => void }[];
    sub.find((i) => i.label === 'Pause')!.click!();
    menus[0]!.find((i) => i.label === 'Quit Goldloop')!.click!();
    expect(clicked).toEqual([{ kind: 'pause', projectId: 'p0' }, { kind: 'quit' }]);
  });

  it('destroys the tray', () => {
    const { factory, log } = fakeFactory();
    const shell = createTrayShell(factory, () => {});
    shell.render(view());
    shell.destroy();
    expect(log.at(-1)).toBe('destroy');
    expect(shell.current).toBeUndefined();
  });
});

describe('toMenuTemplate', () => {
  it('keeps types, labels, enabled and checked, and gives disabled labels no click', () => {
    const template = toMenuTemplate(
      [
        { type: 'normal', label: 'No projects yet', enabled: false },
        { type: 'separator' },
        { type: 'checkbox', label: 'Launch at login', enabled: true, checked: true, action: { kind: 'toggleLaunchAtLogin' } },
      ],
      () => {},
    );
    expect(template[0]).toEqual({ type: 'normal', label: 'No projects yet', enabled: false });
    expect(template[1]).toEqual({ type: 'separator' });
    expect(template[2]).toMatchObject({ type: 'checkbox', label: 'Launch at login', enabled: true, checked: true });
  });
});
