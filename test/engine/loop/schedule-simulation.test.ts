import { afterAll, describe, expect, it } from 'vitest';
import type { AgentRunner } from '../../../electron/engine/agents/runner.ts';
import type { GateRunner } from '../../../electron/engine/gates/measurement.ts';
import { KbSchema, type KbInput } from '../../../electron/store/kb/schema.ts';
import { saveKb } from '../../../electron/store/kb/kb-file.ts';
import { SimulatedClock } from '../../../electron/platform/clock.ts';
import { readHistory } from '../../../electron/store/history.ts';
import { ProjectLoop } from '../../../electron/engine/loop/project-loop.ts';
import { localDay } from '../../../electron/platform/clock.ts';
import type { EngineEvent } from '../../../electron/engine/loop/types.ts';
import { TempDirs } from '../../helpers/project.ts';

// The loop's own code over simulated days: only the clock, the agent and the gate commands are
// stand-ins (in-process, so thousands of cycles take seconds). The agent "works" by moving the
// clock; the gates measure nothing, so the project never turns gold and only the limits stop it.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const temp = new TempDirs();
afterAll(() => temp.cleanup());

async function simulate(kb: KbInput, workMs: number, overrides: { maxIterations?: number } = {}) {
  const dir = await temp.make('goldloop-sim-');
  await saveKb(dir, KbSchema.parse(kb));
  const start = new Date(2026, 0, 5, 0, 0, 0).getTime(); // local midnight, Monday
  const clock = new SimulatedClock(start);
  const agent: AgentRunner = async () => {
    clock.advance(workMs);
    return { exitCode: 0, durationMs: workMs, events: [], stderrTail: [] };
  };
  const gates: GateRunner = async () => ({ at: new Date(clock.now()).toISOString(), durationMs: 0 });
  const loop = new ProjectLoop({ projectDir: dir, agent, gates, clock, git: false, overrides });
  const starts: number[] = [];
  const events: EngineEvent[] = [];
  loop.on((e) => {
    if (e.type === 'cycle_start') starts.push(clock.now());
    if (e.type === 'state' || e.type === 'alert') events.push(e);
  });
  const end = await loop.run();
  return { dir, start, starts, events, end };
}

const plan = (workCycle: Record<string, number>, extra: Record<string, unknown> = {}): KbInput => ({
  autonomous_operation: { work_cycle: workCycle, ...extra },
  task_queue: { high_priority: [{ task_id: 'TASK_001', description: 'never verifiable here', requirements: ['REQ-001'] }] },
  requirements: [{ id: 'REQ-001', text: 'a requirement no test covers' }],
});

/** A watchdog, not a measure: a thousand cycles write their KB, state and history lines, slow on a loaded machine. */
const WATCHDOG = 600_000;

describe('the schedule over simulated days', { timeout: WATCHDOG }, () => {
  it('keeps the operating document defaults: breaks of 5 min, at most 3 cycles in any hour', async () => {
    const { starts, end, dir } = await simulate(
      plan({ duration_minutes: 15, break_between_cycles_minutes: 5, max_cycles_per_hour: 3 }),
      10 * MINUTE,
      { maxIterations: 150 },
    );

    expect(end).toMatchObject({ state: 'paused', pause_reason: 'max_iterations' });
    expect(starts).toHaveLength(150);
    for (let i = 0; i + 3 < starts.length; i++) expect(starts[i + 3]! - starts[i]!).toBeGreaterThanOrEqual(HOUR);
    for (let i = 0; i + 1 < starts.length; i++) expect(starts[i + 1]! - starts[i]!).toBeGreaterThanOrEqual(10 * MINUTE + 5 * MINUTE);
    // Simulated 24 hours: 3 an hour fills the day exactly.
    const firstDay = starts.filter((t) => localDay(t) === localDay(starts[0]!));
    expect(firstDay).toHaveLength(72);
    const history = await readHistory(dir);
    expect(history).toHaveLength(150);
    expect(new Set(history.map((h) => h.outcome))).toEqual(new Set(['not_verified']));
  });

  it('stops at max_iterations_per_day and starts again at local midnight', async () => {
    const { starts, events } = await simulate(
      plan({ duration_minutes: 15, break_between_cycles_minutes: 0, max_cycles_per_hour: 60 }, { max_iterations_per_day: 100 }),
      MINUTE,
      { maxIterations: 250 },
    );

    const perDay = new Map<string, number>();
    for (const t of starts) perDay.set(localDay(t), (perDay.get(localDay(t)) ?? 0) + 1);
    expect([...perDay.values()]).toEqual([100, 100, 50]);
    const secondDayFirst = starts[100]!;
    expect(new Date(secondDayFirst).getHours()).toBe(0);
    expect(new Date(secondDayFirst).getMinutes()).toBe(0);
    expect(events.some((e) => e.type === 'state' && e.state.break_reason === 'daily_limit')).toBe(true);
  });

  it('pauses and reports at max iterations per run (1000 by default)', async () => {
    const { starts, end, events } = await simulate(
      plan({ duration_minutes: 15, break_between_cycles_minutes: 0, max_cycles_per_hour: 60 }, { max_iterations_per_day: 1000 }),
      MINUTE,
    );

    expect(starts).toHaveLength(1000);
    expect(end).toMatchObject({ state: 'paused', pause_reason: 'max_iterations' });
    expect(end.message).toContain('1000 iterations');
    expect(events.some((e) => e.type === 'alert' && e.level === 'warning' && e.message.includes('1000'))).toBe(true);
  });
});
