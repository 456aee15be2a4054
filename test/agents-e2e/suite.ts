/**
 * What every real agent CLI must do under `goldloop run`, one test file per CLI (so the four run
 * side by side): each test gets a fresh demo project and a scripted model server of its own.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cliProblem, setUpCli, type CliKind, type CliSetup } from '../agent-servers/clis.ts';
import { TempDirs } from '../helpers/temp.ts';
import { cycleLog, demoProject, fixSlugify, history, runGoldloop, SLUGIFY, source } from './harness.ts';

/** Generous: four CLIs start side by side on a shared, busy machine. */
const TIMEOUT = 600_000;

/** The CLI with its server, for one test; closed whatever the test's outcome. */
export async function withCli<T>(kind: CliKind, body: (cli: CliSetup) => Promise<T>): Promise<T> {
  const cli = await setUpCli(kind);
  try {
    return await body(cli);
  } finally {
    await cli.close();
  }
}

export function realCliSuite(kind: CliKind, name: string): void {
  const temp = new TempDirs();
  afterAll(() => temp.cleanup());
  const problem = cliProblem(kind);
  if (problem) process.stdout.write(`agents-e2e/${kind}.test.ts: skipping: ${problem}\n`);

  describe.skipIf(problem)(`${name}, the real CLI, under goldloop run`, () => {
    it(
      'reads the source, edits it with its own edit tool, and the cycle ends with the task done',
      () =>
        withCli(kind, async (cli) => {
          const dir = await demoProject(temp);
          cli.server.script(...fixSlugify());
          const run = await runGoldloop(cli, dir);
          const log = await cycleLog(dir);
          expect(await source(dir), `${run.stdout}\n${run.stderr}\n${log}`).toContain(SLUGIFY);
          const [cycle] = await history(dir);
          expect(cycle, log).toMatchObject({ outcome: 'task_done', work: 'TASK_001' });
          // Every reply of the script was taken, by the agent's own turns.
          expect(cli.server.left).toBe(0);
        }),
      TIMEOUT,
    );

    it(
      'started from another folder, works in the project (PWD is the project), outside the sandbox too',
      () =>
        withCli(kind, async (cli) => {
          // Bubblewrap sets PWD to the folder it starts the agent in; without the sandbox only Goldloop does.
          const dir = await demoProject(temp, { sandbox: 'off' });
          const elsewhere = await demoProject(temp);
          cli.server.script(...fixSlugify());
          const run = await runGoldloop(cli, dir, { cwd: elsewhere, env: { PWD: elsewhere } });
          expect(await source(dir), `${run.stdout}\n${await cycleLog(dir)}`).toContain(SLUGIFY);
          expect(await source(elsewhere)).not.toContain(SLUGIFY);
        }),
      TIMEOUT,
    );

    it(
      "resumes the task's session in its second cycle, and history.jsonl has each cycle's own tokens, as the server sent them",
      () =>
        withCli(kind, async (cli) => {
          const dir = await demoProject(temp);
          cli.server.script({ text: 'Looking at the task: no change yet.', usage: { input: 1000, cached: 100, output: 10 } });
          await runGoldloop(cli, dir);
          const firstTurns = cli.server.turnRequests.length;
          cli.server.script(...fixSlugify());
          const run = await runGoldloop(cli, dir);
          const log = await cycleLog(dir, 2);
          const cycles = await history(dir);
          expect(
            cycles.map((c) => [c.work, c.outcome]),
            `${run.stdout}\n${log}`,
          ).toEqual([
            ['TASK_001', 'not_verified'],
            ['TASK_001', 'task_done'],
          ]);
          // Resumed: the second cycle's first request carries the first cycle's reply.
          expect(cli.server.turnRequests[firstTurns]!.text).toContain('Looking at the task: no change yet.');
          const sent = (from: number, to: number) => {
            const turns = cli.server.turnRequests.slice(from, to);
            return {
              input_tokens: turns.reduce((n, t) => n + t.usage!.input, 0),
              output_tokens: turns.reduce((n, t) => n + t.usage!.output, 0),
            };
          };
          expect(cycles[0]!.agent.usage).toMatchObject(sent(0, firstTurns));
          expect(cycles[1]!.agent.usage, log).toMatchObject(sent(firstTurns, cli.server.turnRequests.length));
        }),
      TIMEOUT,
    );
  });
}
