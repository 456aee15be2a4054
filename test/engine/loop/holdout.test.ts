// Held-out acceptance tests on the demo: the user's tests in a folder outside the project, run at
// every gold candidate. The honest agent passes them; an agent that hard-codes the answers to the
// visible tests passes the mutation gate too, and only the held-out tests refuse it gold.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProjectLoop } from '../../../electron/engine/loop/project-loop.ts';
import type { ChecklistItem } from '../../../electron/engine/gates/types.ts';
import { loadKb, saveKb } from '../../../electron/store/kb/kb-file.ts';
import { HoldoutGateSchema } from '../../../electron/store/kb/schema.ts';
import { readHistory } from '../../../electron/store/history.ts';
import { loadRunState } from '../../../electron/store/run-state.ts';
import { commitAll } from '../../../electron/platform/git.ts';
import { agentPath, demoAgent, scriptedAgent, TempDirs } from '../../helpers/project.ts';
import type { AgentRunner } from '../../../electron/engine/agents/runner.ts';

const temp = new TempDirs();
beforeAll(() => {
  process.env.GOLDLOOP_DEMO_PACE_MS = '0';
});
afterAll(() => temp.cleanup());

/** A watchdog, not a measure: Stryker runs the tests once per mutant, which a loaded machine slows down. */
const STRYKER_WATCHDOG = 600_000;

/** The user's acceptance tests: other inputs than the demo's own tests, one requirement each. */
const ACCEPTANCE = `import test from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const t = await import(pathToFileURL(join(process.cwd(), 'src/textkit.js')).href);

test('REQ-001 slugify: another title', () => assert.equal(t.slugify('Café au Lait!'), 'cafe-au-lait'));
test('REQ-002 wordCount: another sentence', () => assert.equal(t.wordCount('a  b c'), 3));
test('REQ-003 truncate: another cut', () => assert.equal(t.truncate('hello wide world', 11), 'hello…'));
test('REQ-004 capitalizeWords: other words', () => assert.equal(t.capitalizeWords('quiet REST api'), 'Quiet Rest Api'));
test('REQ-005 reverseWords: three words', () => assert.equal(t.reverseWords('one two three'), 'three two one'));
test('REQ-006 isPalindrome: another sentence', () => {
  assert.equal(t.isPalindrome('Never odd or even'), true);
  assert.equal(t.isPalindrome('abc'), false);
});
`;

/**
 * The demo with held-out tests in a folder beside it when `holdout`; with its mutation gate when
 * `mutation` (a Stryker run per gold candidate: only where the test is about that gate).
 */
async function demo(holdout: boolean, mutation = false): Promise<string> {
  const dir = await temp.demo({ mutation });
  if (!holdout) return dir;
  const tests = await temp.make('goldloop-holdout-');
  await mkdir(tests, { recursive: true });
  await writeFile(join(tests, 'acceptance.test.mjs'), ACCEPTANCE);
  const kb = await loadKb(dir);
  kb.gates.holdout = HoldoutGateSchema.parse({
    dir: tests,
    command: [
      process.execPath,
      '--test',
      '--test-reporter=junit',
      '--test-reporter-destination={reports}/junit.xml',
      '{holdout}/acceptance.test.mjs',
    ],
  });
  await saveKb(dir, kb);
  await commitAll(dir, 'held-out acceptance tests outside the project');
  return dir;
}

async function drive(dir: string, agent: AgentRunner): Promise<{ state: string; gold: boolean; line: ChecklistItem }> {
  const end = await new ProjectLoop({ projectDir: dir, agent, overrides: { breakMs: 0, maxIterations: 6 } }).run();
  const history = await readHistory(dir);
  const line = (await loadRunState(dir))!.last_gates!.checklist.find((c) => c.id === 'holdout')!;
  return { state: end.state, gold: history.some((h) => h.gold), line };
}

describe('held-out acceptance tests', () => {
  it(
    'pass for the honest agent, which reaches gold with them measured',
    async () => {
      const dir = await demo(true);
      const { state, line } = await drive(dir, demoAgent());
      expect(state).toBe('complete');
      expect(line).toMatchObject({ passed: true, value: '6/6', threshold: 'all' });
      expect(line.evidence.detail).toBe('all 6 held-out acceptance tests pass');
      // Their report is kept outside the project, where the agent cannot read it.
      expect(line.evidence.report!.startsWith(dir)).toBe(false);
    },
    STRYKER_WATCHDOG,
  );

  it(
    'refuse gold to hard-coded answers, which the mutation gate lets through, and name only the requirements',
    async () => {
      const hardCode = (): AgentRunner => scriptedAgent(agentPath('hard-code.mjs'));
      // Without held-out tests the hard-coded answers kill enough mutants: gold.
      const through = await drive(await demo(false, true), hardCode());
      expect(through).toMatchObject({ state: 'complete', gold: true });

      const refused = await drive(await demo(true), hardCode());
      expect(refused.gold).toBe(false);
      expect(refused.state).not.toBe('complete');
      expect(refused.line).toMatchObject({ passed: false, value: '0/6' });
      expect(refused.line.evidence.detail).toBe(
        'held-out acceptance tests fail for REQ-001, REQ-002, REQ-003, REQ-004, REQ-005, REQ-006: make these requirements work for every input, not only for those of the visible tests',
      );
    },
    STRYKER_WATCHDOG,
  );
});
