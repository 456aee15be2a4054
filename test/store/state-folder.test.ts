import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stateDir } from '../../electron/platform/app-dirs.ts';
import { lastTimings } from '../../electron/engine/gates/schedule.ts';
import { loadRunState } from '../../electron/store/run-state.ts';
import { applyPendingSettings } from '../../electron/store/settings/index.ts';
import { projectStateFolder, stateFolder } from '../../electron/store/state-folder.ts';
import { TempDirs } from '../helpers/temp.ts';

const temps = new TempDirs();
afterAll(() => temps.cleanup());

const RUN_STATE = {
  version: 2,
  run_id: 'r-before-the-upgrade',
  run_started_at: '2026-03-02T08:00:00.000Z',
  state: { state: 'break', iteration: 3 },
  consecutive_errors: 0,
  schedule: { run_iterations: 3, cycle_starts: [], day: { date: '2026-03-02', iterations: 3 } },
  updated_at: '2026-03-02T08:30:00.000Z',
};

/** A project as an earlier version left it: its run state, pending settings and gate timings in `.goldloop/`. */
async function earlierProject(): Promise<string> {
  const dir = await temps.make('goldloop-take-over-');
  await mkdir(join(dir, '.goldloop'));
  await writeFile(join(dir, '.goldloop', 'state.json'), JSON.stringify(RUN_STATE));
  await writeFile(join(dir, '.goldloop', 'gate-timings.json'), JSON.stringify({ tests: 1200, build: 40 }));
  await writeFile(join(dir, '.goldloop', 'pending-settings.json'), JSON.stringify([{ schedule: { duration_minutes: 25 } }]));
  return dir;
}

describe("a project's state folder", () => {
  it('lies in the state folder, named after the project and a hash of its path', async () => {
    const dir = await temps.make('goldloop-named-');
    expect(stateFolder(dir)).toMatch(new RegExp(`^${stateDir()}/projects/goldloop-named-\\w+-[0-9a-f]{12}$`));
    expect(stateFolder(join(dir, 'a'))).not.toBe(stateFolder(join(dir, 'b', '..', 'b')));
    expect(stateFolder(join(dir, 'b', '..', 'a'))).toBe(stateFolder(join(dir, 'a')));
  });

  it("takes over an earlier version's files once: read, written there, removed from the project", async () => {
    const dir = await earlierProject();
    expect((await loadRunState(dir))?.run_id).toBe('r-before-the-upgrade');
    expect(await lastTimings(dir)).toEqual({ tests: 1200, build: 40 });
    const folder = stateFolder(dir);
    expect(JSON.parse(await readFile(join(folder, 'pending-settings.json'), 'utf8'))).toEqual([{ schedule: { duration_minutes: 25 } }]);
    for (const name of ['state.json', 'gate-timings.json', 'pending-settings.json']) {
      expect(existsSync(join(dir, '.goldloop', name))).toBe(false);
      expect(existsSync(join(folder, name))).toBe(true);
    }
    const marker = JSON.parse(await readFile(join(folder, 'project.json'), 'utf8'));
    expect(marker).toMatchObject({ project: dir, taken_over: ['state.json', 'pending-settings.json', 'gate-timings.json'] });
  });

  it('never reads what is written to the old places after the take-over', async () => {
    const dir = await earlierProject();
    await projectStateFolder(dir);
    // What an agent would leave in the project: a run state that claims gold, settings of its own.
    await writeFile(join(dir, '.goldloop', 'state.json'), JSON.stringify({ ...RUN_STATE, run_id: 'forged', state: { state: 'complete' } }));
    await writeFile(join(dir, '.goldloop', 'gate-timings.json'), JSON.stringify({ build: 99999 }));
    await writeFile(join(dir, '.goldloop', 'pending-settings.json'), JSON.stringify([{ gates: { test_coverage_threshold: 0 } }]));
    expect((await loadRunState(dir))?.run_id).toBe('r-before-the-upgrade');
    expect(await lastTimings(dir)).toEqual({ tests: 1200, build: 40 });
    const applied = await applyPendingSettings(dir).catch((error: Error) => error.message);
    // The one taken over is the user's (its KB is missing here, so it is dropped with the reason); the forged one is not read.
    expect(applied).toMatchObject({ written: 0, problems: [expect.stringContaining('was not written')] });
    expect(existsSync(join(dir, '.goldloop', 'pending-settings.json'))).toBe(true);
  });

  it('makes a folder for a project no version has run, taking over nothing', async () => {
    const dir = await temps.make('goldloop-fresh-');
    const folder = await projectStateFolder(dir);
    expect(folder).toBe(stateFolder(dir));
    expect(JSON.parse(await readFile(join(folder, 'project.json'), 'utf8'))).toMatchObject({ project: dir, taken_over: [] });
    expect(existsSync(join(dir, '.goldloop'))).toBe(false);
  });
});
