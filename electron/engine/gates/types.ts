import type { GateId, TestOutcome } from '../../contract/status.ts';

// The measurement's shape is the contract's: the run state keeps it and the views show it.
export { GATE_IDS, SURVIVORS_IN_DETAIL } from '../../contract/status.ts';
export type { ChecklistItem, Evidence, GateId, GateRun, SurvivingMutant, TestOutcome } from '../../contract/status.ts';

export const GATE_LABELS: Record<GateId, string> = {
  phases: 'All phases complete',
  requirements: 'All requirements covered (100%)',
  coverage: 'Test coverage at or above target',
  tests: 'All tests passing',
  mutation: 'Tests catch faults',
  holdout: 'Held-out acceptance tests passing',
  security: 'Security scans passing',
  performance: 'Performance benchmarks met',
  docs: 'Documentation complete',
  build: 'Production deployment ready (build succeeds)',
  blockers: 'No critical bugs, no blockers',
};

/** Tests that passed in `before` and do not pass in `after`, by name. */
export function regressions(before: TestOutcome[] | undefined, after: TestOutcome[]): string[] {
  if (!before) return [];
  const now = new Map(after.map((t) => [t.name, t.status]));
  return before.filter((t) => t.status === 'passed' && now.has(t.name) && now.get(t.name) !== 'passed').map((t) => t.name);
}
