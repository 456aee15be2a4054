/** The canary's effect on the checklist (the canary itself: `gates/canary.ts`). */
import type { CanaryRun } from '../measurement.ts';
import type { ChecklistItem } from '../types.ts';

/** What the tests line and the tamper check say when the canary passed. */
export const CANARY_PASSED =
  "the canary passed — a test Goldloop wrote to fail, run by the project's test runner with its code loaded: the test harness has been tampered with (assertions or the runner made to pass everything), so no test result counts";

/** Whether the canary passed: a test of it passed, or (where that proves it) the runner exited 0 on tests that must all fail. */
export const canaryPassed = (run: CanaryRun): boolean =>
  run.passed.length > 0 || (run.exitCodeCounts !== false && run.result.exitCode === 0);

/** The tests line fails, whatever the tests said, when the canary — a test that must fail — passed. */
export function canaryChecked(tests: ChecklistItem, canary: CanaryRun | undefined): ChecklistItem {
  if (!canary || !canaryPassed(canary)) return tests;
  return {
    ...tests,
    passed: false,
    evidence: {
      ...tests.evidence,
      detail: `${CANARY_PASSED}; ${tests.evidence.detail}`,
    },
  };
}
