import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { KbSchema } from '../../../electron/store/kb/schema.ts';
import type { HistoryEntry } from '../../../electron/store/history.ts';
import { describeEstimate, estimateCompletion, remainingWork } from '../../../electron/engine/reports/estimate.ts';

const HOUR = 3_600_000;
const FIXTURES = ['steady', 'usage-limits', 'slowing', 'restart-gap'] as const;

/** A recorded history, first cycle to gold (see test/fixtures/histories/generate.ts). */
function fixture(name: string): HistoryEntry[] {
  const text = readFileSync(fileURLToPath(new URL(`../../fixtures/histories/${name}.jsonl`, import.meta.url)), 'utf8');
  return text
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as HistoryEntry);
}

/** The fixture's runs as [start, end] spans: the loop operated inside them and was stopped between. */
function spans(h: HistoryEntry[]): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  h.forEach((e, i) => {
    if (i > 0 && e.run_id === h[i - 1]!.run_id) out.at(-1)!.end = Date.parse(e.ended_at);
    else out.push({ start: Date.parse(e.started_at), end: Date.parse(e.ended_at) });
  });
  return out;
}

/** Replays a fixture to a point `share` of its operating time and estimates from what was known then. */
function checkpoint(name: string, share: number) {
  const h = fixture(name);
  const runs = spans(h);
  const operating = runs.reduce((sum, r) => sum + r.end - r.start, 0);
  let left = share * operating;
  let now = runs[0]!.start;
  for (const r of runs) {
    now = r.start + Math.min(left, r.end - r.start);
    if (left <= r.end - r.start) break;
    left -= r.end - r.start;
  }
  const known = h.filter((e) => Date.parse(e.ended_at) <= now);
  const total = h.filter((e) => e.outcome === 'task_done').length;
  const done = known.filter((e) => e.outcome === 'task_done').length;
  // When it turned gold, counted in operating time from `now` (a later stop of the loop is not the estimate's to foresee).
  const actual = now + (1 - share) * operating;
  return { now, actual, estimate: estimateCompletion({ history: known, remaining: total - done, now }) };
}

describe('estimateCompletion on recorded histories', () => {
  const shares = [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8];
  const results = FIXTURES.flatMap((name) => shares.map((share) => ({ name, share, ...checkpoint(name, share) })));

  it('says "not enough data yet" until 3 tasks are verified', () => {
    const h = fixture('steady');
    const third = h.filter((e) => e.outcome === 'task_done')[2]!;
    const before = h.filter((e) => Date.parse(e.ended_at) < Date.parse(third.ended_at));
    const e = estimateCompletion({ history: before, remaining: 22, now: Date.parse(third.ended_at) - 1 });
    expect(e).toMatchObject({ kind: 'not_enough_data', completions: 2, needed: 3 });
    expect(describeEstimate(e)).toContain('not enough data yet');
    expect(estimateCompletion({ history: [...before, third], remaining: 21, now: Date.parse(third.ended_at) }).kind).toBe('estimate');
  });

  it('gives an ordered range around the likely date at every checkpoint', () => {
    for (const r of results) {
      expect(r.estimate.kind).toBe('estimate');
      if (r.estimate.kind !== 'estimate') continue;
      expect(r.estimate.optimistic).toBeGreaterThan(r.now);
      expect(r.estimate.optimistic).toBeLessThanOrEqual(r.estimate.likely);
      expect(r.estimate.likely).toBeLessThanOrEqual(r.estimate.pessimistic);
    }
  });

  it('contains the actual completion time in its range at least 3 times in 4', () => {
    const inside = results.filter(
      (r) => r.estimate.kind === 'estimate' && r.estimate.optimistic <= r.actual && r.actual <= r.estimate.pessimistic,
    );
    expect(inside.length / results.length).toBeGreaterThanOrEqual(0.75);
  });

  it('puts the likely date within 30% of the remaining time at the median checkpoint', () => {
    const errors = results
      .map((r) => (r.estimate.kind === 'estimate' ? Math.abs(r.estimate.likely - r.actual) / (r.actual - r.now) : Infinity))
      .sort((a, b) => a - b);
    expect(errors[Math.floor(errors.length / 2)]).toBeLessThanOrEqual(0.3);
  });

  it('at half-way through a steady project, is within 25% of the actual finish', () => {
    const r = checkpoint('steady', 0.5);
    if (r.estimate.kind !== 'estimate') throw new Error('expected an estimate');
    expect(Math.abs(r.estimate.likely - r.actual) / (r.actual - r.now)).toBeLessThanOrEqual(0.25);
  });

  it('does not count the days the loop was stopped as slow work', () => {
    // restart-gap: the loop was stopped for 40 hours after 40% of its tasks.
    const h = fixture('restart-gap');
    const firstOfRun2 = h.findIndex((e) => e.run_id !== h[0]!.run_id);
    const known = h.slice(0, firstOfRun2 + 4);
    const now = Date.parse(known.at(-1)!.ended_at);
    const done = known.filter((e) => e.outcome === 'task_done').length;
    const e = estimateCompletion({ history: known, remaining: 20 - done, now });
    if (e.kind !== 'estimate') throw new Error('expected an estimate');
    expect(e.ratePerHour.overall).toBeGreaterThan(1);
    expect(e.pessimistic - now).toBeLessThan(24 * HOUR);
  });

  it('measures only up to the last activity when asked, so a stopped week does not slow the estimate', () => {
    const h = fixture('steady').slice(0, 12);
    const last = Date.parse(h.at(-1)!.ended_at);
    const weekLater = last + 7 * 24 * HOUR;
    const stale = estimateCompletion({ history: h, remaining: 10, now: weekLater });
    const fair = estimateCompletion({ history: h, remaining: 10, now: weekLater, measuredUntil: last });
    if (stale.kind !== 'estimate' || fair.kind !== 'estimate') throw new Error('expected estimates');
    expect(fair.likely - weekLater).toBeLessThan(24 * HOUR);
    expect(stale.likely - weekLater).toBeGreaterThan(fair.likely - weekLater);
  });

  it('is done when nothing is left', () => {
    expect(estimateCompletion({ history: fixture('steady'), remaining: 0, now: Date.now() })).toEqual({ kind: 'done' });
  });
});

describe('remainingWork', () => {
  const kb = KbSchema.parse({
    task_queue: {
      high_priority: [
        { task_id: 'T1', status: 'done', requirements: ['REQ-001'] },
        { task_id: 'T2', requirements: ['REQ-002'] },
      ],
      low_priority: [{ task_id: 'T3' }],
    },
    requirements: [{ id: 'REQ-001' }, { id: 'REQ-002' }, { id: 'REQ-003' }],
  });

  it('counts open tasks and the uncovered requirements no open task implements', () => {
    expect(remainingWork(kb, { gold: false, checklist: [], uncovered_requirements: ['REQ-002', 'REQ-003'] })).toBe(3);
  });

  it('counts each failing gate once the queue is empty, and nothing at gold', () => {
    const done = KbSchema.parse({ task_queue: { high_priority: [{ task_id: 'T1', status: 'done' }] } });
    const failing = (id: string) => ({ id, passed: false }) as never;
    expect(
      remainingWork(done, {
        gold: false,
        checklist: [failing('coverage'), failing('docs'), failing('phases')],
        uncovered_requirements: [],
      }),
    ).toBe(2);
    expect(remainingWork(done, { gold: true, checklist: [], uncovered_requirements: [] })).toBe(0);
  });
});
