/**
 * Applies a `TrayView` to a tray. Electron's Tray, Menu and nativeImage arrive through an
 * injected factory (as in Signal's SystemTrayService), so this runs in tests with a recording
 * fake; main.ts passes the real ones.
 */
import type { MenuItemSpec, TrayAction, TrayIcon, TrayView } from './tray-view.ts';

/** The part of Electron's Tray used here. */
export interface TrayLike {
  setImage(image: unknown): void;
  setToolTip(text: string): void;
  setContextMenu(menu: unknown): void;
  destroy(): void;
}

/** Electron's MenuItemConstructorOptions, as far as the tray uses them. */
export interface MenuTemplateItem {
  type?: 'normal' | 'checkbox' | 'separator' | 'submenu';
  label?: string;
  enabled?: boolean;
  checked?: boolean;
  click?: () => void;
  submenu?: MenuTemplateItem[];
}

export interface TrayFactory {
  /** Creates the tray with its first image (Electron's `new Tray(image)`). */
  createTray(image: unknown): TrayLike;
  /** The image for a state (nativeImage from the icon file). */
  image(icon: TrayIcon): unknown;
  /** A menu from a template (Menu.buildFromTemplate). */
  menu(template: MenuTemplateItem[]): unknown;
}

/** A MenuItemSpec as an Electron menu template item; a click calls `onAction` with the item's action. */
export function toMenuTemplate(items: readonly MenuItemSpec[], onAction: (action: TrayAction) => void): MenuTemplateItem[] {
  return items.map((item): MenuTemplateItem => {
    switch (item.type) {
      case 'separator':
        return { type: 'separator' };
      case 'submenu':
        return { type: 'submenu', label: item.label, enabled: item.enabled, submenu: toMenuTemplate(item.submenu, onAction) };
      case 'checkbox': {
        const action = item.action;
        return { type: 'checkbox', label: item.label, enabled: item.enabled, checked: item.checked, click: () => onAction(action) };
      }
      default: {
        const action = item.action;
        return { type: 'normal', label: item.label, enabled: item.enabled, ...(action ? { click: () => onAction(action) } : {}) };
      }
    }
  });
}

export interface TrayShell {
  /** Shows a view; only the parts that changed are re-applied (a menu rebuild closes an open menu on some desktops). */
  render(view: TrayView): void;
  readonly current: TrayView | undefined;
  destroy(): void;
}

export function createTrayShell(factory: TrayFactory, onAction: (action: TrayAction) => void): TrayShell {
  let tray: TrayLike | undefined;
  let current: TrayView | undefined;
  let menuKey = '';
  return {
    render(view) {
      if (!tray) {
        tray = factory.createTray(factory.image(view.icon));
      } else if (current?.icon !== view.icon) {
        tray.setImage(factory.image(view.icon));
      }
      if (current?.tooltip !== view.tooltip) tray.setToolTip(view.tooltip);
      const key = JSON.stringify(view.menu);
      if (key !== menuKey) {
        tray.setContextMenu(factory.menu(toMenuTemplate(view.menu, onAction)));
        menuKey = key;
      }
      current = view;
    },
    get current() {
      return current;
    },
    destroy() {
      tray?.destroy();
      tray = undefined;
      current = undefined;
      menuKey = '';
    },
  };
}
