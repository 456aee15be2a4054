/**
 * Where a run starts: the previous run taken up again, or a new one that keeps what spans runs
 * (the hourly and daily limits, the reporting cadence, the day's spending, the agent's sessions).
 */
import { randomUUID } from 'node:crypto';
import { newLedger } from '../agents/budget.ts';
import { localDay } from '../../platform/clock.ts';
import type { RunState } from '../../store/run-state.ts';

/** A run that ended abnormally or by a user's pause resumes; one paused at a limit, stopped, complete or failed does not. */
function resumes({ state: s }: RunState): boolean {
  if (s.state === 'paused') return s.pause_reason !== 'max_iterations' && s.pause_reason !== 'budget';
  return s.state === 'running' || s.state === 'break' || s.state === 'waiting_limit' || s.state === 'idle';
}

/** The run state `run()` works with: the previous one resumed, or a new run's. */
export function startRunState(previous: RunState | undefined, now: number): RunState {
  let rs: RunState;
  if (previous && resumes(previous)) {
    rs = previous;
    const paused = previous.state.state === 'paused';
    // A user's resume starts the error streak again and does not wait out the retry delay.
    if (paused) {
      rs.consecutive_errors = 0;
      delete rs.unseen_edits;
      delete rs.retry_at;
    }
  } else {
    rs = {
      version: 2,
      run_id: randomUUID(),
      run_started_at: new Date(now).toISOString(),
      state: { state: 'idle', iteration: 0 },
      consecutive_errors: 0,
      // The hourly and daily limits span runs; the run's own count starts again.
      schedule: {
        run_iterations: 0,
        cycle_starts: previous?.schedule.cycle_starts ?? [],
        day: previous?.schedule.day ?? { date: localDay(now), iterations: 0 },
        ...(previous?.schedule.last_cycle_end !== undefined ? { last_cycle_end: previous.schedule.last_cycle_end } : {}),
      },
      // So does the reporting cadence: a restart neither repeats nor loses a report.
      ...(previous?.reports ? { reports: previous.reports } : {}),
      // And the day's spending; the run's starts at zero.
      usage: newLedger(now, previous?.usage),
      // A task's session stays resumable in the next run.
      ...(previous?.sessions
        ? {
            sessions: previous.sessions,
            ...(previous.sessions_agent ? { sessions_agent: previous.sessions_agent } : {}),
            ...(previous.session_totals ? { session_totals: previous.session_totals } : {}),
          }
        : {}),
      updated_at: '',
    };
  }
  rs.usage ??= newLedger(now);
  return rs;
}
