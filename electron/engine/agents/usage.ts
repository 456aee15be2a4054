import type { AgentUsage } from '../../contract/status.ts';
import type { AgentEvent } from './types.ts';

export type { AgentUsage } from '../../contract/status.ts';

const add = (a: number | undefined, b: number | undefined): number | undefined =>
  a === undefined && b === undefined ? undefined : (a ?? 0) + (b ?? 0);

/**
 * Sums a cycle's `usage` events. The adapters emit one per message, step or turn (Claude Code
 * once, with the run's total), so the sum is the cycle's usage. Undefined when there were none.
 */
export function sumUsage(events: readonly AgentEvent[]): AgentUsage | undefined {
  let total: AgentUsage | undefined;
  for (const e of events) {
    if (e.type !== 'usage') continue;
    const input = add(e.inputTokens, add(e.cacheReadTokens, e.cacheWriteTokens));
    total = {
      ...(add(total?.input_tokens, input) !== undefined ? { input_tokens: add(total?.input_tokens, input) } : {}),
      ...(add(total?.output_tokens, e.outputTokens) !== undefined ? { output_tokens: add(total?.output_tokens, e.outputTokens) } : {}),
      ...(add(total?.cost_usd, e.costUsd) !== undefined ? { cost_usd: add(total?.cost_usd, e.costUsd) } : {}),
    };
  }
  return total;
}

/** Adds up the usage of many cycles; `cycles` counts those that reported any. */
export function totalUsage(list: readonly (AgentUsage | undefined)[]): AgentUsage & { cycles: number } {
  let sum: AgentUsage = {};
  let cycles = 0;
  for (const u of list) {
    if (!u) continue;
    cycles += 1;
    sum = {
      ...(add(sum.input_tokens, u.input_tokens) !== undefined ? { input_tokens: add(sum.input_tokens, u.input_tokens) } : {}),
      ...(add(sum.output_tokens, u.output_tokens) !== undefined ? { output_tokens: add(sum.output_tokens, u.output_tokens) } : {}),
      ...(add(sum.cost_usd, u.cost_usd) !== undefined ? { cost_usd: add(sum.cost_usd, u.cost_usd) } : {}),
    };
  }
  return { ...sum, cycles };
}
