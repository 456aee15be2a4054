/** What a project is doing now and what comes next, in words: the project header's answer to "what now". */
import type { ProjectStatus } from '../../../electron/contract/api.ts';
import { duration } from './cycle-words.ts';
import { clock, stateInWords } from './format.ts';

/** Two lines: what happens now, and when the next cycle starts. */
export interface NowWords {
  now: string;
  next: string;
}

/** `TASK_003 (Implement wordCount)`, or what a cycle without a task works on. */
function currentWork(s: ProjectStatus): string {
  const task = s.tasks.find((t) => t.current);
  return task ? `${task.task_id} (${task.description})` : 'a measured gap (no task is ready)';
}

/** `in 4 min`, `now` once the time has come. */
const inTime = (iso: string, now: number): string => {
  const ms = Date.parse(iso) - now;
  return ms > 0 ? `in ${duration(ms)}` : 'now';
};

const nextAfterThis = (s: ProjectStatus): string =>
  s.limits.break_minutes
    ? `The next cycle starts after this one ends and a ${s.limits.break_minutes}-minute break.`
    : 'The next cycle starts as soon as this one ends.';

/**
 * `elsewhere`: another Goldloop process (a `goldloop run`, another window) drives the project, so
 * this dashboard's controls are off: the words say where they are instead of offering Start.
 */
export function nowWords(s: ProjectStatus, now = Date.now(), elsewhere = false): NowWords {
  const words = ownWords(s, now);
  if (!elsewhere) return words;
  const who = `Another Goldloop process${s.pid ? ` (pid ${s.pid})` : ''} runs this project`;
  const scheduled = s.state === 'running' || s.state === 'break' || s.state === 'waiting_limit';
  return scheduled
    ? { ...words, next: `${words.next} ${who}: pause and stop it there (its terminal or its window).` }
    : { ...words, next: `${who}: start, pause and stop it there (its terminal or its window).` };
}

function ownWords(s: ProjectStatus, now: number): NowWords {
  const state = stateInWords(s, new Date(now)).text;
  const upcoming = s.iteration + 1;
  switch (s.state) {
    case 'running': {
      if (s.step === 'baseline')
        return {
          now: 'Measuring the baseline: what passes now must still pass after every cycle.',
          next: `Cycle ${upcoming} starts when it is measured.`,
        };
      // The knowledge base counts a cycle once it has taken its work up: before, the number is the last one's.
      if (!s.cycle_started_at)
        return { now: `Cycle ${upcoming} is starting: ${state.replace(/^running — /, '')}.`, next: nextAfterThis(s) };
      const since = `, ${duration(now - Date.parse(s.cycle_started_at))} in`;
      const limit = s.cycle_timeout_at
        ? `; ${duration(Math.max(0, Date.parse(s.cycle_timeout_at) - now))} left before the cycle's time limit (${clock(s.cycle_timeout_at, new Date(now))})`
        : '';
      const work = s.step === 'execute' ? ` on ${currentWork(s)}` : '';
      return {
        now: `Cycle ${s.iteration}${since}: ${state.replace(/^running — /, '')}${work}${limit}.`,
        next: nextAfterThis(s),
      };
    }
    case 'break':
    case 'waiting_limit':
      return {
        now: `${state[0]!.toUpperCase()}${state.slice(1)}.`,
        next: s.until
          ? `The next cycle (${upcoming}) starts at ${clock(s.until, new Date(now))}, ${inTime(s.until, now)}.`
          : `The next cycle (${upcoming}) starts when the wait ends.`,
      };
    case 'complete':
      return { now: 'Gold: every line of the checklist is measured green.', next: 'No cycle is due: the run is complete.' };
    case 'paused':
      return { now: `${state[0]!.toUpperCase()}${state.slice(1)}.`, next: `The next cycle (${upcoming}) starts when you resume.` };
    case 'error':
      return {
        now: 'Stopped by an error: the message below says what to fix.',
        next: `The next cycle (${upcoming}) starts when you press Start.`,
      };
    default:
      return { now: s.gold ? 'Gold, and not running.' : 'Not running.', next: `The next cycle (${upcoming}) starts when you press Start.` };
  }
}
