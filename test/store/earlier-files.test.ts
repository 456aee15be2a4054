import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readHistory } from '../../electron/store/history.ts';
import { loadRunState } from '../../electron/store/run-state.ts';
import { TempDirs } from '../helpers/temp.ts';

/** Files as Goldloop wrote them before its field names became snake_case: an upgrade loses nothing. */
const temps = new TempDirs();
afterAll(() => temps.cleanup());

async function project(files: Record<string, string>): Promise<string> {
  const dir = await temps.make('goldloop-earlier-');
  await mkdir(join(dir, '.goldloop'), { recursive: true });
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, '.goldloop', name), text);
  return dir;
}

describe('files written by earlier versions', () => {
  it('reads a history with camelCase fields, beside lines in the current names', async () => {
    const old = {
      iteration: 1,
      startedAt: '2026-03-02T08:00:00.000Z',
      work: 'TASK_001',
      agent: { exitCode: 0, durationMs: 610781, killedBy: 'timeout', usage: { inputTokens: 100, outputTokens: 20, costUsd: 0.5 } },
      outcome: 'task_done',
      regressions: [],
      gold: false,
      checklist: [{ id: 'tests', passed: true, value: '3/3' }],
      endedAt: '2026-03-02T08:12:00.000Z',
      run_id: 'r1',
      counters: { current_iteration: 1, work_cycles_completed: 1, tasks_completed: 1, run_iterations: 1, consecutive_errors: 0 },
    };
    const current = { ...old, iteration: 2, started_at: '2026-03-02T08:20:00.000Z', ended_at: '2026-03-02T08:30:00.000Z' };
    const dir = await project({ 'history.jsonl': `${JSON.stringify(old)}\n${JSON.stringify(current)}\n{"torn` });
    const history = await readHistory(dir);
    expect(history).toHaveLength(2);
    expect(history[0]).toMatchObject({
      started_at: '2026-03-02T08:00:00.000Z',
      ended_at: '2026-03-02T08:12:00.000Z',
      agent: { exit_code: 0, duration_ms: 610781, killed_by: 'timeout', usage: { input_tokens: 100, output_tokens: 20, cost_usd: 0.5 } },
    });
    expect(history[0]).not.toHaveProperty('startedAt');
    expect(history[1]).toMatchObject({ iteration: 2, started_at: '2026-03-02T08:20:00.000Z', ended_at: '2026-03-02T08:30:00.000Z' });
  });

  it('reads a version 1 run state with its schedule, budget, baseline and sessions, task ids kept as written', async () => {
    const v1 = {
      version: 1,
      run_id: 'r1',
      run_started_at: '2026-03-02T08:00:00.000Z',
      state: { state: 'break', breakReason: 'hourly_limit', until: '2026-03-02T09:00:00.000Z', iteration: 3, taskId: 'fixLogin' },
      consecutive_errors: 1,
      schedule: { runIterations: 3, cycleStarts: [1, 2, 3], day: { date: '2026-03-02', iterations: 3 }, lastCycleEnd: 4 },
      usage: { run: { tokens: 10, costUsd: 0.25 }, day: { date: '2026-03-02', tokens: 10, costUsd: 0.25 } },
      baseline: {
        at: 'x',
        durationMs: 5,
        gold: false,
        checklist: [],
        tests: [],
        uncoveredRequirements: ['REQ-1'],
        leastCoveredFiles: [],
        coveragePct: 50,
      },
      sessions: { fixLogin: 'session-a', TASK_002: 'session-b' },
      sessions_agent: 'claude-code ',
      updated_at: '2026-03-02T08:30:00.000Z',
    };
    const dir = await project({ 'state.json': JSON.stringify(v1) });
    const rs = await loadRunState(dir);
    expect(rs).toMatchObject({
      version: 2,
      state: { state: 'break', break_reason: 'hourly_limit', iteration: 3, task_id: 'fixLogin' },
      schedule: { run_iterations: 3, cycle_starts: [1, 2, 3], day: { date: '2026-03-02', iterations: 3 }, last_cycle_end: 4 },
      usage: { run: { tokens: 10, cost_usd: 0.25 }, day: { date: '2026-03-02', tokens: 10, cost_usd: 0.25 } },
      baseline: { duration_ms: 5, uncovered_requirements: ['REQ-1'], least_covered_files: [], coverage_pct: 50 },
      sessions: { fixLogin: 'session-a', TASK_002: 'session-b' },
    });
  });

  it('starts afresh from a run state of a version it does not know', async () => {
    const dir = await project({ 'state.json': JSON.stringify({ version: 9, schedule: {} }) });
    expect(await loadRunState(dir)).toBeUndefined();
  });
});
