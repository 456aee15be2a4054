/**
 * Every setting Goldloop keeps, from one place: the other layers import settings from here, never
 * from the files behind it.
 *
 * - A project's settings live in its knowledge base: view.ts maps the dashboard's view to and from
 *   the KB, project.ts reads, checks and writes them (and the changes a run left waiting), and
 *   ProjectSettingsStore is the one object per project that changes them while its loop runs.
 * - The desktop app's settings (app.ts) live in Goldloop's config folder, shared with the CLI.
 *   Their `readSettings` and `SettingsPatch` are exported as `readAppSettings` and
 *   `AppSettingsPatch`, so neither is taken for the project's.
 */
export { kbPatch, mergePatch, settingsField, settingsFromKb } from './view.ts';
export { applyPendingSettings, checkSettings, pendingSettingsPath, readSettings, settingsErrorText, writeSettings } from './project.ts';
export { ProjectSettingsStore } from './project-store.ts';
export {
  DEFAULT_SETTINGS,
  memoryBacking,
  openConfSettings,
  openOrSetAside,
  openSettings,
  readConfSettings,
  readSettings as readAppSettings,
  SETTINGS_FILE,
  SETTINGS_VERSION,
  type AppSettings,
  type Settings,
  type SettingsBacking,
  type SettingsPatch as AppSettingsPatch,
} from './app.ts';
