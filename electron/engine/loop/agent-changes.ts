/**
 * What the agent changed in the project during a cycle, read from Goldloop's snapshots of the
 * cycle's start and end (git projects only): the figures of the cycle's history line.
 */
import type { CycleChanges } from '../../contract/status.ts';
import type { Work } from './cycle-context.ts';

/** The cycle's diff in figures; undefined without both snapshots, or when git cannot compare them. */
export async function cycleChanges(w: Work): Promise<CycleChanges | undefined> {
  const s = w.snapshots;
  if (!s?.end) return undefined;
  return s.repo.lineCounts(s.start, s.end).catch(() => undefined);
}
