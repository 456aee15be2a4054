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
      ...(add(total?.inputTokens, input) !== undefined ? { inputTokens: add(total?.inputTokens, input) } : {}),
      ...(add(total?.outputTokens, e.outputTokens) !== undefined ? { outputTokens: add(total?.outputTokens, e.outputTokens) } : {}),
      ...(add(total?.costUsd, e.costUsd) !== undefined ? { costUsd: add(total?.costUsd, e.costUsd) } : {}),
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
      ...(add(sum.inputTokens, u.inputTokens) !== undefined ? { inputTokens: add(sum.inputTokens, u.inputTokens) } : {}),
      ...(add(sum.outputTokens, u.outputTokens) !== undefined ? { outputTokens: add(sum.outputTokens, u.outputTokens) } : {}),
      ...(add(sum.costUsd, u.costUsd) !== undefined ? { costUsd: add(sum.costUsd, u.costUsd) } : {}),
    };
  }
  return { ...sum, cycles };
}
