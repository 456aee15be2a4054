/**
 * Launch at login. macOS and Windows have app.setLoginItemSettings; Linux desktops start the
 * programs listed in ~/.config/autostart (the XDG autostart spec), which Electron does not write.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

/** The XDG autostart entry that starts the app hidden (tray only). */
export function autostartEntry(exec: readonly string[]): string {
  // Desktop Entry Exec quoting: each argument in double quotes, with " ` $ \ escaped.
  const quoted = exec.map((a) => `"${a.replace(/(["`$\\])/g, '\\$1')}"`).join(' ');
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Goldloop',
    'Comment=Keeps your AI coding agent working until every gate is green',
    `Exec=${quoted} --hidden`,
    'X-GNOME-Autostart-enabled=true',
    'Terminal=false',
    '',
  ].join('\n');
}

export const autostartFile = (configHome = process.env.XDG_CONFIG_HOME || join(homedir(), '.config')): string =>
  join(configHome, 'autostart', 'goldloop.desktop');

/** Writes or removes the Linux autostart entry. */
export async function setLinuxAutostart(enabled: boolean, exec: readonly string[], file = autostartFile()): Promise<void> {
  if (!enabled) return rm(file, { force: true });
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, autostartEntry(exec));
}
