import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { attachNotifications, notificationSettings, notificationSwitches, osNotifier, type Notice } from '../../electron/cli/notify.ts';
import { KbSchema } from '../../electron/store/kb/schema.ts';
import type { EngineEvent } from '../../electron/engine/loop/types.ts';

/** The loop's event surface, driven by hand. */
function fakeLoop() {
  const bus = new EventEmitter();
  return {
    on: (listener: (e: EngineEvent) => void) => {
      bus.on('e', listener);
      return () => bus.off('e', listener);
    },
    emit: (e: EngineEvent) => bus.emit('e', e),
  };
}

const report = (kind: 'progress' | 'status' | 'final'): EngineEvent => ({
  type: 'report',
  project: '/p',
  kind,
  path: `/p/.goldloop/reports/2026-01-05T02-00-00Z-${kind}.md`,
});
const alert = (level: 'error' | 'warning'): EngineEvent => ({
  type: 'alert',
  project: '/p',
  level,
  message: '3 consecutive error(s), the last: the agent exited with code 1',
});

describe('attachNotifications', () => {
  it('notifies once per report, naming its kind and file', () => {
    const loop = fakeLoop();
    const seen: Notice[] = [];
    attachNotifications(loop, { notify: (n) => seen.push(n) }, { projectName: 'shop', errorsImmediately: true });
    loop.emit(report('progress'));
    loop.emit(report('status'));
    loop.emit(report('final'));
    expect(seen).toEqual([
      { title: 'Goldloop · shop: progress report', message: 'Written to 2026-01-05T02-00-00Z-progress.md' },
      { title: 'Goldloop · shop: status report', message: 'Written to 2026-01-05T02-00-00Z-status.md' },
      {
        title: 'Goldloop · shop is gold',
        message: 'Every line of the completion checklist passes. Final report: 2026-01-05T02-00-00Z-final.md',
      },
    ]);
  });

  it('says which lines were waived when the gold has some switched off', () => {
    const loop = fakeLoop();
    const seen: Notice[] = [];
    attachNotifications(loop, { notify: (n) => seen.push(n) }, { projectName: 'shop', errorsImmediately: true });
    loop.emit({ ...report('final'), waived: ['security', 'performance'] } as EngineEvent);
    expect(seen).toEqual([
      {
        title: 'Goldloop · shop is gold',
        message:
          'Every measured line passes, with 2 lines waived: security, performance (switched off by you). Final report: 2026-01-05T02-00-00Z-final.md',
      },
    ]);
  });

  it('notifies what the desktop app does — a usage-limit wait, a cycle not counted, the pause after errors (once) — each as switched', () => {
    const loop = fakeLoop();
    const seen: Notice[] = [];
    const switches = { reports: false, errors: true, paused_after_errors: true, waiting_limit: true, tamper: true, gold: true };
    attachNotifications(loop, { notify: (n) => seen.push(n) }, { projectName: 'shop', errorsImmediately: true, switches });
    loop.emit(report('progress'));
    loop.emit({ type: 'state', project: '/p', state: { state: 'waiting_limit', until: '2026-01-05T14:05:00.000Z', iteration: 3 } });
    loop.emit({
      type: 'alert',
      project: '/p',
      level: 'warning',
      message: 'cycle 4 weakened the measurements and is not counted: a test was skipped',
    });
    const text = '3 consecutive error(s), the last: exit 1. Paused; fix the cause and resume.';
    loop.emit({ type: 'alert', project: '/p', level: 'error', message: text });
    loop.emit({ type: 'state', project: '/p', state: { state: 'paused', pause_reason: 'errors', iteration: 5, message: text } });
    expect(seen.map((n) => n.title)).toEqual([
      'Goldloop · shop: waiting for the agent limit',
      'Goldloop · shop: a cycle was not counted',
      'Goldloop · shop: error',
    ]);
  });

  it('notifies an error alert at once when error_alert_immediate is on, and never a warning', () => {
    const loop = fakeLoop();
    const seen: Notice[] = [];
    attachNotifications(loop, { notify: (n) => seen.push(n) }, { projectName: 'shop', errorsImmediately: true });
    loop.emit(alert('warning'));
    loop.emit(alert('error'));
    expect(seen).toEqual([{ title: 'Goldloop · shop: error', message: '3 consecutive error(s), the last: the agent exited with code 1' }]);
  });

  it('leaves error alerts to the reports when error_alert_immediate is off', () => {
    const loop = fakeLoop();
    const seen: Notice[] = [];
    attachNotifications(loop, { notify: (n) => seen.push(n) }, { projectName: 'shop', errorsImmediately: false });
    loop.emit(alert('error'));
    expect(seen).toEqual([]);
  });

  it('stops when detached, and survives a notifier that throws', () => {
    const loop = fakeLoop();
    let calls = 0;
    const detach = attachNotifications(
      loop,
      {
        notify: () => {
          calls += 1;
          throw new Error('dbus is down');
        },
      },
      { projectName: 'shop', errorsImmediately: true },
    );
    expect(() => loop.emit(report('progress'))).not.toThrow();
    detach();
    loop.emit(report('progress'));
    expect(calls).toBe(1);
  });
});

describe('notificationSettings', () => {
  it('is on by default, with immediate error alerts as the KB says', () => {
    expect(notificationSettings(KbSchema.parse({}))).toEqual({ enabled: true, errorsImmediately: true });
  });

  it('is off with reporting.notifications: false', () => {
    const kb = KbSchema.parse({ autonomous_operation: { reporting: { notifications: false, error_alert_immediate: false } } });
    expect(notificationSettings(kb)).toEqual({ enabled: false, errorsImmediately: false });
  });
});

describe('notificationSwitches (the settings file shared with the desktop app)', () => {
  it('reads the switches the app wrote, the defaults without a file, and a bad field as its default with a warning', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'goldloop-settings-'));
    try {
      const warnings: string[] = [];
      expect(await notificationSwitches(dir, (w) => warnings.push(w))).toEqual({
        reports: true,
        errors: true,
        paused_after_errors: true,
        waiting_limit: true,
        tamper: true,
        gold: true,
      });
      const file = join(dir, 'settings.json');
      await writeFile(file, JSON.stringify({ version: 2, notifications: { reports: false, tamper: 'no' } }));
      expect(await notificationSwitches(dir, (w) => warnings.push(w))).toMatchObject({ reports: false, tamper: true, gold: true });
      expect(warnings).toEqual([expect.stringContaining('notifications.tamper is "no"')]);
      // Read, not rewritten: the user's hand edit stays until they change a setting.
      expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ version: 2, notifications: { reports: false, tamper: 'no' } });
      // A file that is not JSON gives the defaults, and stays as it is for the app to deal with.
      await writeFile(file, '{ "version": 2, "notifications": {');
      expect(await notificationSwitches(dir, (w) => warnings.push(w))).toMatchObject({ reports: true, errors: true });
      expect(warnings.at(-1)).toContain('could not be read');
      expect(await readFile(file, 'utf8')).toBe('{ "version": 2, "notifications": {');
      expect(await readdir(dir)).toEqual(['settings.json']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('osNotifier (node-notifier)', () => {
  it("returns at once and never throws, even when the OS's notifier hangs", async () => {
    // A notify-send that records its pid and then hangs for a minute: notify must not wait for it.
    const bin = await mkdtemp(join(tmpdir(), 'goldloop-notify-send-'));
    const pidFile = join(bin, 'pid');
    await writeFile(join(bin, 'notify-send'), `#!/bin/sh\necho $$ > ${pidFile}\nexec sleep 60\n`, { mode: 0o755 });
    const path = process.env.PATH;
    process.env.PATH = `${bin}:${path}`;
    try {
      const started = performance.now();
      expect(() => osNotifier().notify({ title: 'Goldloop test', message: 'ignore me' })).not.toThrow();
      // Far below the minute it hangs, however busy the machine: it did not wait.
      expect(performance.now() - started).toBeLessThan(30_000);
      if (process.platform === 'linux') {
        await vi.waitFor(() => readFile(pidFile, 'utf8'), { timeout: 30_000, interval: 100 });
        process.kill(Number(await readFile(pidFile, 'utf8')), 'SIGKILL');
      }
    } finally {
      process.env.PATH = path;
      await rm(bin, { recursive: true, force: true });
    }
  });
});
