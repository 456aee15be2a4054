/** The trends chart's data: one point per cycle, from the cycle's line of the history. */
import type { HistoryEntry } from './status.ts';

/** One point of the trends per cycle: tests passing of all, coverage, tasks done (from the cycle's line of the history). */
export interface TrendPoint {
  iteration: number;
  passing?: number;
  total?: number;
  coverage?: number;
  tasks_done: number;
}

/** A cycle's point of the trends, from its line of the history. */
export function trendPoint(h: Pick<HistoryEntry, 'iteration' | 'checklist' | 'counters'>): TrendPoint {
  const tests = h.checklist.find((c) => c.id === 'tests')?.value;
  const m = typeof tests === 'string' ? /^(\d+)\/(\d+)/.exec(tests) : null;
  const cov = h.checklist.find((c) => c.id === 'coverage')?.value;
  return {
    iteration: h.iteration,
    ...(m ? { passing: Number(m[1]), total: Number(m[2]) } : {}),
    ...(typeof cov === 'number' ? { coverage: cov } : {}),
    tasks_done: h.counters.tasks_completed,
  };
}

/** The trends of the newest cycles: at most `last` points (`TREND_POINTS` when left out), oldest first. */
export interface Trends {
  /** Cycles in the whole history. */
  cycles: number;
  points: TrendPoint[];
}

export const TREND_POINTS = 500; // cycles the trends show when the caller names no limit
