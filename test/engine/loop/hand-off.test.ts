// A loop run for a host (`goldloop run`'s engine process): it takes no lock, names the host as the
// run's process, and hands a long wait back instead of sleeping through it; the next loop resumes.
import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { SimulatedClock } from '../../../electron/platform/clock.ts';
import { ProjectLoop } from '../../../electron/engine/loop/project-loop.ts';
import { readHistory } from '../../../electron/store/history.ts';
import { lockPath } from '../../../electron/store/lock.ts';
import { loadRunState } from '../../../electron/store/run-state.ts';
import { demoAgent, TempDirs } from '../../helpers/project.ts';

const temp = new TempDirs();
afterAll(() => temp.cleanup());

const HOST = { pid: 4242, handOffWaitsOverMs: 30_000 };

describe('a loop run for a host', () => {
  it('hands a break longer than the threshold back, holding no lock, and the next loop resumes the same run', async () => {
    const dir = await temp.demo();
    const start = Date.now();
    const first = new ProjectLoop({
      projectDir: dir,
      agent: demoAgent(),
      clock: new SimulatedClock(start),
      host: HOST,
      overrides: { breakMs: 60_000 },
    });
    const end = await first.run();

    expect(end.state).toBe('break');
    expect(end.until).toBeDefined();
    expect(first.handedOffUntil).toBe(Date.parse(end.until!));
    expect(first.handedOffUntil! - start).toBeGreaterThanOrEqual(60_000);
    // The host holds the lock; the run state names the host as the run's process while it waits.
    expect(existsSync(lockPath(dir))).toBe(false);
    expect((await loadRunState(dir))?.pid).toBe(HOST.pid);
    const cycles = await readHistory(dir);
    expect(cycles).toHaveLength(1);

    // Started again at the wake-up time, the next loop takes the run up where it was and works the next cycle.
    const next = new ProjectLoop({
      projectDir: dir,
      agent: demoAgent(),
      clock: new SimulatedClock(first.handedOffUntil! + 1),
      host: HOST,
      overrides: { breakMs: 60_000 },
    });
    expect((await next.run()).state).toBe('break');
    const after = await readHistory(dir);
    expect(after).toHaveLength(2);
    expect(after[1]!.run_id).toBe(after[0]!.run_id);
    expect(after[1]!.iteration).toBe(after[0]!.iteration + 1);
  });

  it('sleeps through a wait shorter than the threshold, and clears its process from the run state when the run ends', async () => {
    const dir = await temp.demo();
    const loop = new ProjectLoop({
      projectDir: dir,
      agent: demoAgent(),
      clock: new SimulatedClock(Date.now()),
      host: HOST,
      overrides: { breakMs: 20_000, maxIterations: 2 },
    });
    const end = await loop.run();
    expect(end).toMatchObject({ state: 'paused', pause_reason: 'max_iterations' });
    expect(loop.handedOffUntil).toBeUndefined();
    expect(await readHistory(dir)).toHaveLength(2);
    expect((await loadRunState(dir))?.pid).toBeUndefined();
  });

  it('wakes for a report due before the wait ends', async () => {
    const dir = await temp.demo();
    const start = Date.now();
    // A progress report every 2 hours (the KB's default); a break of 3 hours: the host is woken for the report.
    const loop = new ProjectLoop({
      projectDir: dir,
      agent: demoAgent(),
      clock: new SimulatedClock(start),
      host: HOST,
      overrides: { breakMs: 3 * 3_600_000 },
    });
    const end = await loop.run();
    expect(end.state).toBe('break');
    expect(loop.handedOffUntil).toBeLessThan(Date.parse(end.until!));
    expect(loop.handedOffUntil! - start).toBeLessThanOrEqual(2 * 3_600_000 + 60_000);
  });
});
