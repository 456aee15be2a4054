/**
 * A gold candidate: every line of the checklist passes but the two that are measured only then —
 * the mutation run over all the code and the held-out acceptance tests, both too costly or too
 * precious to run on every phase. The task in progress counts as done, since the cycle marks it
 * done after the phase when it verifies.
 */
import type { Kb } from '../../store/kb/schema.ts';
import { allTasks } from '../tasks/queue.ts';
import { evaluateChecklist } from './checklist/checklist.ts';
import type { Measurement } from './measurement.ts';
import type { GateId } from './types.ts';

/** The lines a gold candidate is not judged by: they are what it triggers. */
const MEASURED_AT_CANDIDATE: readonly GateId[] = ['mutation', 'holdout'];

export function goldCandidate(kb: Kb, m: Measurement): boolean {
  const assumed = structuredClone(kb);
  for (const { task } of allTasks(assumed)) if (task.status === 'in_progress') task.status = 'done';
  const { checklist } = evaluateChecklist(assumed, { ...m, mutation: undefined, holdout: undefined });
  return checklist.every((c) => MEASURED_AT_CANDIDATE.includes(c.id) || c.passed);
}
