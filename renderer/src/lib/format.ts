import type { ChecklistItem, CycleStep, HistoryEntry, ProjectStatus, ProjectView } from '../../../electron/contract/api.ts';
import { trendPoint, type TrendPoint } from '../../../electron/contract/trends.ts';

export type { TrendPoint } from '../../../electron/contract/trends.ts';

/** How a state looks: the colour family of its badge. */
export type Tone = 'run' | 'wait' | 'pause' | 'error' | 'gold' | 'idle';

const STEP_WORDS: Record<CycleStep, string> = {
  baseline: 'measuring the baseline',
  read_state: 'reading the project',
  plan: 'planning',
  execute: 'the agent is working',
  quality_check: 'measuring the gates',
  update_progress: 'saving progress',
  check_completion: 'checking completion',
};

/**
 * The formats `clock` uses, made once: `toLocaleTimeString` builds a new formatter on every call, which
 * cost a page of a thousand cycles 50 ms at its first render.
 */
const FORMATS = {
  time: new Intl.DateTimeFormat([], { hour: '2-digit', minute: '2-digit', hour12: false }),
  day: new Intl.DateTimeFormat([], { month: 'short', day: 'numeric' }),
  dayOfYear: new Intl.DateTimeFormat([], { month: 'short', day: 'numeric', year: 'numeric' }),
};

/** `14:05` today, `Mar 2 14:05` another day (with the year when it is not this one): a time a person reads at a glance. */
export function clock(iso: string, now = new Date()): string {
  const at = new Date(iso);
  const hm = FORMATS.time.format(at);
  if (at.toDateString() === now.toDateString()) return hm;
  const day = at.getFullYear() === now.getFullYear() ? FORMATS.day : FORMATS.dayOfYear;
  return `${day.format(at)} ${hm}`;
}

/** The state in words, e.g. "on break until 14:05", with its tone. */
export function stateInWords(
  s: Pick<ProjectStatus, 'state' | 'step' | 'until' | 'message' | 'gold' | 'break_reason' | 'pause_reason'>,
  now = new Date(),
): { text: string; tone: Tone } {
  const until = s.until ? clock(s.until, now) : undefined;
  const at = until ? ` until ${until}` : '';
  switch (s.state) {
    case 'running':
      return { text: s.step ? `running — ${STEP_WORDS[s.step]}` : 'running', tone: 'run' };
    case 'break':
      switch (s.break_reason) {
        case 'budget':
          return { text: `day's agent budget spent — waiting${at}`, tone: 'wait' };
        case 'daily_limit':
          return { text: `day's cycle limit reached — waiting${at}`, tone: 'wait' };
        case 'hourly_limit':
          return { text: `hourly cycle limit reached — waiting${at}`, tone: 'wait' };
        case 'retry':
          return { text: until ? `retrying at ${until} after an error` : 'retrying after an error', tone: 'wait' };
        default:
          // Older run states carry no reason: an error's message still marks a retry.
          if (s.message && until) return { text: `retrying at ${until} after an error`, tone: 'wait' };
          return { text: `on break${at}`, tone: 'wait' };
      }
    case 'waiting_limit':
      return { text: `waiting for the usage limit${at}`, tone: 'wait' };
    case 'paused':
      if (s.pause_reason === 'budget') return { text: "paused: the run's agent budget is spent", tone: 'pause' };
      if (s.pause_reason === 'max_iterations') return { text: "paused: the run's cycle limit is reached", tone: 'pause' };
      if (s.pause_reason === 'errors') return { text: 'paused after repeated errors', tone: 'error' };
      return { text: s.message && s.message !== 'paused by the user' ? `paused: ${s.message}` : 'paused', tone: 'pause' };
    case 'error':
      return { text: `error: ${s.message ?? 'see the alerts'}`, tone: 'error' };
    case 'complete':
      return { text: 'gold', tone: 'gold' };
    case 'stopped':
      return { text: s.gold ? 'gold (stopped)' : 'stopped', tone: s.gold ? 'gold' : 'idle' };
    default:
      return { text: s.gold ? 'gold' : 'not started', tone: s.gold ? 'gold' : 'idle' };
  }
}

/** A checklist line's verdict as a word: colour is never the only signal. */
export function verdict(item: ChecklistItem): { word: 'PASS' | 'FAIL' | 'NOT MEASURED' | 'OFF'; tone: 'pass' | 'fail' | 'none' } {
  if (item.disabled) return { word: 'OFF', tone: 'none' };
  if (item.passed) return { word: 'PASS', tone: 'pass' };
  if (item.value === null && /^not measured/.test(item.evidence.detail)) return { word: 'NOT MEASURED', tone: 'none' };
  return { word: 'FAIL', tone: 'fail' };
}

/** How many surviving mutants the checklist lists before "and N more". */
export const SURVIVORS_SHOWN = 5;

/** Which controls make sense now. */
export function controls(p: ProjectView): { start: boolean; pause: boolean; resume: boolean; stop: boolean; gates: boolean } {
  const state = p.status?.state;
  const busy = p.driven || p.measuring;
  const foreign = !p.driven && !!p.status?.live; // another Goldloop process drives it
  return {
    start: !busy && !foreign && !!p.status && state !== 'paused',
    pause: p.driven,
    resume: !busy && !foreign && state === 'paused',
    stop: p.driven || (!foreign && state === 'paused'),
    gates: !busy && !foreign && !!p.status,
  };
}

/** One point per cycle for the trends: tests passing, coverage, tasks done. */
export function trendPoints(history: HistoryEntry[]): TrendPoint[] {
  return history.map(trendPoint);
}

/** Cycles left at the recent pace (tasks done per cycle over the last `window` cycles); undefined when there is no pace yet. */
export function cyclesLeft(points: TrendPoint[], totalTasks: number, window = 10): number | undefined {
  if (points.length < 2) return undefined;
  const recent = points.slice(-window - 1);
  const first = recent[0]!;
  const last = recent.at(-1)!;
  const rate = (last.tasks_done - first.tasks_done) / (recent.length - 1);
  const left = totalTasks - last.tasks_done;
  if (left <= 0) return 0;
  return rate > 0 ? Math.ceil(left / rate) : undefined;
}

/** The task queue in the operating document's order: priority, then phase, then id. */
export function queueGroups(
  tasks: ProjectStatus['tasks'],
): { priority: ProjectStatus['tasks'][number]['priority']; tasks: ProjectStatus['tasks'] }[] {
  return (['P0', 'P1', 'P2'] as const)
    .map((priority) => ({
      priority,
      tasks: tasks.filter((t) => t.priority === priority).sort((a, b) => a.phase - b.phase || a.task_id.localeCompare(b.task_id)),
    }))
    .filter((g) => g.tasks.length > 0);
}

/**
 * Why the plan cannot be edited now, or undefined: while a cycle runs the loop holds the plan as
 * the cycle started with it (the engine refuses an edit then, in the same words).
 */
export function planLocked(s: Pick<ProjectStatus, 'state' | 'step' | 'iteration'>): string | undefined {
  if (s.state !== 'running') return undefined;
  const what = s.step === 'baseline' ? 'Goldloop is measuring the baseline' : `Cycle ${s.iteration} is running`;
  return `${what}: the plan can be edited in the break after it, or once you pause the run.`;
}
