// The demo project with its mutation gate on, as `goldloop demo` runs it: the honest agent's code
// and the demo's tests reach gold with the "Tests catch faults" line measured by the real StrykerJS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProjectLoop } from '../../../electron/engine/loop/project-loop.ts';
import { readHistory } from '../../../electron/store/history.ts';
import { loadRunState } from '../../../electron/store/run-state.ts';
import { demoAgent, TempDirs } from '../../helpers/project.ts';

const temp = new TempDirs();
/** A watchdog, not a measure: Stryker runs the tests once per mutant, which a loaded machine slows down. */
const STRYKER_WATCHDOG = 600_000;
beforeAll(() => {
  process.env.GOLDLOOP_DEMO_PACE_MS = '0';
});
afterAll(() => temp.cleanup());

describe('the demo with its mutation gate', () => {
  it(
    "reaches gold with every line measured: the honest agent's code fails the demo's tests when mutated",
    async () => {
      const dir = await temp.demo({ mutation: true });
      const end = await new ProjectLoop({ projectDir: dir, agent: demoAgent(), overrides: { breakMs: 0 } }).run();

      expect(end.state).toBe('complete');
      const history = await readHistory(dir);
      expect(history.every((h) => h.outcome === 'task_done')).toBe(true);
      const checklist = (await loadRunState(dir))!.last_gates!.checklist;
      const mutation = checklist.find((c) => c.id === 'mutation')!;
      expect(mutation.disabled).toBeUndefined();
      expect(mutation.passed, mutation.evidence.detail).toBe(true);
      expect(mutation.value).toBeGreaterThanOrEqual(60);
      expect(mutation.evidence.detail).toContain('in all the code (every other line passes: a gold candidate)');
      expect(mutation.evidence.report).toMatch(/\.goldloop[/\\]evidence[/\\].+[/\\]mutation\.json$/);
      expect(checklist.find((c) => c.id === 'requirements')!.evidence.detail).toBe(
        'every requirement is named by a passing test that kills a mutant of the code',
      );
      // Off in the demo: the held-out tests (optional); every other line is measured, the security
      // scan by Goldloop's own ESLint with eslint-plugin-security.
      expect(checklist.filter((c) => c.disabled).map((c) => c.id)).toEqual(['holdout']);
      expect(checklist.find((c) => c.id === 'security')).toMatchObject({ passed: true, value: 0 });
    },
    STRYKER_WATCHDOG,
  );
});
