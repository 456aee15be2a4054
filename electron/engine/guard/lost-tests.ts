/**
 * Tests switched off, seen from the results rather than the diff: whatever the agent wrote (a skip
 * Goldloop has no pattern for, a test renamed, a file the runner no longer finds), the JUnit results
 * show it. A test that passed in the run's baseline or ran in the last measurement must still run
 * under its name; one that passed there must not be skipped now; and where the runner's report
 * counts assertions, one that made some there must not pass making none now (its body emptied).
 */
import type { GateRun, TestOutcome } from '../gates/types.ts';

export interface LostTestsFinding {
  kind: 'tests_removed' | 'test_skipped' | 'assertions_dropped';
  message: string;
  evidence?: string;
}

const listed = (names: string[]): string => `${names.slice(0, 5).join('; ')}${names.length > 5 ? ' ...' : ''}`;

/** The findings of this measurement against the last one and the baseline (either may be missing). */
export function lostTests(current: GateRun, previous?: GateRun, baseline?: GateRun): LostTestsFinding[] {
  const now = new Map(current.tests.map((t) => [t.name, t.status]));
  const passedBefore = (t: TestOutcome): boolean => t.status === 'passed';
  // Tests that ran in the last measurement (any outcome), and those that passed in the baseline.
  const before = new Map<string, TestOutcome>();
  for (const t of baseline?.tests.filter(passedBefore) ?? []) before.set(t.name, t);
  for (const t of previous?.tests ?? []) if (!before.has(t.name)) before.set(t.name, t);
  const findings: LostTestsFinding[] = [];
  const gone = [...before.keys()].filter((name) => !now.has(name));
  if (gone.length) {
    // A new name beside a lost one is most often a rename: worth saying, since it keeps a requirement "named".
    const added = current.tests.filter((t) => !before.has(t.name)).length;
    findings.push({
      kind: 'tests_removed',
      message: `${gone.length} test(s) that ran before no longer run${added ? ` (removed or renamed: ${added} new name(s) appeared)` : ''}: ${listed(gone)}`,
    });
  }
  const skipped = [...before.values()].filter((t) => passedBefore(t) && now.get(t.name) === 'skipped').map((t) => t.name);
  if (skipped.length) {
    findings.push({
      kind: 'test_skipped',
      message: `${skipped.length} test(s) that passed before are skipped now: ${listed(skipped)}`,
    });
  }
  const emptied = assertionsDropped(current, [...(baseline?.tests.filter(passedBefore) ?? []), ...(previous?.tests ?? [])]);
  if (emptied.length) {
    findings.push({
      kind: 'assertions_dropped',
      message: `${emptied.length} test(s) that made assertions before pass making none now: ${listed(emptied)}`,
    });
  }
  return findings;
}

/** The tests that pass now with no assertion, where an earlier run of them counted some. */
function assertionsDropped(current: GateRun, earlier: TestOutcome[]): string[] {
  const most = new Map<string, number>();
  for (const t of earlier) if (t.assertions) most.set(t.name, Math.max(most.get(t.name) ?? 0, t.assertions));
  return current.tests
    .filter((t) => t.status === 'passed' && t.assertions === 0 && most.has(t.name))
    .map((t) => `${t.name} (${String(most.get(t.name))} before)`);
}
