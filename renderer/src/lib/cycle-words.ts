/** A cycle of the history in words and short figures, as its row in the dashboard shows it. */
import type { HistoryEntry } from '../../../electron/contract/api.ts';

export type OutcomeTone = 'pass' | 'fail' | 'wait' | 'none';

/** The first clause of a reason, for a row; the detail shows all of it. */
const short = (text: string): string => text.split(/; |: (?=its work is kept)/)[0]!;

/** What the cycle came to, in words: done, not verified (why), rolled back (why), error, limit wait, interrupted. */
export function outcomeWords(c: Pick<HistoryEntry, 'outcome' | 'verification' | 'agent' | 'unseen_edits'>): {
  text: string;
  tone: OutcomeTone;
} {
  const words = outcomeOnly(c);
  // The agent "edited" in vain: worth a look whatever the gates said.
  return c.unseen_edits ? { text: `${words.text}; its reported edits changed nothing`, tone: 'fail' } : words;
}

function outcomeOnly(c: Pick<HistoryEntry, 'outcome' | 'verification' | 'agent'>): { text: string; tone: OutcomeTone } {
  const why = c.verification;
  switch (c.outcome) {
    case 'task_done':
      return { text: 'done', tone: 'pass' };
    case 'progress':
      return { text: 'progress on a gap', tone: 'pass' };
    case 'not_verified':
      return { text: why ? `not verified: ${short(why)}` : 'not verified', tone: 'fail' };
    case 'rolled_back':
      return { text: why ? short(why) : 'rolled back', tone: 'fail' };
    case 'tampered':
      return { text: why ? short(why) : 'not counted: the agent weakened the measurements', tone: 'fail' };
    case 'error':
      return { text: `error: ${short(why ?? c.agent.error ?? `the agent exited with code ${String(c.agent.exit_code)}`)}`, tone: 'fail' };
    case 'interrupted':
      return { text: 'interrupted (paused, stopped or ended mid-cycle)', tone: 'none' };
    default:
      return why?.startsWith('usage limit')
        ? { text: `limit wait: ${why.slice('usage limit: '.length)}`, tone: 'wait' }
        : { text: why ? `no progress: ${short(why)}` : 'no progress', tone: 'none' };
  }
}

/** `45 s`, `12 min`, `1 h 5 min`: a duration a person reads at a glance. */
export function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const min = Math.round(s / 60);
  return min < 60 ? `${min} min` : `${Math.floor(min / 60)} h${min % 60 ? ` ${min % 60} min` : ''}`;
}

/** The cycle's wall-clock time, from its start to its end. */
export const cycleDuration = (c: Pick<HistoryEntry, 'started_at' | 'ended_at'>): string =>
  duration(Date.parse(c.ended_at) - Date.parse(c.started_at));

/** `+12 −3 in 2 files`; without figures (an older line, no git), the files its tools named. */
export function changesWords(c: Pick<HistoryEntry, 'changes' | 'agent'>): string {
  const ch = c.changes;
  if (ch) return ch.files ? `+${ch.added} −${ch.removed} in ${ch.files} file${ch.files === 1 ? '' : 's'}` : 'no change';
  const named = c.agent.files_changed?.length ?? 0;
  return named ? `${named} file${named === 1 ? '' : 's'}` : '—';
}

const compact = (n: number): string =>
  n >= 1_000_000
    ? `${(n / 1_000_000).toFixed(1)}M`
    : n >= 10_000
      ? `${Math.round(n / 1000)}k`
      : n >= 1000
        ? `${(n / 1000).toFixed(1)}k`
        : `${n}`;

/** `13.5k tokens · $0.07`, or a dash when the agent's CLI reports none. */
export function spendWords(c: Pick<HistoryEntry, 'agent'>): string {
  const u = c.agent.usage;
  if (!u) return '—';
  const tokens = (u.input_tokens ?? 0) + (u.output_tokens ?? 0);
  const parts = [...(tokens ? [`${compact(tokens)} tokens`] : []), ...(u.cost_usd !== undefined ? [`$${u.cost_usd.toFixed(2)}`] : [])];
  return parts.join(' · ') || '—';
}
