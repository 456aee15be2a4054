import type { AgentConfig, BudgetLimit } from '../../store/kb/schema.ts';
import { localDay, nextLocalMidnight } from '../../platform/clock.ts';
import type { BudgetLedger, Spend } from '../../store/run-state.ts';
import type { AgentUsage } from './usage.ts';

export type { BudgetLedger, Spend } from '../../store/run-state.ts';
export { nextLocalMidnight } from '../../platform/clock.ts';

/**
 * Spending limits per local day and per run, in the cost (USD) and tokens the agent's own CLI
 * reports in its usage events. Tokens are input (with cache reads and writes, as the CLI counts
 * them) plus output. A CLI that reports nothing spends nothing here: budgets cannot see it.
 */

/** `agent.budget` in the KB. */
export type Budget = NonNullable<AgentConfig['budget']>;

export type BudgetVerdict =
  | { kind: 'ok' }
  /** The day's budget is spent: wait until local midnight, then go on. */
  | { kind: 'day'; until: number; message: string }
  /** The run's budget is spent: pause; a resume starts a new run with a fresh run budget. */
  | { kind: 'run'; message: string };

const zero = (): Spend => ({ tokens: 0, cost_usd: 0 });

/** A ledger for a new run; the day's spending carries over from the last run when it is still that day. */
export function newLedger(now: number, previous?: BudgetLedger): BudgetLedger {
  const today = localDay(now);
  return { run: zero(), day: previous?.day.date === today ? { ...previous.day } : { date: today, ...zero() } };
}

/** Adds one cycle's reported usage, starting a new day's count when the local date changed. */
export function addUsage(ledger: BudgetLedger, usage: AgentUsage | undefined, now: number): void {
  const today = localDay(now);
  if (ledger.day.date !== today) ledger.day = { date: today, ...zero() };
  if (!usage) return;
  const tokens = (usage.input_tokens ?? 0) + (usage.output_tokens ?? 0);
  const cost = usage.cost_usd ?? 0;
  ledger.run.tokens += tokens;
  ledger.run.cost_usd += cost;
  ledger.day.tokens += tokens;
  ledger.day.cost_usd += cost;
}

/** Which limit `spent` has reached, in words, or undefined. */
function reached(spent: Spend, limit: BudgetLimit | undefined): string | undefined {
  if (!limit) return undefined;
  if (limit.cost_usd !== undefined && spent.cost_usd >= limit.cost_usd)
    return `$${spent.cost_usd.toFixed(2)} of $${limit.cost_usd.toFixed(2)}`;
  if (limit.tokens !== undefined && spent.tokens >= limit.tokens)
    return `${spent.tokens.toLocaleString('en-US')} of ${limit.tokens.toLocaleString('en-US')} tokens`;
  return undefined;
}

/** Whether the next cycle may start. The run's budget is checked first: it needs the user, the day's only time. */
export function checkBudget(ledger: BudgetLedger, budget: Budget | undefined, now: number): BudgetVerdict {
  const run = reached(ledger.run, budget?.per_run);
  if (run)
    return {
      kind: 'run',
      message: `the run's budget is spent (${run}, agent.budget.per_run); paused. Raise the budget or resume to start a new run.`,
    };
  // Spending recorded on an earlier day does not count today.
  const day = ledger.day.date === localDay(now) ? reached(ledger.day, budget?.per_day) : undefined;
  if (day) {
    const until = nextLocalMidnight(now);
    return {
      kind: 'day',
      until,
      message: `today's budget is spent (${day}, agent.budget.per_day); waiting until local midnight (${new Date(until).toISOString()})`,
    };
  }
  return { kind: 'ok' };
}
