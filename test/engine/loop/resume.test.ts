// startRunState: which previous runs a new run() takes up again, and what a new run keeps of the last.
import { describe, expect, it } from 'vitest';
import { startRunState } from '../../../electron/engine/loop/resume.ts';
import { localDay } from '../../../electron/platform/clock.ts';
import type { RunState } from '../../../electron/store/run-state.ts';
import type { LoopState } from '../../../electron/engine/loop/types.ts';

const NOW = Date.parse('2030-03-04T12:00:00Z');
const HOUR = 3_600_000;

/** A run that ended in `state`, two cycles in, with a retry due, an error streak and a session. */
const previousRun = (state: Omit<LoopState, 'iteration'>): RunState => ({
  version: 2,
  run_id: 'previous',
  run_started_at: new Date(NOW - 5 * HOUR).toISOString(),
  state: { ...state, iteration: 2 },
  consecutive_errors: 2,
  retry_at: NOW + HOUR,
  schedule: {
    run_iterations: 2,
    cycle_starts: [NOW - HOUR / 2],
    day: { date: localDay(NOW), iterations: 2 },
    last_cycle_end: NOW - HOUR / 4,
  },
  reports: { progress: { slot: 1, at: NOW - HOUR } },
  usage: { run: { tokens: 10, cost_usd: 1 }, day: { date: localDay(NOW), tokens: 10, cost_usd: 1 } },
  sessions: { T1: 'session-1' },
  sessions_agent: 'command node',
  updated_at: '',
});

describe('startRunState', () => {
  it('takes up a run that ended mid-cycle as it was', () => {
    const rs = startRunState(previousRun({ state: 'running', step: 'execute' }), NOW);
    expect(rs.run_id).toBe('previous');
    expect(rs.consecutive_errors).toBe(2);
    expect(rs.retry_at).toBe(NOW + HOUR);
  });

  it('takes up a run the user paused, its error streak and retry delay cleared', () => {
    const rs = startRunState(previousRun({ state: 'paused', pause_reason: 'errors' }), NOW);
    expect(rs.run_id).toBe('previous');
    expect(rs.consecutive_errors).toBe(0);
    expect(rs.retry_at).toBeUndefined();
  });

  it.each<Omit<LoopState, 'iteration'>>([
    { state: 'paused', pause_reason: 'max_iterations' },
    { state: 'paused', pause_reason: 'budget' },
    { state: 'stopped' },
    { state: 'complete' },
    { state: 'error' },
  ])('starts a new run after $state ($pause_reason), keeping what spans runs', (state) => {
    const previous = previousRun(state);
    const rs = startRunState(structuredClone(previous), NOW);
    expect(rs.run_id).not.toBe('previous');
    expect(rs.run_started_at).toBe(new Date(NOW).toISOString());
    expect(rs.state).toEqual({ state: 'idle', iteration: 0 });
    expect(rs.consecutive_errors).toBe(0);
    expect(rs.retry_at).toBeUndefined();
    expect(rs.schedule).toEqual({ ...previous.schedule, run_iterations: 0 });
    expect(rs.reports).toEqual(previous.reports);
    expect(rs.usage).toEqual({ run: { tokens: 0, cost_usd: 0 }, day: previous.usage!.day });
    expect(rs.sessions).toEqual(previous.sessions);
    expect(rs.sessions_agent).toBe(previous.sessions_agent);
  });

  it("starts the first run with empty limits and today's date", () => {
    const rs = startRunState(undefined, NOW);
    expect(rs.schedule).toEqual({ run_iterations: 0, cycle_starts: [], day: { date: localDay(NOW), iterations: 0 } });
    expect(rs.usage).toEqual({ run: { tokens: 0, cost_usd: 0 }, day: { date: localDay(NOW), tokens: 0, cost_usd: 0 } });
    expect(rs.sessions).toBeUndefined();
  });
});
