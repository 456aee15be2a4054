/**
 * The app's settings in electron-store (in Electron's userData folder). Only main.ts imports this
 * file: electron-store imports electron, which tests cannot load.
 */
import { join } from 'node:path';
import { app } from 'electron';
import { importWithoutSignalHooks } from './quiet-import.ts';
import { openOrSetAside, openSettings, SETTINGS_FILE, type Settings, type SettingsBacking } from './settings.ts';

/** Opens the settings; a file that is not JSON is set aside, bad fields fall back with a warning. */
export async function openElectronSettings(warn: (message: string) => void): Promise<Settings> {
  // electron-store is conf: its import hooks SIGINT/SIGTERM too, and the app pauses its runs on those.
  const { default: Store } = await importWithoutSignalHooks(() => import('electron-store'));
  const file = join(app.getPath('userData'), `${SETTINGS_FILE}.json`);
  // No electron-store schema or migrations: they throw on a bad file; settings.ts validates per field instead.
  const backing = await openOrSetAside(() => new Store({ name: SETTINGS_FILE, clearInvalidConfig: false }) as unknown as SettingsBacking, file, warn);
  return openSettings(backing, { warn });
}
