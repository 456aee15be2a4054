import { readdir, readFile } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import type { AgentOutcome, AgentRunner } from '../../../electron/engine/agents/runner.ts';
import type { GateRunner } from '../../../electron/engine/gates/measurement.ts';
import { KbSchema, type KbInput } from '../../../electron/store/kb/schema.ts';
import { loadKb, saveKb } from '../../../electron/store/kb/kb-file.ts';
import { SimulatedClock } from '../../../electron/platform/clock.ts';
import { ProjectLoop } from '../../../electron/engine/loop/project-loop.ts';
import { loadRunState } from '../../../electron/store/run-state.ts';
import type { EngineEvent } from '../../../electron/engine/loop/types.ts';
import { reportsDir } from '../../../electron/engine/reports/write.ts';
import { attachNotifications, type Notice } from '../../../electron/cli/notify.ts';
import { TempDirs } from '../../helpers/project.ts';

// The loop's own code over a simulated day, as in schedule-simulation.test.ts: only the clock,
// the agent and the gate commands are in-process stand-ins. The agent "works" by moving the clock.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const temp = new TempDirs();
afterAll(() => temp.cleanup());

const plan = (extra: Record<string, unknown> = {}): KbInput => ({
  autonomous_operation: {
    work_cycle: { duration_minutes: 15, break_between_cycles_minutes: 5, max_cycles_per_hour: 3 },
    max_iterations_per_day: 1000,
    ...extra,
  },
  task_queue: { high_priority: [{ task_id: 'TASK_001', description: 'never verifiable here', requirements: ['REQ-001'] }] },
  requirements: [{ id: 'REQ-001', text: 'a requirement no test covers' }],
});

const ok = (ms: number): AgentOutcome => ({ exitCode: 0, durationMs: ms, events: [], stderrTail: [] });

interface Sim {
  dir: string;
  clock: SimulatedClock;
  start: number;
}

async function project(kb: KbInput = plan()): Promise<Sim> {
  const dir = await temp.make('goldloop-reports-');
  await saveKb(dir, KbSchema.parse(kb));
  const start = new Date(2026, 0, 5, 0, 0, 0).getTime();
  return { dir, clock: new SimulatedClock(start), start };
}

/**
 * Runs the loop until the clock reaches `until` (the agent then stops it). `turn` is the agent's
 * work for its n-th call: by default 10 minutes, then a normal exit.
 */
async function runUntil(sim: Sim, until: number, turn?: (n: number, clock: SimulatedClock) => AgentOutcome | undefined) {
  let calls = 0;
  const gates: GateRunner = async () => ({ at: new Date(sim.clock.now()).toISOString(), durationMs: 0 });
  const agent: AgentRunner = async () => {
    calls += 1;
    if (sim.clock.now() >= until) {
      loop.stop();
      return ok(0);
    }
    const special = turn?.(calls, sim.clock);
    if (special) return special;
    sim.clock.advance(10 * MINUTE);
    return ok(10 * MINUTE);
  };
  const loop = new ProjectLoop({ projectDir: sim.dir, agent, gates, clock: sim.clock, git: false });
  const reports: { kind: string; path: string; at: number; state: string }[] = [];
  const notices: Notice[] = [];
  loop.on((e: EngineEvent) => {
    if (e.type === 'report') reports.push({ kind: e.kind, path: e.path, at: sim.clock.now(), state: loop.state.state });
  });
  attachNotifications(loop, { notify: (n) => notices.push(n) }, { projectName: 'sim', errorsImmediately: true });
  const end = await loop.run();
  return { end, reports, notices };
}

const times = (list: { kind: string; at: number }[], kind: string, start: number): number[] =>
  list.filter((r) => r.kind === kind).map((r) => (r.at - start) / HOUR);

describe('reports over a simulated day', () => {
  it('writes exactly 12 progress and 4 status reports in 24 hours, each at its time', async () => {
    const sim = await project();
    const { reports, end } = await runUntil(sim, sim.start + DAY);

    expect(end.state).toBe('stopped');
    expect(times(reports, 'progress', sim.start)).toEqual([2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24]);
    expect(times(reports, 'status', sim.start)).toEqual([6, 12, 18, 24]);
    const files = await readdir(reportsDir(sim.dir));
    expect(files.filter((f) => f.endsWith('-progress.md'))).toHaveLength(12);
    expect(files.filter((f) => f.endsWith('-status.md'))).toHaveLength(4);
  });

  it('notifies once per report', async () => {
    const sim = await project();
    const { notices } = await runUntil(sim, sim.start + 6 * HOUR + MINUTE);

    expect(notices.map((n) => n.title)).toEqual([
      'Goldloop · sim: progress report',
      'Goldloop · sim: progress report',
      'Goldloop · sim: status report',
      'Goldloop · sim: progress report',
    ]);
  });

  it('writes reports on time while waiting hours for a usage limit', async () => {
    const sim = await project();
    const resetAt = sim.start + 7 * HOUR + 30 * MINUTE;
    // The limit resets at 7:30; the agent is stopped at the start of the cycle after it.
    const { reports } = await runUntil(sim, sim.start + 7 * HOUR + 45 * MINUTE, (n, clock) => {
      if (n !== 3) return undefined;
      clock.advance(MINUTE);
      return { ...ok(MINUTE), exitCode: 1, limit: { message: 'usage limit reached', resetAt } };
    });

    expect(times(reports, 'progress', sim.start)).toEqual([2, 4, 6]);
    expect(times(reports, 'status', sim.start)).toEqual([6]);
    expect(new Set(reports.map((r) => r.state))).toEqual(new Set(['waiting_limit']));
    const status = await readFile(reports.find((r) => r.kind === 'status')!.path, 'utf8');
    expect(status).toContain('State: waiting limit until');
    expect(status).toContain('usage-limit waits: 1');
  });

  it('writes a report missed while the machine slept once on wake, then keeps the 2-hour grid', async () => {
    const sim = await project();
    const { reports } = await runUntil(sim, sim.start + 12 * HOUR + 30 * MINUTE, (n, clock) => {
      if (n !== 8) return undefined;
      // Suspended mid-cycle for 9 hours: the clock jumps, the cycle ends after the wake.
      clock.advance(9 * HOUR + 10 * MINUTE);
      return ok(9 * HOUR + 10 * MINUTE);
    });

    const progress = times(reports, 'progress', sim.start);
    expect(progress).toHaveLength(3);
    expect(progress[0]).toBe(2);
    expect(progress[1]).toBeGreaterThan(11);
    expect(progress[1]).toBeLessThan(12);
    expect(progress[2]).toBe(12);
    // The status report missed at 6:00 is written on wake too; the one due at 12:00 still comes.
    expect(times(reports, 'status', sim.start)).toEqual([progress[1], 12]);
  });

  it('neither repeats nor loses a report across a restart', async () => {
    const sim = await project();
    const first = await runUntil(sim, sim.start + 5 * HOUR);
    expect((await loadRunState(sim.dir))?.reports?.progress?.slot).toBe(sim.start + 4 * HOUR);

    const second = await runUntil(sim, sim.start + DAY);

    const all = [...first.reports, ...second.reports];
    expect(times(all, 'progress', sim.start)).toEqual([2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24]);
    expect(times(all, 'status', sim.start)).toEqual([6, 12, 18, 24]);
  });

  it('redacts a secret the agent printed from the reports', async () => {
    const sim = await project();
    const key = 'sk-ant-api03-Zx9Yw8Vu7Ts6Rq5Po4Nm3Lk2Ji1Hg0Fe';
    const { reports } = await runUntil(sim, sim.start + 6 * HOUR + MINUTE, (n, clock) => {
      if (n !== 2) return undefined;
      clock.advance(MINUTE);
      return { ...ok(MINUTE), exitCode: 1, stderrTail: [`401 invalid x-api-key ${key}`] };
    });

    const status = await readFile(reports.find((r) => r.kind === 'status')!.path, 'utf8');
    expect(status).toContain('Errors: 1');
    expect(status).toContain('[REDACTED Anthropic key]');
    expect(status).not.toContain(key);
  });
});

describe('the completion estimate in the knowledge base', () => {
  it('is written once 3 tasks are verified, as an ISO time ahead of now', async () => {
    const tasks = Array.from({ length: 10 }, (_, i) => ({ task_id: `TASK_${String(i + 1).padStart(3, '0')}`, description: 'verifiable' }));
    const sim = await project({ ...plan(), task_queue: { high_priority: tasks }, requirements: [] });
    // Cycles start at 0:00, 0:15, 0:30 and 1:00, each verifying a task; the one at 1:15 is stopped.
    await runUntil(sim, sim.start + HOUR + 5 * MINUTE);

    const kb = await loadKb(sim.dir);
    expect(kb.autonomous_operation.tasks_completed).toBe(4);
    const estimate = kb.autonomous_operation.completion_estimate;
    expect(estimate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    // 6 tasks left at about 3 an hour: later today, not before now.
    expect(Date.parse(estimate!)).toBeGreaterThan(sim.clock.now());
    expect(Date.parse(estimate!)).toBeLessThan(sim.clock.now() + 6 * HOUR);
  });

  it('is absent while fewer than 3 tasks are verified', async () => {
    const tasks = Array.from({ length: 10 }, (_, i) => ({ task_id: `TASK_${String(i + 1).padStart(3, '0')}`, description: 'verifiable' }));
    const sim = await project({ ...plan(), task_queue: { high_priority: tasks }, requirements: [] });
    await runUntil(sim, sim.start + 20 * MINUTE);

    const kb = await loadKb(sim.dir);
    expect(kb.autonomous_operation.tasks_completed).toBe(2);
    expect(kb.autonomous_operation.completion_estimate).toBeUndefined();
  });
});
