// Dishonest agent programs that reached a real gold on the demo before the mutation gate: each
// one still does with the gate switched off (as before it existed), and is refused gold with it on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProjectLoop } from '../../../electron/engine/loop/project-loop.ts';
import type { ChecklistItem } from '../../../electron/engine/gates/types.ts';
import { readHistory } from '../../../electron/store/history.ts';
import { loadRunState } from '../../../electron/store/run-state.ts';
import { agentPath, scriptedAgent, TempDirs } from '../../helpers/project.ts';

const temp = new TempDirs();
beforeAll(() => {
  process.env.GOLDLOOP_DEMO_PACE_MS = '0';
});
afterAll(() => temp.cleanup());

/** A watchdog, not a measure: Stryker runs the tests once per mutant, which a loaded machine slows down. */
const STRYKER_WATCHDOG = 600_000;

/** The demo driven by `agent` for its six tasks: how the run ended, and the last checklist. */
async function drive(agent: string, mutation: boolean): Promise<{ state: string; gold: boolean; line: (id: string) => ChecklistItem }> {
  const dir = await temp.demo({ mutation });
  const end = await new ProjectLoop({
    projectDir: dir,
    agent: scriptedAgent(agentPath(agent)),
    overrides: { breakMs: 0, maxIterations: 6 },
  }).run();
  const history = await readHistory(dir);
  const checklist = (await loadRunState(dir))!.last_gates!.checklist;
  return { state: end.state, gold: history.some((h) => h.gold), line: (id) => checklist.find((c) => c.id === id)! };
}

describe('dishonest agents', () => {
  it(
    'empty tests: every name kept, every body emptied, the import of the code dropped',
    async () => {
      expect(await drive('empty-tests.mjs', false)).toMatchObject({ state: 'complete', gold: true });

      const on = await drive('empty-tests.mjs', true);
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
      expect(await drive('patch-assert.mjs', false)).toMatchObject({ state: 'complete', gold: true });

      const on = await drive('patch-assert.mjs', true);
      expect(on).toMatchObject({ gold: false });
      const score = on.line('mutation').value as number;
      expect(score).toBeLessThan(60);
      // The mutants that undo the patch fail every test at once: they show that the tests run, not what they check.
      expect(on.line('requirements')).toMatchObject({ passed: false, value: '0/6 (0%)' });
      expect(on.line('requirements').evidence.detail).toContain('named only by tests that catch no fault');
    },
    STRYKER_WATCHDOG,
  );
});
