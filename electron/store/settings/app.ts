/**
 * The desktop app's settings: a zod schema, versioned migrations, and a store behind a small
 * interface. The app keeps them in electron-store (settings-electron.ts, made in main.ts), in
 * Goldloop's config folder; the headless CLI reads the same file with `readConfSettings`, and tests
 * use `memoryBacking` or `openConfSettings` — the same file format, because electron-store is conf
 * with Electron's paths.
 *
 * A stored file is never trusted: each field is validated on its own, and a bad one falls back to
 * its default with a warning that names it, so one typo never resets the rest (or crashes the app).
 */
import { join } from 'node:path';
import { z } from 'zod';
import { setAside } from '../../platform/atomic.ts';
import { importWithoutSignalHooks } from '../../platform/quiet-import.ts';
import type { NotificationSwitches } from '../../contract/notifications.ts';
import { snakeCaseKeys } from '../legacy.ts';

/** The version this build writes. Bump it and add a migration when the shape changes. */
export const SETTINGS_VERSION = 3;

const on = z.boolean({ error: 'use true or false' }).default(true);

const NotificationsSchema = z.object({
  reports: on,
  errors: on,
  paused_after_errors: on,
  waiting_limit: on,
  tamper: on,
  gold: on,
});

/** The settings as this version keeps them. */
export const SettingsSchema = z.object({
  version: z.literal(SETTINGS_VERSION),
  /** Per-type notification switches. */
  notifications: NotificationsSchema,
  launch_at_login: z.boolean({ error: 'use true or false' }).default(false),
  /**
   * The projects that were running when the app last quit (their runs end in `paused`, like a
   * user's pause, so the registry alone cannot tell them apart); they are resumed on launch.
   */
  resume_on_launch: z.array(z.string().regex(/^[a-z0-9-]{1,64}$/), { error: 'use a list of project ids' }).default([]),
});

export type AppSettings = z.infer<typeof SettingsSchema>;

/** A change to some settings; `notifications` may name only the switches that change. */
export type SettingsPatch = Partial<Omit<AppSettings, 'version' | 'notifications'>> & { notifications?: Partial<NotificationSwitches> };

type Raw = Record<string, unknown>;

/**
 * Migrations, by the version they upgrade FROM. Each takes the stored object as it is (never
 * trusted) and returns the next version's shape; validation runs after the last one.
 */
export const MIGRATIONS: Record<number, (raw: Raw) => Raw> = {
  /**
   * v1 had flat switches: `notify` (all notifications) and `notifyReports` / `notifyErrors`
   * (overrides). v2 has one switch per notification type under `notifications`.
   */
  1: (raw) => {
    const { notify, notifyReports, notifyErrors, ...rest } = raw;
    // A bad `notify` is carried into every switch, so validation names each one it spoiled.
    const all = notify === undefined ? true : notify;
    const pick = (value: unknown): unknown => (value === undefined ? all : value);
    return {
      ...rest,
      version: 2,
      notifications: {
        reports: pick(notifyReports),
        errors: pick(notifyErrors),
        paused_after_errors: all,
        waiting_limit: all,
        tamper: all,
        gold: all,
      },
    };
  },
  /** v3 names its fields in snake_case, as every file Goldloop writes does; the values stay. */
  2: (raw) => {
    const { launchAtLogin, resumeOnLaunch, notifications, ...rest } = raw;
    const switches = isObject(notifications) ? snakeCaseKeys(notifications) : notifications;
    return {
      ...rest,
      version: 3,
      ...(switches !== undefined ? { notifications: switches } : {}),
      ...(launchAtLogin !== undefined ? { launch_at_login: launchAtLogin } : {}),
      ...(resumeOnLaunch !== undefined ? { resume_on_launch: resumeOnLaunch } : {}),
    };
  },
};

const isObject = (value: unknown): value is Raw => typeof value === 'object' && value !== null && !Array.isArray(value);

const show = (value: unknown): string => {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 57)}...` : text;
};

/** Validates each field of `schema` alone: a bad field takes its default and adds a warning. */
function fieldwise(schema: z.ZodObject, raw: Raw, prefix: string, warnings: string[]): Raw {
  const out: Raw = {};
  for (const [key, field] of Object.entries(schema.shape) as [string, z.ZodType][]) {
    const path = `${prefix}${key}`;
    const value = raw[key];
    if (field instanceof z.ZodObject) {
      if (value !== undefined && !isObject(value))
        warnings.push(`settings: ${path} is ${show(value)}, not an object; using the defaults for it`);
      out[key] = fieldwise(field, isObject(value) ? value : {}, `${path}.`, warnings);
      continue;
    }
    const parsed = field.safeParse(value);
    if (parsed.success) {
      out[key] = parsed.data;
      continue;
    }
    const fallback = field.safeParse(undefined);
    out[key] = fallback.success ? fallback.data : undefined;
    warnings.push(
      `settings: ${path} is ${show(value)}: ${parsed.error.issues[0]?.message ?? 'invalid'}; using the default (${show(out[key])})`,
    );
  }
  for (const key of Object.keys(raw))
    if (!(key in schema.shape)) warnings.push(`settings: ${prefix}${key} is not a setting; it is ignored`);
  return out;
}

/** The result of reading a stored object: valid settings, whether the file should be rewritten, and what was wrong. */
export interface ReadSettings {
  settings: AppSettings;
  migrated: boolean;
  warnings: string[];
}

/** Migrates and validates a stored object (anything at all) into settings. Never throws. */
export function readSettings(stored: unknown): ReadSettings {
  const warnings: string[] = [];
  let raw: Raw = isObject(stored) ? { ...stored } : {};
  if (stored !== undefined && !isObject(stored))
    warnings.push(`settings: the file holds ${show(stored)}, not an object; using the defaults`);
  // A file without a version is either empty (new) or from v1, which did not write one.
  let version =
    typeof raw.version === 'number' && Number.isInteger(raw.version) ? raw.version : Object.keys(raw).length ? 1 : SETTINGS_VERSION;
  let migrated = false;
  if (version > SETTINGS_VERSION) {
    warnings.push(`settings: written by a newer Goldloop (version ${version}); reading the fields this version knows`);
    raw = { ...raw, version: SETTINGS_VERSION };
    version = SETTINGS_VERSION;
  }
  while (version < SETTINGS_VERSION) {
    const migrate = MIGRATIONS[version];
    if (!migrate) {
      warnings.push(`settings: version ${version} cannot be migrated; using the defaults`);
      raw = { version: SETTINGS_VERSION };
      break;
    }
    raw = migrate(raw);
    version += 1;
    migrated = true;
  }
  raw.version = SETTINGS_VERSION;
  const settings = fieldwise(SettingsSchema, raw, '', warnings) as AppSettings;
  return { settings, migrated, warnings };
}

/** The defaults: what an empty store reads as. */
export const DEFAULT_SETTINGS: AppSettings = readSettings({}).settings;

/** Where settings are kept: the whole object at once, like conf's and electron-store's `store`. */
export interface SettingsBacking {
  get store(): unknown;
  set store(value: Raw);
  /** Shown in warnings, so the user knows which file to look at. */
  readonly path: string;
}

/** The app's view of its settings. */
export interface Settings {
  get(): AppSettings;
  /** Applies a change, validated like a stored file; returns the new settings. */
  update(patch: SettingsPatch): AppSettings;
  /** What was wrong with the stored file when it was opened (empty when nothing was). */
  readonly warnings: readonly string[];
  readonly path: string;
}

/**
 * Settings over a backing store. A migrated file is written back at once (in the new shape);
 * a file with bad fields is left as it is until the user changes a setting, so a hand edit is
 * not lost to a typo — the warnings say which field and what is used instead.
 */
export function openSettings(backing: SettingsBacking, options: { warn?: (message: string) => void } = {}): Settings {
  const read = readSettings(backing.store);
  let current = read.settings;
  const warnings = read.warnings.map((w) => `${w} (${backing.path})`);
  for (const w of warnings) options.warn?.(w);
  if (read.migrated) backing.store = current;
  return {
    get: () => current,
    update(patch) {
      const next = readSettings({ ...current, ...patch, notifications: { ...current.notifications, ...patch.notifications } });
      for (const w of next.warnings) options.warn?.(w);
      current = next.settings;
      backing.store = current;
      return current;
    },
    warnings,
    path: backing.path,
  };
}

/** A backing in memory (tests, and a fallback when the settings file cannot be opened). */
export function memoryBacking(initial?: unknown): SettingsBacking & { writes: number } {
  let value: unknown = initial;
  return {
    writes: 0,
    get store() {
      return value;
    },
    set store(next) {
      value = structuredClone(next);
      this.writes += 1;
    },
    path: '(memory)',
  };
}

/** The file name settings are kept in, by conf and electron-store alike (`settings.json`). */
export const SETTINGS_FILE = 'settings';

/**
 * A conf backing in `dir`: the same file format as the app's electron-store (which is conf with
 * Electron's paths), so the shared mechanism is tested in plain Node with a real store.
 */
export async function openConfSettings(dir: string, options: { warn?: (message: string) => void } = {}): Promise<Settings> {
  const { default: Conf } = await importWithoutSignalHooks(() => import('conf'));
  // No conf schema or migrations: conf throws on a bad file, and keys migrations by app version;
  // these settings are validated field by field and migrated by their own version instead.
  const open = (): SettingsBacking =>
    new Conf<Raw>({ projectName: 'goldloop', configName: SETTINGS_FILE, cwd: dir }) as unknown as SettingsBacking;
  return openSettings(await openOrSetAside(open, join(dir, `${SETTINGS_FILE}.json`), options.warn), options);
}

/**
 * Reads the settings without ever writing, renaming or migrating the file — for the CLI, which
 * shares the file with the desktop app: a file it cannot read gives the defaults and a warning,
 * and stays as it is for the app (whose own opening sets an unreadable file aside).
 */
export async function readConfSettings(dir: string | undefined, warn: (message: string) => void): Promise<AppSettings> {
  const { default: Conf } = await importWithoutSignalHooks(() => import('conf'));
  let store: { store: unknown; path: string };
  try {
    // No defaults and no schema: conf writes nothing when it opens a file.
    store = new Conf<Raw>({ projectName: 'goldloop', configName: SETTINGS_FILE, ...(dir ? { cwd: dir } : {}) }) as unknown as {
      store: unknown;
      path: string;
    };
  } catch (error) {
    warn(
      `settings: ${dir ? join(dir, `${SETTINGS_FILE}.json`) : `${SETTINGS_FILE}.json`} could not be read (${(error as Error).message}); the defaults are used`,
    );
    return DEFAULT_SETTINGS;
  }
  const read = readSettings(store.store);
  for (const w of read.warnings) warn(`${w} (${store.path})`);
  return read.settings;
}

/**
 * Opens a store whose file may not even be JSON (conf and electron-store throw then). Such a file
 * is renamed, never deleted — the user may want what is in it — and a fresh one is started.
 */
export async function openOrSetAside(
  open: () => SettingsBacking,
  file: string,
  warn?: (message: string) => void,
): Promise<SettingsBacking> {
  try {
    return open();
  } catch (error) {
    const aside = await setAside(file);
    warn?.(`settings: ${file} could not be read (${(error as Error).message}); it was kept as ${aside} and the defaults are used`);
    return open();
  }
}
