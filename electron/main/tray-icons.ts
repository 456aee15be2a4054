import { join } from 'node:path';
import type { TrayIcon } from './tray-view.ts';

/**
 * The image file for a tray state on a platform, under `resourcesDir` (the repository in
 * development, `process.resourcesPath` in an installed app — electron-builder copies
 * resources/icons there as extraResources):
 * - macOS: the black template image; Electron picks `@2x` by itself and macOS tints it for the
 *   menu bar's light or dark look.
 * - Windows: the .ico with 16, 32 and 48 px, so the tray picks the size for the display's scale.
 * - Linux: the 32 px PNG; panels scale it to their height (most use 22–24 px).
 */
export function trayIconFiles(icon: TrayIcon, platform: NodeJS.Platform, resourcesDir: string): string {
  const dir = join(resourcesDir, 'resources', 'icons', 'tray');
  if (platform === 'darwin') return join(dir, `${icon}Template.png`);
  if (platform === 'win32') return join(dir, `${icon}.ico`);
  return join(dir, `${icon}-32.png`);
}
