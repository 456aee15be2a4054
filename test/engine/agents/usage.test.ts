import { describe, expect, test } from 'vitest';
import { cycleUsage, sumUsage } from '../../../electron/engine/agents/usage.ts';
import type { AgentEvent } from '../../../electron/engine/agents/types.ts';

const usage = (fields: Omit<Extract<AgentEvent, { type: 'usage' }>, 'type'>): AgentEvent => ({ type: 'usage', ...fields });

describe("a cycle's usage", () => {
  test('per-message events are summed, cache reads and writes counted as input', () => {
    const events = [
      usage({ inputTokens: 10, cacheReadTokens: 5, outputTokens: 2 }),
      usage({ inputTokens: 20, cacheWriteTokens: 1, outputTokens: 3, costUsd: 0.5 }),
    ];
    expect(sumUsage(events)).toEqual({ input_tokens: 36, output_tokens: 5, cost_usd: 0.5 });
    expect(cycleUsage(events, undefined)).toEqual({
      usage: { input_tokens: 36, output_tokens: 5, cost_usd: 0.5 },
      sessionTotal: undefined,
    });
  });

  test("a new session's running total is the cycle's usage, and the total to remember", () => {
    const events = [usage({ inputTokens: 900, cacheReadTokens: 100, outputTokens: 10, sessionTotal: true })];
    expect(cycleUsage(events, undefined)).toEqual({
      usage: { input_tokens: 1000, output_tokens: 10 },
      sessionTotal: { input_tokens: 1000, output_tokens: 10 },
    });
  });

  test("a resumed session's cycle spent its last total less the previous cycle's", () => {
    const events = [usage({ inputTokens: 1400, cacheReadTokens: 1600, outputTokens: 30, sessionTotal: true })];
    expect(cycleUsage(events, { input_tokens: 1000, output_tokens: 10 })).toEqual({
      usage: { input_tokens: 2000, output_tokens: 20 },
      sessionTotal: { input_tokens: 3000, output_tokens: 30 },
    });
  });

  test('of several running totals in one run, the last one counts', () => {
    const events = [
      usage({ inputTokens: 100, outputTokens: 1, sessionTotal: true }),
      usage({ inputTokens: 300, outputTokens: 3, sessionTotal: true }),
    ];
    expect(cycleUsage(events, { input_tokens: 50, output_tokens: 1 }).usage).toEqual({ input_tokens: 250, output_tokens: 2 });
  });
});
