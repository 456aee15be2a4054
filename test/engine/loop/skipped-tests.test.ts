// Tests switched off from inside their bodies, found by the pattern where it is plain and by the
// JUnit results where it is disguised: either way the cycle is not counted and is rolled back.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProjectLoop } from '../../../electron/engine/loop/project-loop.ts';
import { readHistory } from '../../../electron/store/history.ts';
import { agentPath, demoAgent, scriptedAgent, TempDirs } from '../../helpers/project.ts';

const temp = new TempDirs();
beforeAll(() => {
  process.env.GOLDLOOP_DEMO_PACE_MS = '0';
});
afterAll(() => temp.cleanup());

describe('a test skipped from inside its body', () => {
  it("is refused when it is node:test's plain t.skip(), though the test was failing anyway", async () => {
    const dir = await temp.demo();
    const before = await readFile(join(dir, 'test/textkit.test.js'), 'utf8');
    const agent = scriptedAgent(agentPath('skip-in-body.mjs'));
    await new ProjectLoop({ projectDir: dir, agent, overrides: { breakMs: 0, maxIterations: 1 } }).run();

    const last = (await readHistory(dir)).at(-1)!;
    expect(last.outcome).toBe('tampered');
    expect(last.tamper).toEqual([
      expect.objectContaining({ kind: 'skip_added', message: 'the agent added a node:test t.skip()/t.todo() (1 line(s))' }),
    ]);
    expect(await readFile(join(dir, 'test/textkit.test.js'), 'utf8')).toBe(before);
  });

  it('is refused from the results when no pattern can see it: a test that passed before is skipped now', async () => {
    const dir = await temp.demo();
    // The honest agent makes REQ-001 pass; a new run measures that as its baseline.
    await new ProjectLoop({ projectDir: dir, agent: demoAgent(), overrides: { breakMs: 0, maxIterations: 1 } }).run();
    const agent = scriptedAgent(agentPath('skip-in-body.mjs'), ['disguised']);
    await new ProjectLoop({ projectDir: dir, agent, overrides: { breakMs: 0, maxIterations: 2 } }).run();

    const last = (await readHistory(dir)).at(-1)!;
    expect(last.outcome).toBe('tampered');
    expect(last.tamper).toEqual([
      { kind: 'test_skipped', message: '1 test(s) that passed before are skipped now: REQ-001 slugify turns a title into a URL slug' },
    ]);
    expect(await readFile(join(dir, 'test/textkit.test.js'), 'utf8')).not.toContain("t['sk' + 'ip']");
  });
});
