import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_SETTINGS,
  memoryBacking,
  openConfSettings,
  openSettings,
  readSettings,
  SETTINGS_VERSION,
} from '../../electron/store/settings/app.ts';

const allOn = { reports: true, errors: true, paused_after_errors: true, waiting_limit: true, tamper: true, gold: true };

describe('readSettings', () => {
  it('reads an empty store as the defaults, without warnings', () => {
    expect(readSettings(undefined)).toEqual({
      settings: { version: SETTINGS_VERSION, notifications: allOn, launch_at_login: false, resume_on_launch: [] },
      migrated: false,
      warnings: [],
    });
    expect(readSettings({}).settings).toEqual(DEFAULT_SETTINGS);
  });

  it('migrates v1 flat switches into notifications', () => {
    const read = readSettings({ notify: true, notifyReports: false, launchAtLogin: true });
    expect(read.migrated).toBe(true);
    expect(read.warnings).toEqual([]);
    expect(read.settings).toEqual({ version: 3, notifications: { ...allOn, reports: false }, launch_at_login: true, resume_on_launch: [] });
  });

  it('migrates v1 notify: false into every switch off, keeping explicit overrides', () => {
    const read = readSettings({ version: 1, notify: false, notifyErrors: true });
    expect(read.settings.notifications).toEqual({
      reports: false,
      errors: true,
      paused_after_errors: false,
      waiting_limit: false,
      tamper: false,
      gold: false,
    });
  });

  it('migrates v2 to v3: the same values under snake_case names', () => {
    const read = readSettings({
      version: 2,
      notifications: { reports: true, errors: false, pausedAfterErrors: false, waitingLimit: true, tamper: true, gold: false },
      launchAtLogin: true,
      resumeOnLaunch: ['0123456789ab'],
    });
    expect(read).toEqual({
      settings: {
        version: 3,
        notifications: { reports: true, errors: false, paused_after_errors: false, waiting_limit: true, tamper: true, gold: false },
        launch_at_login: true,
        resume_on_launch: ['0123456789ab'],
      },
      migrated: true,
      warnings: [],
    });
  });

  it('replaces a bad field by its default and names it, keeping the others', () => {
    const read = readSettings({
      version: 3,
      launch_at_login: 'yes',
      notifications: { ...allOn, gold: 'sometimes', reports: false },
      resume_on_launch: ['abc'],
    });
    expect(read.settings).toEqual({
      version: 3,
      launch_at_login: false,
      notifications: { ...allOn, reports: false },
      resume_on_launch: ['abc'],
    });
    expect(read.warnings).toEqual([
      'settings: notifications.gold is "sometimes": use true or false; using the default (true)',
      'settings: launch_at_login is "yes": use true or false; using the default (false)',
    ]);
  });

  it('names a bad migrated field by its new name', () => {
    const read = readSettings({ notify: 'loud' });
    expect(read.warnings[0]).toBe('settings: notifications.reports is "loud": use true or false; using the default (true)');
    expect(read.settings.notifications).toEqual(allOn);
  });

  it('reads a notifications value that is not an object as the defaults', () => {
    expect(readSettings({ version: 3, notifications: 'off' })).toMatchObject({
      settings: { notifications: allOn },
      warnings: ['settings: notifications is "off", not an object; using the defaults for it'],
    });
  });

  it('refuses project ids that could not be registered', () => {
    expect(readSettings({ version: 3, resume_on_launch: ['../etc'] })).toMatchObject({
      settings: { resume_on_launch: [] },
      warnings: [expect.stringMatching(/^settings: resume_on_launch is \["\.\.\/etc"\]/)],
    });
  });

  it('reads a store that is not an object as the defaults, with a warning', () => {
    expect(readSettings([1, 2])).toMatchObject({
      settings: DEFAULT_SETTINGS,
      warnings: ['settings: the file holds [1,2], not an object; using the defaults'],
    });
  });

  it('warns about unknown fields and drops them', () => {
    expect(readSettings({ version: 3, theme: 'dark' })).toMatchObject({
      settings: DEFAULT_SETTINGS,
      warnings: ['settings: theme is not a setting; it is ignored'],
    });
  });

  it('reads a newer version by the fields it knows', () => {
    const read = readSettings({ version: 7, launch_at_login: true });
    expect(read.settings.launch_at_login).toBe(true);
    expect(read.warnings).toEqual(['settings: written by a newer Goldloop (version 7); reading the fields this version knows']);
  });
});

describe('openSettings', () => {
  it('writes a migrated store back in the new shape, once', () => {
    const backing = memoryBacking({ notify: false });
    openSettings(backing);
    expect(backing.writes).toBe(1);
    expect(backing.store).toMatchObject({ version: 3, notifications: { reports: false } });
    openSettings(backing);
    expect(backing.writes).toBe(1);
  });

  it('leaves a store with a bad field as it is until a setting changes, and warns with the file', () => {
    const warned: string[] = [];
    const backing = memoryBacking({ version: 3, launch_at_login: 'yes' });
    const settings = openSettings(backing, { warn: (w) => warned.push(w) });
    expect(backing.writes).toBe(0);
    expect(warned).toEqual(['settings: launch_at_login is "yes": use true or false; using the default (false) ((memory))']);
    expect(settings.warnings).toEqual(warned);
    settings.update({ launch_at_login: true });
    expect(backing.store).toEqual({ ...DEFAULT_SETTINGS, launch_at_login: true });
  });

  it('updates one notification switch without touching the others', () => {
    const settings = openSettings(memoryBacking());
    expect(settings.update({ notifications: { tamper: false } }).notifications).toEqual({ ...allOn, tamper: false });
    expect(settings.get().notifications.tamper).toBe(false);
  });

  it('validates an update like a stored file', () => {
    const warned: string[] = [];
    const settings = openSettings(memoryBacking(), { warn: (w) => warned.push(w) });
    settings.update({ resume_on_launch: ['Not An Id'] });
    expect(settings.get().resume_on_launch).toEqual([]);
    expect(warned[0]).toMatch(/^settings: resume_on_launch is/);
  });
});

describe('openConfSettings', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
  });

  it('migrates a real v1 settings.json and keeps what it reads', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'goldloop-settings-'));
    dirs.push(dir);
    await writeFile(join(dir, 'settings.json'), JSON.stringify({ notify: true, notifyErrors: false, launchAtLogin: true }));
    const settings = await openConfSettings(dir);
    expect(settings.get()).toEqual({ version: 3, notifications: { ...allOn, errors: false }, launch_at_login: true, resume_on_launch: [] });
    expect(JSON.parse(await readFile(join(dir, 'settings.json'), 'utf8'))).toEqual(settings.get());
    settings.update({ resume_on_launch: ['0123456789ab'] });
    expect((await openConfSettings(dir)).get().resume_on_launch).toEqual(['0123456789ab']);
  });

  it('opens a file that is not JSON with the defaults instead of crashing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'goldloop-settings-'));
    dirs.push(dir);
    await writeFile(join(dir, 'settings.json'), '{ not json');
    const warned: string[] = [];
    const settings = await openConfSettings(dir, { warn: (w) => warned.push(w) });
    expect(settings.get()).toEqual(DEFAULT_SETTINGS);
    expect(warned[0]).toMatch(/settings\.json could not be read \(.+\); it was kept as .+settings\.json\.unreadable-/);
    const kept = (await readdir(dir)).filter((f) => f.includes('unreadable'));
    expect(await readFile(join(dir, kept[0]!), 'utf8')).toBe('{ not json');
  });

  it('leaves no SIGINT or SIGTERM handler behind', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'goldloop-settings-'));
    dirs.push(dir);
    const before = [process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')];
    await openConfSettings(dir);
    expect([process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')]).toEqual(before);
  });
});
