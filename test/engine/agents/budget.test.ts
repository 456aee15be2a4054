import { describe, expect, it } from 'vitest';
import { addUsage, checkBudget, newLedger, nextLocalMidnight } from '../../../electron/engine/agents/budget.ts';

// Local times, as the day budget resets at local midnight.
const at = (y: number, m: number, d: number, h = 0, min = 0): number => new Date(y, m - 1, d, h, min).getTime();

describe('agent budgets', () => {
  it('sums reported tokens (input + output) and cost per run and per day', () => {
    const ledger = newLedger(at(2026, 3, 1, 9));
    addUsage(ledger, { input_tokens: 1000, output_tokens: 200, cost_usd: 0.05 }, at(2026, 3, 1, 10));
    addUsage(ledger, { output_tokens: 10 }, at(2026, 3, 1, 11));
    addUsage(ledger, undefined, at(2026, 3, 1, 12));
    expect(ledger).toEqual({ run: { tokens: 1210, cost_usd: 0.05 }, day: { date: '2026-03-01', tokens: 1210, cost_usd: 0.05 } });
  });

  it('starts a new day at local midnight, keeping the run total', () => {
    const ledger = newLedger(at(2026, 3, 1, 23));
    addUsage(ledger, { input_tokens: 500 }, at(2026, 3, 1, 23, 50));
    addUsage(ledger, { input_tokens: 100 }, at(2026, 3, 2, 0, 10));
    expect(ledger.run.tokens).toBe(600);
    expect(ledger.day).toEqual({ date: '2026-03-02', tokens: 100, cost_usd: 0 });
  });

  it('waits until local midnight when the day budget is reached', () => {
    const now = at(2026, 3, 1, 15);
    const ledger = newLedger(now);
    addUsage(ledger, { cost_usd: 2 }, now);
    const verdict = checkBudget(ledger, { per_day: { cost_usd: 2 } }, now);
    expect(verdict).toMatchObject({ kind: 'day', until: at(2026, 3, 2) });
    expect(verdict.kind === 'day' && verdict.message).toContain("today's budget is spent ($2.00 of $2.00, agent.budget.per_day)");
    expect(checkBudget(ledger, { per_day: { cost_usd: 2 } }, at(2026, 3, 2, 0, 1))).toEqual({ kind: 'ok' });
  });

  it('pauses when the run budget is reached, checked before the day budget', () => {
    const ledger = newLedger(0);
    addUsage(ledger, { input_tokens: 9000, output_tokens: 1000 }, 0);
    const verdict = checkBudget(ledger, { per_run: { tokens: 10_000 }, per_day: { tokens: 5 } }, 0);
    expect(verdict.kind).toBe('run');
    expect(verdict.kind === 'run' && verdict.message).toContain(
      "the run's budget is spent (10,000 of 10,000 tokens, agent.budget.per_run)",
    );
  });

  it('is ok without a budget or below it', () => {
    const ledger = newLedger(0);
    addUsage(ledger, { cost_usd: 1 }, 0);
    expect(checkBudget(ledger, undefined, 0)).toEqual({ kind: 'ok' });
    expect(checkBudget(ledger, { per_run: { cost_usd: 1.5, tokens: 10 ** 6 } }, 0)).toEqual({ kind: 'ok' });
  });

  it('carries the day spending into a new run on the same day only', () => {
    const previous = newLedger(at(2026, 3, 1, 8));
    addUsage(previous, { cost_usd: 3 }, at(2026, 3, 1, 9));
    expect(newLedger(at(2026, 3, 1, 20), previous)).toEqual({
      run: { tokens: 0, cost_usd: 0 },
      day: { date: '2026-03-01', tokens: 0, cost_usd: 3 },
    });
    expect(newLedger(at(2026, 3, 2, 1), previous).day.cost_usd).toBe(0);
    expect(nextLocalMidnight(at(2026, 3, 1, 0))).toBe(at(2026, 3, 2));
  });
});
