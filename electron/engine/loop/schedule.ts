import { localDay, nextLocalMidnight } from '../../platform/clock.ts';
import type { Kb } from '../../store/kb/schema.ts';
import type { ScheduleState } from '../../store/run-state.ts';
import type { BreakReason, LoopOverrides } from './types.ts';

export type { ScheduleState } from '../../store/run-state.ts';

export interface ScheduleLimits {
  breakMs: number;
  maxPerHour: number;
  maxPerDay: number;
  maxPerRun: number;
}

export type ScheduleDecision = { kind: 'start'; at: number; reason?: BreakReason } | { kind: 'pause_max_iterations' };

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DEFAULT_IDLE_MS = 5 * MINUTE;

/**
 * When the next cycle may start: after the break, no more than `maxPerHour` starts in any hour,
 * no more than `maxPerDay` on one local calendar day; a run that reached `maxPerRun` pauses.
 * Pure, so every limit can be checked over simulated days.
 */
export function nextCycleStart(now: number, s: ScheduleState, limits: ScheduleLimits): ScheduleDecision {
  if (s.run_iterations >= limits.maxPerRun) return { kind: 'pause_max_iterations' };
  let at = now;
  let reason: BreakReason | undefined;
  if (s.last_cycle_end !== undefined && s.last_cycle_end + limits.breakMs > at) {
    at = s.last_cycle_end + limits.breakMs;
    reason = 'break';
  }
  const starts = [...s.cycle_starts].sort((a, b) => a - b);
  if (starts.length >= limits.maxPerHour) {
    const hourly = starts[starts.length - limits.maxPerHour]! + HOUR;
    if (hourly > at) {
      at = hourly;
      reason = 'hourly_limit';
    }
  }
  if (s.day.date === localDay(at) && s.day.iterations >= limits.maxPerDay) {
    at = nextLocalMidnight(at);
    reason = 'daily_limit';
  }
  return { kind: 'start', at, ...(reason ? { reason } : {}) };
}

/** Records a cycle start in the schedule state (window trimmed to the last hour). */
export function recordStart(s: ScheduleState, at: number): void {
  s.cycle_starts = [...s.cycle_starts.filter((t) => t > at - HOUR), at];
  const date = localDay(at);
  s.day = s.day.date === date ? { date, iterations: s.day.iterations + 1 } : { date, iterations: 1 };
  s.run_iterations += 1;
}

/** A cycle's limits: the KB's schedule, with the run's overrides. */
export interface CycleLimits extends ScheduleLimits {
  /** The agent's wall-clock limit per cycle. */
  cycleMs: number;
  /** The agent's no-output watchdog. */
  idleMs: number;
  /** The delay before a failed cycle is tried again. */
  retryMs: number;
}

export function cycleLimits(kb: Kb, overrides: LoopOverrides = {}): CycleLimits {
  const ao = kb.autonomous_operation;
  return {
    cycleMs: overrides.cycleTimeoutMs ?? ao.work_cycle.duration_minutes * MINUTE,
    idleMs: overrides.idleTimeoutMs ?? DEFAULT_IDLE_MS,
    breakMs: overrides.breakMs ?? ao.work_cycle.break_between_cycles_minutes * MINUTE,
    maxPerHour: ao.work_cycle.max_cycles_per_hour,
    maxPerDay: ao.max_iterations_per_day,
    maxPerRun: overrides.maxIterations ?? ao.max_iterations_per_run,
    retryMs: ao.error_handling.retry_delay_minutes * MINUTE,
  };
}
