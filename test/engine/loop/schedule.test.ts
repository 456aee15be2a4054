import { describe, expect, it } from 'vitest';
import { localDay } from '../../../electron/platform/clock.ts';
import { nextCycleStart, recordStart, type ScheduleLimits, type ScheduleState } from '../../../electron/engine/loop/schedule.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;

// Local wall-clock times in January, far from any daylight-saving change.
const at = (day: number, hour: number, minute = 0): number => new Date(2026, 0, day, hour, minute).getTime();

/** The operating document's limits: 5 min break, 3 per hour, 100 per day, 1000 per run. */
const limits: ScheduleLimits = { breakMs: 5 * MIN, maxPerHour: 3, maxPerDay: 100, maxPerRun: 1000 };

const fresh = (now: number): ScheduleState => ({ run_iterations: 0, cycle_starts: [], day: { date: localDay(now), iterations: 0 } });

describe('localDay', () => {
  it('is the local calendar date as YYYY-MM-DD', () => {
    expect(localDay(at(5, 0, 0))).toBe('2026-01-05');
    expect(localDay(at(5, 23, 59))).toBe('2026-01-05');
  });
});

describe('nextCycleStart', () => {
  it('starts at once on a fresh run, with no reason', () => {
    const now = at(10, 9);
    expect(nextCycleStart(now, fresh(now), limits)).toEqual({ kind: 'start', at: now });
  });

  it('waits out the break after the last cycle', () => {
    const now = at(10, 9, 2);
    const s = { ...fresh(now), last_cycle_end: at(10, 9, 0) };
    expect(nextCycleStart(now, s, limits)).toEqual({ kind: 'start', at: at(10, 9, 5), reason: 'break' });
  });

  it('starts at once when the break is already over', () => {
    const now = at(10, 9, 6);
    const s = { ...fresh(now), last_cycle_end: at(10, 9, 0) };
    expect(nextCycleStart(now, s, limits)).toEqual({ kind: 'start', at: now });
  });

  it('starts at once with a zero break', () => {
    const now = at(10, 9, 0);
    const s = { ...fresh(now), last_cycle_end: now };
    expect(nextCycleStart(now, s, { ...limits, breakMs: 0 })).toEqual({ kind: 'start', at: now });
  });

  it('waits until the oldest of the last max-per-hour starts is an hour old', () => {
    const now = at(10, 10, 0);
    const s = { ...fresh(now), cycle_starts: [at(10, 9, 20), at(10, 9, 40), at(10, 9, 55)] };
    expect(nextCycleStart(now, s, limits)).toEqual({ kind: 'start', at: at(10, 10, 20), reason: 'hourly_limit' });
  });

  it('counts the hour as a sliding window, not the clock hour', () => {
    const now = at(10, 10, 10);
    // Three starts in the last 60 minutes, two of them in the previous clock hour.
    const s = { ...fresh(now), cycle_starts: [at(10, 9, 30), at(10, 9, 50), at(10, 10, 5)] };
    expect(nextCycleStart(now, s, limits)).toMatchObject({ at: at(10, 10, 30), reason: 'hourly_limit' });
  });

  it('starts once a start has left the window', () => {
    const now = at(10, 10, 10);
    const s = { ...fresh(now), cycle_starts: [at(10, 9, 5), at(10, 9, 50), at(10, 10, 5)] };
    expect(nextCycleStart(now, s, limits)).toEqual({ kind: 'start', at: now });
  });

  it('allows fewer starts than the hourly maximum without waiting', () => {
    const now = at(10, 10, 0);
    const s = { ...fresh(now), cycle_starts: [at(10, 9, 50), at(10, 9, 55)] };
    expect(nextCycleStart(now, s, limits)).toEqual({ kind: 'start', at: now });
  });

  it('uses the most recent starts whatever order they are stored in', () => {
    const now = at(10, 10, 0);
    const s = { ...fresh(now), cycle_starts: [at(10, 9, 55), at(10, 8, 0), at(10, 9, 20), at(10, 9, 40)] };
    expect(nextCycleStart(now, s, limits)).toMatchObject({ at: at(10, 10, 20), reason: 'hourly_limit' });
  });

  it('reports the hourly limit when it ends later than the break', () => {
    const now = at(10, 10, 0);
    const s = { ...fresh(now), last_cycle_end: at(10, 9, 58), cycle_starts: [at(10, 9, 30), at(10, 9, 45), at(10, 9, 50)] };
    expect(nextCycleStart(now, s, limits)).toEqual({ kind: 'start', at: at(10, 10, 30), reason: 'hourly_limit' });
  });

  it('reports the break when it ends later than the hourly limit', () => {
    const now = at(10, 10, 0);
    const s = { ...fresh(now), last_cycle_end: at(10, 9, 59), cycle_starts: [at(10, 9, 1), at(10, 9, 30), at(10, 9, 45)] };
    expect(nextCycleStart(now, s, limits)).toEqual({ kind: 'start', at: at(10, 10, 4), reason: 'break' });
  });

  it('moves to the next local midnight when the day is full', () => {
    const now = at(10, 15, 30);
    const s = { ...fresh(now), day: { date: localDay(now), iterations: 100 } };
    const decision = nextCycleStart(now, s, limits);
    expect(decision).toEqual({ kind: 'start', at: at(11, 0, 0), reason: 'daily_limit' });
  });

  it('lands on midnight of the next local day', () => {
    const now = at(20, 23, 59);
    const s = { ...fresh(now), day: { date: localDay(now), iterations: 5 } };
    const decision = nextCycleStart(now, s, { ...limits, maxPerDay: 5 });
    expect(decision.kind === 'start' && decision.at).toBe(at(21, 0, 0));
    if (decision.kind !== 'start') return;
    expect(localDay(decision.at)).toBe('2026-01-21');
    expect(new Date(decision.at).getHours()).toBe(0);
  });

  it('ignores the day count when it belongs to an earlier day', () => {
    const now = at(11, 0, 5);
    const s = { ...fresh(now), day: { date: '2026-01-10', iterations: 100 } };
    expect(nextCycleStart(now, s, limits)).toEqual({ kind: 'start', at: now });
  });

  it('does not apply a full day when the break already moves the start into the next day', () => {
    const now = at(10, 23, 58);
    const s = { ...fresh(now), last_cycle_end: at(10, 23, 57), day: { date: localDay(now), iterations: 100 } };
    expect(nextCycleStart(now, s, limits)).toEqual({ kind: 'start', at: at(11, 0, 2), reason: 'break' });
  });

  it('allows the last cycle of the day below the daily maximum', () => {
    const now = at(10, 12);
    const s = { ...fresh(now), day: { date: localDay(now), iterations: 99 } };
    expect(nextCycleStart(now, s, limits)).toEqual({ kind: 'start', at: now });
  });

  it('pauses when the run reached its maximum iterations', () => {
    const now = at(10, 12);
    expect(nextCycleStart(now, { ...fresh(now), run_iterations: 1000 }, limits)).toEqual({ kind: 'pause_max_iterations' });
  });

  it('still starts one below the run maximum', () => {
    const now = at(10, 12);
    expect(nextCycleStart(now, { ...fresh(now), run_iterations: 999 }, limits).kind).toBe('start');
  });

  it('pauses for the run maximum before any other wait', () => {
    const now = at(10, 12);
    const s = { ...fresh(now), run_iterations: 3, last_cycle_end: now, day: { date: localDay(now), iterations: 3 } };
    expect(nextCycleStart(now, s, { ...limits, maxPerRun: 3, maxPerDay: 3 })).toEqual({ kind: 'pause_max_iterations' });
  });
});

describe('recordStart', () => {
  it('adds the start and drops starts older than an hour', () => {
    const s = { ...fresh(at(10, 10)), cycle_starts: [at(10, 8, 0), at(10, 9, 0), at(10, 9, 30)] };
    recordStart(s, at(10, 10, 0));
    expect(s.cycle_starts).toEqual([at(10, 9, 30), at(10, 10, 0)]);
  });

  it('counts the run iteration', () => {
    const s = { ...fresh(at(10, 10)), run_iterations: 41 };
    recordStart(s, at(10, 10));
    expect(s.run_iterations).toBe(42);
  });

  it('counts iterations within the same local day', () => {
    const s = { ...fresh(at(10, 10)), day: { date: '2026-01-10', iterations: 7 } };
    recordStart(s, at(10, 23, 59));
    expect(s.day).toEqual({ date: '2026-01-10', iterations: 8 });
  });

  it('rolls the day count over on a new local day', () => {
    const s = { ...fresh(at(10, 10)), day: { date: '2026-01-10', iterations: 100 } };
    recordStart(s, at(11, 0, 0));
    expect(s.day).toEqual({ date: '2026-01-11', iterations: 1 });
  });
});

describe('the limits over simulated days', () => {
  it('never exceeds the hourly, daily and run limits', () => {
    const tight: ScheduleLimits = { breakMs: 2 * MIN, maxPerHour: 4, maxPerDay: 30, maxPerRun: 70 };
    const cycleMs = 3 * MIN;
    let now = at(12, 20, 0);
    const s = fresh(now);
    const starts: number[] = [];
    for (;;) {
      const decision = nextCycleStart(now, s, tight);
      if (decision.kind === 'pause_max_iterations') break;
      expect(decision.at).toBeGreaterThanOrEqual(now);
      recordStart(s, decision.at);
      starts.push(decision.at);
      s.last_cycle_end = decision.at + cycleMs;
      now = s.last_cycle_end;
    }
    expect(starts).toHaveLength(70);
    for (let i = 0; i < starts.length; i++) {
      const inHour = starts.filter((x) => x > starts[i]! - HOUR && x <= starts[i]!).length;
      expect(inHour).toBeLessThanOrEqual(4);
      if (i > 0) expect(starts[i]! - starts[i - 1]!).toBeGreaterThanOrEqual(cycleMs + tight.breakMs);
    }
    const perDay = new Map<string, number>();
    for (const x of starts) perDay.set(localDay(x), (perDay.get(localDay(x)) ?? 0) + 1);
    expect(Math.max(...perDay.values())).toBe(30);
  });
});
