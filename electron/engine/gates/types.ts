import type { ChecklistItem as SharedChecklistItem, Evidence } from '../../contract/status.ts';

export type { Evidence };

export const GATE_IDS = ['phases', 'requirements', 'coverage', 'tests', 'security', 'performance', 'docs', 'build', 'blockers'] as const;
export type GateId = (typeof GATE_IDS)[number];

export const GATE_LABELS: Record<GateId, string> = {
  phases: 'All phases complete',
  requirements: 'All requirements covered (100%)',
  coverage: 'Test coverage at or above target',
  tests: 'All tests passing',
  security: 'Security scans passing',
  performance: 'Performance benchmarks met',
  docs: 'Documentation complete',
  build: 'Production deployment ready (build succeeds)',
  blockers: 'No critical bugs, no blockers',
};

/** One line of the completion checklist, measured by Goldloop (the contract's, with the id narrowed). */
export type ChecklistItem = Omit<SharedChecklistItem, 'id'> & { id: GateId };

/** A test as the gates remember it between cycles (to name regressions). */
export interface TestOutcome {
  name: string;
  status: 'passed' | 'failed' | 'errored' | 'skipped';
  message?: string;
  /** Requirement ids tagged next to the test in its source (`[REQ-012]`). */
  tags?: string[];
}

/** The result of one gate phase. */
export interface GateRun {
  at: string;
  durationMs: number;
  gold: boolean;
  checklist: ChecklistItem[];
  /** Per-test outcomes from the JUnit report, when there is one. */
  tests: TestOutcome[];
  uncoveredRequirements: string[];
  /** Files with the lowest line coverage first, for the prompt. */
  leastCoveredFiles: { file: string; pct: number }[];
  coveragePct?: number;
}

/** Tests that passed in `before` and do not pass in `after`, by name. */
export function regressions(before: TestOutcome[] | undefined, after: TestOutcome[]): string[] {
  if (!before) return [];
  const now = new Map(after.map((t) => [t.name, t.status]));
  return before.filter((t) => t.status === 'passed' && now.has(t.name) && now.get(t.name) !== 'passed').map((t) => t.name);
}
