/**
 * A session belongs to the agent that opened it: after a cycle with one CLI (`--agent
 * claude-code`), a cycle of the same task with another (`--agent codex`) starts a session of its
 * own instead of asking Codex to resume Claude's session id.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cliProblem, setUpCli } from '../agent-servers/clis.ts';
import { TempDirs } from '../helpers/temp.ts';
import { cycleLog, demoProject, fixSlugify, history, runGoldloop, SLUGIFY, source } from './harness.ts';

const temp = new TempDirs();
afterAll(() => temp.cleanup());
const problem = cliProblem('claude-code') ?? cliProblem('codex');
if (problem) process.stdout.write(`agents-e2e/switch-agent.test.ts: skipping: ${problem}\n`);

describe.skipIf(problem)('changing the agent between cycles', () => {
  it("never resumes one CLI's session with another", async () => {
    const claude = await setUpCli('claude-code');
    const codex = await setUpCli('codex');
    try {
      const dir = await demoProject(temp);
      claude.server.script({ text: 'Looking at the task: no change yet.' });
      await runGoldloop(claude, dir);
      codex.server.script(...fixSlugify());
      const run = await runGoldloop(codex, dir);
      const log = await cycleLog(dir, 2);
      expect(log).not.toMatch(/exec resume|no rollout found|thread.*not found/i);
      expect(await source(dir), `${run.stdout}\n${log}`).toContain(SLUGIFY);
      expect((await history(dir)).map((c) => c.outcome)).toEqual(['not_verified', 'task_done']);
    } finally {
      await Promise.all([claude.close(), codex.close()]);
    }
  }, 600_000);
});
