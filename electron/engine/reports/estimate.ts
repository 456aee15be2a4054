import type { GateRun } from '../gates/types.ts';
import type { Kb } from '../../store/kb/schema.ts';
import { allTasks } from '../tasks/queue.ts';

/** The history fields the estimate reads (a `HistoryEntry` fits). */
export interface EstimateSample {
  started_at?: string;
  ended_at: string;
  outcome: string;
  run_id?: string;
}

export interface EstimateInput {
  history: readonly EstimateSample[];
  /** Units of work left (see `remainingWork`); 0 means done. */
  remaining: number;
  /** Where the projection starts (epoch ms). */
  now: number;
  /**
   * Where measured time ends (default `now`). Pass the last activity when no loop is running,
   * so a project left stopped for a week does not read as a project that became slow.
   */
  measuredUntil?: number;
}

/** Completions before a rate means anything; below it the estimate says so instead of guessing. */
export const MIN_COMPLETIONS = 3;
/** The recent rate looks at this many latest completions. */
const RECENT = 5;
const HOUR = 3_600_000;

export type CompletionEstimate =
  | { kind: 'done' }
  | { kind: 'not_enough_data'; completions: number; needed: number; remaining: number }
  | {
      kind: 'estimate';
      remaining: number;
      completions: number;
      /** Verified completions per hour of operation: over the whole history, and over the latest few. */
      ratePerHour: { overall: number; recent: number };
      /** Epoch ms: the range is as wide as the data is thin. */
      optimistic: number;
      likely: number;
      pessimistic: number;
    };

/**
 * What is left to do, in units of one verified piece of work: the open tasks, the uncovered
 * requirements no open task implements, and — once the queue is empty — each failing checklist
 * line the loop will have to close with a gap cycle. Gold is 0.
 */
export function remainingWork(kb: Kb, run: Pick<GateRun, 'gold' | 'checklist' | 'uncovered_requirements'> | undefined): number {
  if (run?.gold) return 0;
  const open = allTasks(kb).filter((t) => t.task.status !== 'done');
  const claimed = new Set(open.flatMap((t) => t.task.requirements));
  const uncovered = (run?.uncovered_requirements ?? kb.requirements.map((r) => r.id)).filter((id) => !claimed.has(id)).length;
  // Phases and blockers close with the tasks, requirements are counted above.
  const failingGates =
    open.length === 0
      ? (run?.checklist ?? []).filter((c) => !c.passed && !['phases', 'requirements', 'blockers'].includes(c.id)).length
      : 0;
  const units = open.length + uncovered + failingGates;
  // Not gold, yet nothing countable left (never measured): at least one unit remains.
  return Math.max(units, 1);
}

/** A sample with its times parsed once. */
interface Timed {
  start: number;
  end: number;
  done: boolean;
  run: string;
}

/**
 * Maps wall-clock time onto time the loop was operating: each run counts from its first cycle's
 * start to its last cycle's end (breaks, retries and usage-limit waits included, since they will
 * recur), and the gaps between runs (the loop stopped) are left out.
 */
function operatingTime(history: readonly Timed[], until: number): { at: (ms: number) => number; total: number } {
  const spans: { id: string; start: number; end: number }[] = [];
  for (const h of history) {
    const last = spans.at(-1);
    if (last && last.id === h.run) last.end = Math.max(last.end, h.end);
    else spans.push({ id: h.run, start: Math.min(h.start, h.end), end: h.end });
  }
  const last = spans.at(-1);
  if (last) last.end = Math.max(last.end, until);
  const offsets: number[] = [];
  let total = 0;
  for (const s of spans) {
    offsets.push(total);
    total += s.end - s.start;
  }
  const at = (ms: number): number => {
    for (let i = spans.length - 1; i >= 0; i--) {
      const s = spans[i]!;
      if (ms >= s.start) return offsets[i]! + Math.min(ms, s.end) - s.start;
    }
    return 0;
  };
  return { at, total };
}

/**
 * Estimates when the project turns gold from the measured rate of verified task completions
 * (history outcomes `task_done`), never from a fixed date. Two rates — over the whole history and
 * over the latest few completions — bound the range, widened by 1/√n for n completions (a rate
 * from few events is uncertain); the likely date uses their mean. Pure: tested on recorded histories.
 */
export function estimateCompletion(input: EstimateInput): CompletionEstimate {
  if (input.remaining <= 0) return { kind: 'done' };
  const until = input.measuredUntil ?? input.now;
  const timed: Timed[] = [];
  for (const h of input.history) {
    const end = Date.parse(h.ended_at);
    if (!Number.isFinite(end)) continue;
    const start = h.started_at ? Date.parse(h.started_at) : end;
    timed.push({ start: Number.isFinite(start) ? start : end, end, done: h.outcome === 'task_done', run: h.run_id ?? '' });
  }
  timed.sort((a, b) => a.end - b.end);
  const time = operatingTime(timed, until);
  const done = timed.filter((h) => h.done).map((h) => time.at(h.end));
  const n = done.length;
  if (n < MIN_COMPLETIONS || time.total <= 0)
    return { kind: 'not_enough_data', completions: n, needed: MIN_COMPLETIONS, remaining: input.remaining };

  const overall = n / time.total;
  const k = Math.min(RECENT, n);
  const windowStart = n > k ? done[n - k - 1]! : 0;
  const recent = k / Math.max(time.total - windowStart, 1);
  const spread = 1 / Math.sqrt(n);
  const fastest = Math.max(overall, recent) * (1 + spread);
  const slowest = Math.min(overall, recent) * Math.max(0.25, 1 - spread);
  const likelyRate = (overall + recent) / 2;
  const after = (rate: number): number => Math.round(input.now + input.remaining / rate);
  return {
    kind: 'estimate',
    remaining: input.remaining,
    completions: n,
    ratePerHour: { overall: overall * HOUR, recent: recent * HOUR },
    optimistic: after(fastest),
    likely: after(likelyRate),
    pessimistic: after(slowest),
  };
}

/** One line for reports and the CLI. */
export function describeEstimate(e: CompletionEstimate): string {
  switch (e.kind) {
    case 'done':
      return 'complete (gold)';
    case 'not_enough_data':
      return `not enough data yet (${e.completions} of ${e.needed} verified task completions needed; ${e.remaining} unit(s) of work left)`;
    case 'estimate':
      return `${iso(e.likely)} (likely; range ${iso(e.optimistic)} to ${iso(e.pessimistic)}; ${e.remaining} unit(s) of work left at ${e.ratePerHour.recent.toFixed(2)}/h recently, ${e.ratePerHour.overall.toFixed(2)}/h overall)`;
  }
}

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
