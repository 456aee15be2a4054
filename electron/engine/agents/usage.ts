import type { AgentUsage } from '../../contract/status.ts';
import type { AgentEvent } from './types.ts';

export type { AgentUsage } from '../../contract/status.ts';

const add = (a: number | undefined, b: number | undefined): number | undefined =>
  a === undefined && b === undefined ? undefined : (a ?? 0) + (b ?? 0);

/**
 * Sums a cycle's `usage` events. The adapters emit one per message, step or turn (Claude Code
 * once, with the run's total), so the sum is the cycle's usage. Undefined when there were none.
 * Events that report the session's running total are left out: see `cycleUsage`.
 */
export function sumUsage(events: readonly AgentEvent[]): AgentUsage | undefined {
  let total: AgentUsage | undefined;
  for (const e of events) {
    if (e.type !== 'usage' || e.sessionTotal) continue;
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

const minus = (a: number | undefined, b: number | undefined): number | undefined =>
  a === undefined ? undefined : Math.max(0, a - (b ?? 0));

/**
 * A cycle's own usage, and the session's running total to remember for its next cycle. A CLI that
 * reports the session's total (Codex after `exec resume`) spent, this cycle, its last total less
 * the total it reported at the end of the session's previous cycle (`previousTotal`, none for a
 * new session); the other events are summed.
 */
export function cycleUsage(
  events: readonly AgentEvent[],
  previousTotal: AgentUsage | undefined,
): { usage: AgentUsage | undefined; sessionTotal: AgentUsage | undefined } {
  const last = events.filter((e) => e.type === 'usage' && e.sessionTotal === true).at(-1);
  const sessionTotal = last ? sumUsage([{ ...last, sessionTotal: undefined } as AgentEvent]) : undefined;
  const own = sessionTotal
    ? {
        ...defined('input_tokens', minus(sessionTotal.input_tokens, previousTotal?.input_tokens)),
        ...defined('output_tokens', minus(sessionTotal.output_tokens, previousTotal?.output_tokens)),
        ...defined('cost_usd', minus(sessionTotal.cost_usd, previousTotal?.cost_usd)),
      }
    : undefined;
  const summed = sumUsage(events);
  const usage = own && summed ? totalWithout(own, summed) : (own ?? summed);
  return { usage, sessionTotal };
}

const defined = (key: keyof AgentUsage, value: number | undefined): AgentUsage => (value === undefined ? {} : { [key]: value });

function totalWithout(a: AgentUsage, b: AgentUsage): AgentUsage {
  const { cycles: _cycles, ...sum } = totalUsage([a, b]);
  return sum;
}
