import { describe, expect, it } from 'vitest';
import { clock, controls, cyclesLeft, queueGroups, stateInWords, trendPoints, verdict } from '../../renderer/src/lib/format.ts';
import { renderMarkdown } from '../../renderer/src/lib/markdown.ts';
import type { ChecklistItem, HistoryEntry, ProjectView, TaskRow } from '../../electron/contract/api.ts';

const now = new Date(2026, 10, 24, 13, 0);
const at = (h: number, m: number): string => new Date(2026, 10, 24, h, m).toISOString();

describe('the state in words', () => {
  it('says when a break and a usage limit end, in local time', () => {
    expect(stateInWords({ state: 'break', until: at(14, 5), gold: false }, now)).toEqual({ text: 'on break until 14:05', tone: 'wait' });
    expect(stateInWords({ state: 'waiting_limit', until: at(15, 0), gold: false }, now).text).toBe(
      'waiting for the usage limit until 15:00',
    );
  });

  it('names the step while running, the reason of an error, and gold', () => {
    expect(stateInWords({ state: 'running', step: 'execute', gold: false }, now).text).toBe('running — the agent is working');
    expect(stateInWords({ state: 'error', message: 'the KB is gone', gold: false }, now)).toEqual({
      text: 'error: the KB is gone',
      tone: 'error',
    });
    expect(stateInWords({ state: 'complete', gold: true }, now)).toEqual({ text: 'gold', tone: 'gold' });
    expect(stateInWords({ state: 'paused', message: 'paused by the user', gold: false }, now).text).toBe('paused');
    expect(stateInWords({ state: 'paused', message: '3 consecutive error(s)', gold: false }, now).text).toBe(
      'paused: 3 consecutive error(s)',
    );
  });

  it('says why a break or a pause happened: a limit, a spent budget, an error', () => {
    expect(stateInWords({ state: 'break', break_reason: 'budget', until: at(23, 59), gold: false }, now).text).toBe(
      "day's agent budget spent — waiting until 23:59",
    );
    expect(stateInWords({ state: 'break', break_reason: 'hourly_limit', until: at(15, 0), gold: false }, now).text).toBe(
      'hourly cycle limit reached — waiting until 15:00',
    );
    expect(stateInWords({ state: 'break', break_reason: 'daily_limit', until: at(23, 0), gold: false }, now).text).toBe(
      "day's cycle limit reached — waiting until 23:00",
    );
    expect(stateInWords({ state: 'break', break_reason: 'retry', until: at(14, 30), message: 'exit 1', gold: false }, now).text).toBe(
      'retrying at 14:30 after an error',
    );
    expect(stateInWords({ state: 'break', break_reason: 'break', until: at(14, 30), gold: false }, now).text).toBe('on break until 14:30');
    expect(
      stateInWords({ state: 'paused', pause_reason: 'budget', message: 'the run used $20.10 of its $20 budget', gold: false }, now),
    ).toEqual({ text: "paused: the run's agent budget is spent", tone: 'pause' });
    expect(stateInWords({ state: 'paused', pause_reason: 'max_iterations', gold: false }, now).text).toBe(
      "paused: the run's cycle limit is reached",
    );
    expect(stateInWords({ state: 'paused', pause_reason: 'errors', message: '3 consecutive error(s)', gold: false }, now)).toEqual({
      text: 'paused after repeated errors',
      tone: 'error',
    });
  });
});

describe('clock', () => {
  it('shows the time today, the day and time another day, and the year when it is not this one', () => {
    const time = (d: Date): string => d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', hour12: false });
    const earlier = new Date(2026, 10, 20, 9, 7);
    const lastYear = new Date(2025, 2, 2, 23, 59);
    expect(clock(at(14, 5), now)).toBe(time(new Date(2026, 10, 24, 14, 5)));
    expect(clock(earlier.toISOString(), now)).toBe(
      `${earlier.toLocaleDateString([], { month: 'short', day: 'numeric' })} ${time(earlier)}`,
    );
    expect(clock(lastYear.toISOString(), now)).toBe(
      `${lastYear.toLocaleDateString([], { month: 'short', day: 'numeric', year: 'numeric' })} ${time(lastYear)}`,
    );
    expect(clock(lastYear.toISOString(), now)).toContain('2025');
  });
});

describe('checklist verdicts', () => {
  const item = (over: Partial<ChecklistItem>): ChecklistItem => ({
    id: 'tests',
    label: 'All tests passing',
    passed: false,
    value: '1/2 passing',
    threshold: 'all passing',
    evidence: { detail: 'failing: x' },
    ...over,
  });
  it('always carry a word, not only a colour', () => {
    expect(verdict(item({ passed: true })).word).toBe('PASS');
    expect(verdict(item({})).word).toBe('FAIL');
    expect(verdict(item({ value: null, evidence: { detail: 'not measured yet: run goldloop gates' } })).word).toBe('NOT MEASURED');
    expect(verdict(item({ passed: true, disabled: true })).word).toBe('OFF');
  });
});

describe('controls', () => {
  const view = (over: Partial<ProjectView>, state: string): ProjectView =>
    ({
      id: 'a',
      path: '/a',
      name: 'a',
      added_at: '',
      driven: false,
      measuring: false,
      status: { state, live: false },
      ...over,
    }) as ProjectView;
  it('offer what the state allows', () => {
    expect(controls(view({}, 'idle'))).toEqual({ start: true, pause: false, resume: false, stop: false, gates: true });
    expect(controls(view({ driven: true }, 'running'))).toEqual({ start: false, pause: true, resume: false, stop: true, gates: false });
    expect(controls(view({}, 'paused'))).toMatchObject({ start: false, resume: true, stop: true });
    // Another Goldloop process drives it: nothing here may start it or measure under it.
    expect(controls(view({ status: { state: 'running', live: true } as ProjectView['status'] }, 'running'))).toMatchObject({
      start: false,
      gates: false,
      stop: false,
    });
  });
});

describe('trends', () => {
  const entry = (iteration: number, tests: string, coverage: number, done: number): HistoryEntry =>
    ({
      iteration,
      checklist: [
        { id: 'tests', passed: false, value: tests },
        { id: 'coverage', passed: false, value: coverage },
      ],
      counters: { tasks_completed: done },
    }) as unknown as HistoryEntry;
  it('reads tests, coverage and tasks per cycle, and estimates the cycles left from the recent pace', () => {
    const points = trendPoints([entry(1, '1/6 passing', 40, 1), entry(2, '3/6 passing', 60, 3), entry(3, '5/6 passing, 1 skipped', 80, 5)]);
    expect(points.at(-1)).toEqual({ iteration: 3, passing: 5, total: 6, coverage: 80, tasks_done: 5 });
    expect(cyclesLeft(points, 9)).toBe(2);
    expect(cyclesLeft(points, 5)).toBe(0);
    expect(cyclesLeft(points.slice(0, 1), 9)).toBeUndefined();
  });
});

describe('the task queue', () => {
  it('groups by priority, then orders by phase and id', () => {
    const t = (task_id: string, priority: TaskRow['priority'], phase: number): TaskRow => ({
      task_id,
      priority,
      phase,
      description: '',
      status: 'ready',
      dependencies: [],
      requirements: [],
      current: false,
    });
    const groups = queueGroups([t('B', 'P1', 2), t('A', 'P1', 3), t('C', 'P0', 1), t('D', 'P1', 2)]);
    expect(groups.map((g) => [g.priority, g.tasks.map((x) => x.task_id)])).toEqual([
      ['P0', ['C']],
      ['P1', ['B', 'D', 'A']],
    ]);
  });
});

describe('report Markdown', () => {
  it('renders headings, tables and lists, and escapes everything the file holds', () => {
    const html = renderMarkdown(
      '# Final <b>report</b>\n\n| a | b |\n|---|---|\n| `x|y` | **ok** |\n\n- [x] tests\n- [ ] docs\n\n<script>alert(1)</script>',
    );
    expect(html).toContain('<h2>Final &lt;b&gt;report&lt;/b&gt;</h2>');
    expect(html).toContain('<td><strong>ok</strong></td>');
    expect(html).toContain('aria-label="done"');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
  });
});
