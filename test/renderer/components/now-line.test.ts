import { render, screen } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import NowLine from '../../../renderer/src/components/NowLine.svelte';
import { nowWords } from '../../../renderer/src/lib/now-words.ts';
import { status } from './harness.ts';

const NOW = new Date(2026, 2, 2, 14, 0).getTime();
const at = (minutes: number): string => new Date(NOW + minutes * 60_000).toISOString();
const task = { description: 'Implement wordCount', priority: 'P0' as const, phase: 1, dependencies: [], requirements: [] };

describe('what the project does now', () => {
  it("names the cycle, its task, its time so far and the time left before the cycle's limit", () => {
    const s = status({
      state: 'running',
      step: 'execute',
      iteration: 12,
      cycle_started_at: at(-4),
      cycle_timeout_at: at(11),
      tasks: [{ ...task, task_id: 'TASK_003', status: 'in_progress', current: true }],
    });
    expect(nowWords(s, NOW)).toEqual({
      now: "Cycle 12, 4 min in: the agent is working on TASK_003 (Implement wordCount); 11 min left before the cycle's time limit (14:11).",
      next: 'The next cycle starts after this one ends and a 5-minute break.',
    });
  });

  it('says which cycle is starting, that a cycle without a task works on a gap, and what the gates do once the agent is done', () => {
    const planning = status({ state: 'running', step: 'plan', iteration: 2 });
    expect(nowWords(planning, NOW).now).toBe('Cycle 3 is starting: planning.');
    expect(nowWords(status({ state: 'running', step: 'baseline' }), NOW).now).toBe(
      'Measuring the baseline: what passes now must still pass after every cycle.',
    );
    const working = status({ state: 'running', step: 'execute', iteration: 3, cycle_started_at: at(-1) });
    expect(nowWords(working, NOW).now).toBe('Cycle 3, 1 min in: the agent is working on a measured gap (no task is ready).');
    const measuring = status({ state: 'running', step: 'quality_check', iteration: 3, cycle_started_at: at(-9) });
    expect(nowWords(measuring, NOW).now).toBe('Cycle 3, 9 min in: measuring the gates.');
    const noBreak = status({ ...measuring, limits: { ...measuring.limits, break_minutes: 0 } });
    expect(nowWords(noBreak, NOW).next).toBe('The next cycle starts as soon as this one ends.');
  });

  it('says when the next cycle starts after a break or a limit, with a date when it is not today', () => {
    const onBreak = status({ state: 'break', break_reason: 'hourly_limit', until: at(25), iteration: 7 });
    expect(nowWords(onBreak, NOW)).toEqual({
      now: 'Hourly cycle limit reached — waiting until 14:25.',
      next: 'The next cycle (8) starts at 14:25, in 25 min.',
    });
    const limit = status({ state: 'waiting_limit', until: at(24 * 60), iteration: 7 });
    expect(nowWords(limit, NOW).next).toBe(
      `The next cycle (8) starts at ${new Date(NOW + 86_400_000).toLocaleDateString([], { month: 'short', day: 'numeric' })} 14:00, in 24 h.`,
    );
  });

  it('says what starts the next cycle when none is scheduled', () => {
    expect(nowWords(status({ state: 'idle', iteration: 0 }), NOW)).toEqual({
      now: 'Not running.',
      next: 'The next cycle (1) starts when you press Start.',
    });
    expect(nowWords(status({ state: 'paused', pause_reason: 'errors', iteration: 4 }), NOW).next).toBe(
      'The next cycle (5) starts when you resume.',
    );
  });

  it('never offers Start or Resume for a project another Goldloop process drives: it says where its controls are', () => {
    const idle = status({ state: 'idle', iteration: 4, live: true, pid: 4242 });
    expect(nowWords(idle, NOW, true).next).toBe(
      'Another Goldloop process (pid 4242) runs this project: start, pause and stop it there (its terminal or its window).',
    );
    expect(nowWords(status({ state: 'paused', iteration: 4, live: true, pid: 4242 }), NOW, true).next).not.toMatch(/resume|Start/);
    const onBreak = status({ state: 'break', until: at(10), iteration: 7, live: true, pid: 4242 });
    expect(nowWords(onBreak, NOW, true).next).toBe(
      'The next cycle (8) starts at 14:10, in 10 min. Another Goldloop process (pid 4242) runs this project: pause and stop it there (its terminal or its window).',
    );
    // Driven here: the words are as before.
    expect(nowWords(idle, NOW, false).next).toBe('The next cycle (5) starts when you press Start.');
  });

  it('shows both lines in the header', () => {
    render(NowLine, { status: status({ state: 'break', until: new Date(Date.now() + 10 * 60_000).toISOString(), iteration: 2 }) });
    const line = screen.getByTestId('now').textContent!.replace(/\s+/g, ' ');
    expect(line).toMatch(
      /^ ?Now: On break until (\w+ \d+ )?\d\d:\d\d\. Next: The next cycle \(3\) starts at (\w+ \d+ )?\d\d:\d\d, in (9|10) min\./,
    );
  });
});
