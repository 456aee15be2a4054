import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { kbPath, loadKb } from '../../electron/store/kb/kb-file.ts';
import { applyPendingSettings, pendingSettingsPath, ProjectSettingsStore } from '../../electron/store/settings/index.ts';
import { stateFolder } from '../../electron/store/state-folder.ts';
import { TempDirs } from '../helpers/temp.ts';

/** The operating document's own "Core Loop Structure" KB (duration 15, coverage threshold 80). */
const LOOP = readFileSync(join('test/fixtures/unit/kb/operating-doc-loop.json'), 'utf8');

const temps = new TempDirs();
afterEach(() => temps.cleanup());

async function project(): Promise<string> {
  const dir = await temps.make('goldloop-settings-store-');
  await writeFile(kbPath(dir), LOOP);
  return dir;
}

/** A write the test settles by hand, as the loop does when the cycle ends. */
function cycleEnd(): { written: Promise<void>; end: () => void; fail: (error: Error) => void } {
  let end!: () => void;
  let fail!: (error: Error) => void;
  const written = new Promise<void>((resolve, reject) => ((end = resolve), (fail = reject)));
  written.catch(() => {});
  return { written, end, fail };
}

const pendingFile = (dir: string): string => join(stateFolder(dir), 'pending-settings.json');
const onDisk = async (dir: string): Promise<unknown> => JSON.parse(await readFile(await pendingSettingsPath(dir), 'utf8'));

describe('ProjectSettingsStore', () => {
  it('reads and writes the KB directly when nothing waits', async () => {
    const dir = await project();
    const store = new ProjectSettingsStore(dir, () => {});
    expect(store.pending).toBe(false);
    expect((await store.write({ schedule: { duration_minutes: 20 } })).schedule.duration_minutes).toBe(20);
    expect((await store.read()).schedule.duration_minutes).toBe(20);
    expect((await loadKb(dir)).autonomous_operation.work_cycle.duration_minutes).toBe(20);
    expect(existsSync(pendingFile(dir))).toBe(false);
  });

  it('keeps a waiting change in its reads, its checks and the pending file until it is written', async () => {
    const dir = await project();
    const store = new ProjectSettingsStore(dir, () => {});
    const cycle = cycleEnd();
    await store.queue({ gates: { test_coverage_threshold: 55 } }, cycle.written);
    expect(store.pending).toBe(true);
    expect((await store.read()).gates.test_coverage_threshold).toBe(55);
    // A check starts from the KB as it will be, so a second change keeps the first.
    const checked = await store.check({ schedule: { duration_minutes: 30 } });
    expect(checked.gates.test_coverage_threshold).toBe(55);
    expect(checked.schedule.duration_minutes).toBe(30);
    expect(await onDisk(dir)).toEqual([{ gates: { test_coverage_threshold: 55 } }]);
    // The KB itself is untouched until the loop writes the change.
    expect((await loadKb(dir)).autonomous_operation.quality_gates.test_coverage_threshold).toBe(80);

    cycle.end();
    await expect.poll(() => existsSync(pendingFile(dir))).toBe(false);
    expect(store.pending).toBe(false);
  });

  it('keeps the pending file in step with the queue, in the order the changes were saved', async () => {
    const dir = await project();
    const store = new ProjectSettingsStore(dir, () => {});
    const first = cycleEnd();
    const second = cycleEnd();
    await store.queue({ gates: { test_coverage_threshold: 55 } }, first.written);
    await store.queue({ schedule: { duration_minutes: 30 } }, second.written);
    expect(await onDisk(dir)).toEqual([{ gates: { test_coverage_threshold: 55 } }, { schedule: { duration_minutes: 30 } }]);

    // A change that could not be written leaves the queue too.
    first.fail(new Error('the KB was broken'));
    await expect.poll(() => onDisk(dir)).toEqual([{ schedule: { duration_minutes: 30 } }]);
    expect(store.pending).toBe(true);
    second.end();
    await expect.poll(() => existsSync(pendingFile(dir))).toBe(false);
  });

  it('leaves a file the next run writes, when the process ends before the cycle does', async () => {
    const dir = await project();
    await new ProjectSettingsStore(dir, () => {}).queue({ schedule: { duration_minutes: 25 } }, new Promise(() => {}));
    expect(await applyPendingSettings(dir)).toEqual({ written: 1, problems: [] });
    expect((await loadKb(dir)).autonomous_operation.work_cycle.duration_minutes).toBe(25);
  });

  it('warns when the pending file cannot be written, and keeps the change waiting in memory', async () => {
    const dir = await project();
    // A file where the project's state folder should be: the pending file cannot be made.
    await mkdir(dirname(stateFolder(dir)), { recursive: true });
    await writeFile(stateFolder(dir), 'not a folder');
    const warnings: string[] = [];
    const store = new ProjectSettingsStore(dir, (w) => warnings.push(w));
    await store.queue({ gates: { test_coverage_threshold: 55 } }, new Promise(() => {}));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^The settings waiting for the cycle to end could not be kept on disk: /);
    expect(store.pending).toBe(true);
    expect((await store.read()).gates.test_coverage_threshold).toBe(55);
  });

  it("keeps the pending file outside the project: one in the project's .goldloop is never applied", async () => {
    const dir = await project();
    // Taken over once (an earlier version's file); what is written there afterwards is an agent's.
    expect(await applyPendingSettings(dir)).toEqual({ written: 0, problems: [] });
    await mkdir(join(dir, '.goldloop'), { recursive: true });
    await writeFile(join(dir, '.goldloop', 'pending-settings.json'), JSON.stringify([{ gates: { test_coverage_threshold: 0 } }]));
    expect(await applyPendingSettings(dir)).toEqual({ written: 0, problems: [] });
    expect((await loadKb(dir)).autonomous_operation.quality_gates.test_coverage_threshold).toBe(80);
  });
});
