/**
 * Where Goldloop keeps its own files on this machine, outside every project: the config folder
 * (the project list and the app's settings) and the state folder (what decides gold, which an
 * agent working in a project must never be able to write). Each can be moved with an environment
 * variable; the defaults follow each platform's convention.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

type Env = Record<string, string | undefined>;

/**
 * The config folder: `$GOLDLOOP_CONFIG_DIR`, else where conf (and electron-store, in the app)
 * keeps `goldloop`'s files by default, so the CLI and the desktop app agree on it.
 */
export function configDir(env: Env = process.env, platform: NodeJS.Platform = process.platform, home = homedir()): string {
  if (env.GOLDLOOP_CONFIG_DIR) return env.GOLDLOOP_CONFIG_DIR;
  if (platform === 'darwin') return join(home, 'Library', 'Preferences', 'goldloop-nodejs');
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'goldloop-nodejs', 'Config');
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), 'goldloop-nodejs');
}

/** The state folder: `$GOLDLOOP_STATE_DIR`, else the platform's place for an application's state. */
export function stateDir(env: Env = process.env, platform: NodeJS.Platform = process.platform, home = homedir()): string {
  if (env.GOLDLOOP_STATE_DIR) return env.GOLDLOOP_STATE_DIR;
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'goldloop', 'state');
  if (platform === 'win32') return join(env.LOCALAPPDATA ?? join(home, 'AppData', 'Local'), 'goldloop', 'state');
  return join(env.XDG_STATE_HOME || join(home, '.local', 'state'), 'goldloop');
}
