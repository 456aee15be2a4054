/**
 * The app's settings in electron-store (in Goldloop's config folder, shared with the CLI). Only main.ts imports this
 * file: electron-store imports electron, which tests cannot load.
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { openOrSetAside, openSettings, SETTINGS_FILE, type Settings, type SettingsBacking } from '../store/settings/index.ts';
import { importWithoutSignalHooks } from '../platform/quiet-import.ts';

/**
 * Opens the settings in `dir` — Goldloop's config folder, next to the project list, where the
 * headless CLI reads the same file with conf. A file that is not JSON is set aside, bad fields
 * fall back with a warning.
 */
export async function openElectronSettings(dir: string, warn: (message: string) => void, legacyFile?: string): Promise<Settings> {
  // electron-store is conf: its import hooks SIGINT/SIGTERM too, and the app pauses its runs on those.
  const { default: Store } = await importWithoutSignalHooks(() => import('electron-store'));
  const file = join(dir, `${SETTINGS_FILE}.json`);
  // Earlier builds kept them in Electron's userData folder: carried over once, the old file left in place.
  if (legacyFile && legacyFile !== file && !existsSync(file) && existsSync(legacyFile)) {
    await mkdir(dir, { recursive: true });
    await copyFile(legacyFile, file);
    warn(`settings: carried over from ${legacyFile} to ${file}, which the CLI reads too`);
  }
  // No electron-store schema or migrations: they throw on a bad file; settings.ts validates per field instead.
  const backing = await openOrSetAside(
    () => new Store({ name: SETTINGS_FILE, cwd: dir, clearInvalidConfig: false }) as unknown as SettingsBacking,
    file,
    warn,
  );
  return openSettings(backing, { warn });
}
