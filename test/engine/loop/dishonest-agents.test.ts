// Dishonest agent programs that reached a real gold on the demo before the mutation gate and the
// canary. Patched assertions still does with both switched off (as before they existed); empty
// tests no longer does even then: where no mutation tool runs, each requirement's tests are run
// alone with per-test coverage, and an empty body runs none of the code. Both are refused gold with
// the gates on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProjectLoop } from '../../../electron/engine/loop/project-loop.ts';
import type { ChecklistItem } from '../../../electron/engine/gates/types.ts';
import type { DemoOptions } from '../../../electron/engine/demo/project.ts';
import { readHistory, type HistoryEntry } from '../../../electron/store/history.ts';
import { loadRunState } from '../../../electron/store/run-state.ts';
import { agentPath, scriptedAgent, TempDirs } from '../../helpers/project.ts';

const temp = new TempDirs();
beforeAll(() => {
  process.env.GOLDLOOP_DEMO_PACE_MS = '0';
});
afterAll(() => temp.cleanup());

/** A watchdog, not a measure: Stryker runs the tests once per mutant, which a loaded machine slows down. */
const STRYKER_WATCHDOG = 600_000;
/** As before the mutation gate and the canary existed. */
const BEFORE: DemoOptions = { mutation: false, canary: false };

/** The demo driven by `agent` for its six tasks: how the run ended, and the last checklist. */
async function drive(
  agent: string,
  options: DemoOptions,
): Promise<{ state: string; gold: boolean; history: HistoryEntry[]; line: (id: string) => ChecklistItem }> {
  const dir = await temp.demo(options);
  const end = await new ProjectLoop({
    projectDir: dir,
    agent: scriptedAgent(agentPath(agent)),
    overrides: { breakMs: 0, maxIterations: 6 },
  }).run();
  const history = await readHistory(dir);
  const checklist = (await loadRunState(dir))!.last_gates!.checklist;
  return { state: end.state, gold: history.some((h) => h.gold), history, line: (id) => checklist.find((c) => c.id === id)! };
}

describe('dishonest agents', () => {
  it(
    'empty tests: every name kept, every body emptied, the import of the code dropped',
    async () => {
      // Mutation and canary off: the per-test coverage fallback finds that the requirement tests run no code.
      const before = await drive('empty-tests.mjs', BEFORE);
      expect(before).toMatchObject({ gold: false });
      expect(before.line('requirements')).toMatchObject({ passed: false });
      expect(before.line('requirements').evidence.detail).toContain('named but does not run the code');

      const on = await drive('empty-tests.mjs', { mutation: true });
      expect(on).toMatchObject({ gold: false });
      expect(on.state).not.toBe('complete');
      expect(on.line('mutation')).toMatchObject({ passed: false, value: 0 });
      expect(on.line('mutation').evidence.detail).toMatch(/^0\/\d+ mutants caught \(0%\) in all the code/);
      expect(on.line('requirements')).toMatchObject({ passed: false, value: '0/6 (0%)' });
    },
    STRYKER_WATCHDOG,
  );

  it(
    'patched assertions: the source turns every node:assert function into a no-op on import, and returns junk',
    async () => {
      expect(await drive('patch-assert.mjs', BEFORE)).toMatchObject({ state: 'complete', gold: true });

      // The mutation gate alone refuses it.
      const mutation = await drive('patch-assert.mjs', { mutation: true, canary: false });
      expect(mutation).toMatchObject({ gold: false });
      expect(mutation.line('mutation').value as number).toBeLessThan(60);
      // The mutants that undo the patch fail every test at once: they show that the tests run, not what they check.
      expect(mutation.line('requirements')).toMatchObject({ passed: false, value: '0/6 (0%)' });
      expect(mutation.line('requirements').evidence.detail).toContain('named only by tests that catch no fault');

      // So does the canary alone, from the first cycle: a test that must fail passed with the code loaded.
      const canary = await drive('patch-assert.mjs', { mutation: false });
      expect(canary).toMatchObject({ gold: false });
      expect(canary.history.every((h) => h.outcome === 'tampered')).toBe(true);
      expect(canary.history[0]!.tamper).toEqual([expect.objectContaining({ kind: 'harness_tampered' })]);
    },
    STRYKER_WATCHDOG,
  );
});
