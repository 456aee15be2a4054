/**
 * The app's settings in electron-store (in Goldloop's config folder, shared with the CLI). Only main.ts imports this
 * file: electron-store imports electron, which tests cannot load.
 */
import { join } from 'node:path';
import { openOrSetAside, openSettings, SETTINGS_FILE, type Settings, type SettingsBacking } from '../core/app-settings.ts';
import { importWithoutSignalHooks } from '../core/quiet-import.ts';

/**
 * Opens the settings in `dir` — Goldloop's config folder, next to the project list, where the
 * headless CLI reads the same file with conf. A file that is not JSON is set aside, bad fields
 * fall back with a warning.
 */
export async function openElectronSettings(dir: string, warn: (message: string) => void): Promise<Settings> {
  // electron-store is conf: its import hooks SIGINT/SIGTERM too, and the app pauses its runs on those.
  const { default: Store } = await importWithoutSignalHooks(() => import('electron-store'));
  const file = join(dir, `${SETTINGS_FILE}.json`);
  // No electron-store schema or migrations: they throw on a bad file; settings.ts validates per field instead.
  const backing = await openOrSetAside(() => new Store({ name: SETTINGS_FILE, cwd: dir, clearInvalidConfig: false }) as unknown as SettingsBacking, file, warn);
  return openSettings(backing, { warn });
}
