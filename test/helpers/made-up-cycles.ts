/**
 * A long made-up history in the format the loop writes (`.goldloop/history.jsonl`): every outcome
 * a cycle can have, in turn, with tokens, cost, tool calls and changed files, for the views that
 * must stay quick at a thousand cycles. Plain data only: the dashboard's component tests use it too.
 */
import type { HistoryEntry } from '../../electron/contract/status.ts';

const MIN = 60_000;

/** What cycle `i` (from 1) ended as, in turn: the outcomes and the words that come with them. */
const TURNS: Pick<HistoryEntry, 'outcome' | 'verification'>[] = [
  { outcome: 'task_done' },
  { outcome: 'not_verified', verification: 'its requirements are not yet covered by a passing test: REQ-002' },
  { outcome: 'rolled_back', verification: 'rolled back: 1 test(s) that passed before failed after this cycle (cart total)' },
  { outcome: 'error', verification: 'the agent exited with code 1: API Error: 500' },
  { outcome: 'no_progress', verification: 'usage limit: usage limit reached, resets at 17:00' },
  { outcome: 'interrupted' },
  { outcome: 'progress' },
];

/** Cycle `i` of a made-up run that started at `start`, a cycle every 20 minutes. */
export function madeUpCycle(i: number, start = Date.parse('2026-03-02T08:00:00Z')): HistoryEntry {
  const begin = start + (i - 1) * 20 * MIN;
  const turn = TURNS[(i - 1) % TURNS.length]!;
  return {
    iteration: i,
    started_at: new Date(begin).toISOString(),
    ended_at: new Date(begin + (5 + (i % 9)) * MIN).toISOString(),
    work: `TASK_${String(Math.ceil(i / 2)).padStart(3, '0')}`,
    agent: {
      exit_code: turn.outcome === 'error' ? 1 : 0,
      duration_ms: (4 + (i % 9)) * MIN,
      usage: { input_tokens: 1000 * i, output_tokens: 10 * i, cost_usd: i / 100 },
      tools: [`Read src/module-${i}.ts`, `Edit src/module-${i}.ts`, '$ npm test'],
      files_changed: [`src/module-${i}.ts`],
    },
    ...turn,
    changes: { files: 1 + (i % 3), added: 3 * i, removed: i % 7 },
    regressions: [],
    gold: false,
    checklist: [
      { id: 'tests', passed: i % 2 === 0, value: `${i}/1000` },
      { id: 'coverage', passed: false, value: 40 + (i % 50) },
    ],
    run_id: 'run-made-up',
    counters: {
      current_iteration: i,
      work_cycles_completed: i,
      tasks_completed: Math.floor(i / 7),
      run_iterations: i,
      consecutive_errors: 0,
    },
  };
}
