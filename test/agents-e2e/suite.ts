/**
 * What every real agent CLI must do under `goldloop run`, one test file per CLI (so the four run
 * side by side): each test gets a fresh demo project and a scripted model server of its own.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { cliProblem, setUpCli, type CliKind, type CliSetup } from '../agent-servers/clis.ts';
import type { Reply } from '../agent-servers/script.ts';
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

/**
 * A permission mode that keeps the CLI from editing: the preflight refuses it before any cycle.
 * (What the CLI prints when a refusal comes from elsewhere, its own settings, is read by each
 * adapter's permission event, tested on recorded streams in test/engine/agents/.)
 */
export interface Refusal {
  mode: string;
}

/** A limit the vendor's server answers with, and when Goldloop must wait until. */
export interface LimitCase {
  what: string;
  /** The server's replies, for a limit that resets at `resetAt` (epoch ms, whole seconds). */
  replies: (resetAt: number) => Reply[];
  /** More `goldloop run` flags (a short no-output watchdog, for a CLI that waits silently). */
  args?: string[];
  /** The window the wait's end must fall in, from the reset and the time the wait was seen. */
  window: (resetAt: number, seenAt: number) => [number, number];
}

export interface CliCases {
  /** The line its edit shows as in the live view, the log and history.jsonl (`Edit src/textkit.js`). */
  editLine: string;
  refusal?: Refusal;
  limits: LimitCase[];
}

export function realCliSuite(kind: CliKind, name: string, cases: CliCases): void {
  const { refusal } = cases;
  const temp = new TempDirs();
  afterAll(() => temp.cleanup());
  const problem = cliProblem(kind);
  if (problem) process.stdout.write(`agents-e2e/${kind}.test.ts: skipping: ${problem}\n`);

  describe.skipIf(problem)(`${name}, the real CLI, under goldloop run`, () => {
    it(
      'with no permission mode set, reads the source, edits it with its own edit tool, and the cycle ends with the task done',
      () =>
        withCli(kind, async (cli) => {
          const dir = await demoProject(temp);
          cli.server.script(...fixSlugify());
          const run = await runGoldloop(cli, dir);
          const log = await cycleLog(dir);
          expect(await source(dir), `${run.stdout}\n${run.stderr}\n${log}`).toContain(SLUGIFY);
          const [cycle] = await history(dir);
          expect(cycle, log).toMatchObject({ outcome: 'task_done', work: 'TASK_001' });
          // What the user sees of its work: readable lines, never the CLI's JSON.
          expect(log.split('\n')).toContain(cases.editLine);
          expect(log).toContain('slugify is implemented.');
          expect(log).not.toMatch(/^\{/m);
          expect(run.stdout).toContain(`│ ${cases.editLine}`);
          expect(run.stdout).not.toMatch(/│ \{/);
          expect(cycle!.agent).toMatchObject({ files_changed: ['src/textkit.js'] });
          expect(cycle!.agent.tools).toContain(cases.editLine);
          // Every reply of the script was taken, by the agent's own turns.
          expect(cli.server.left).toBe(0);
        }),
      TIMEOUT,
    );

    it.skipIf(!refusal)(
      `is refused before any cycle when its permission mode keeps it from editing (${refusal?.mode ?? 'none refuses'})`,
      () =>
        withCli(kind, async (cli) => {
          const dir = await demoProject(temp);
          const run = await runGoldloop(cli, dir, { args: ['--permission-mode', refusal!.mode] });
          // The preflight finds it: no cycle, no history line, the setting to change named.
          expect(run.code, run.stderr).toBe(2);
          expect(run.stderr).toContain(`✗ Permission mode: "${refusal!.mode}" does not let`);
          expect(run.stderr).toContain('agent.permission_mode');
          expect(await history(dir)).toEqual([]);
        }),
      TIMEOUT,
    );

    for (const limit of cases.limits) {
      it(
        `${limit.what}: waits for the limit (waiting_limit until its reset), never an error`,
        () =>
          withCli(kind, async (cli) => {
            const dir = await demoProject(temp);
            const resetAt = Math.floor(Date.now() / 1000 + 2 * 3600) * 1000;
            cli.server.script(...limit.replies(resetAt));
            const run = await runGoldloop(cli, dir, { args: limit.args ?? [], until: (s) => s.state !== 'running' && s.state !== 'idle' });
            const seenAt = Date.now();
            const log = await cycleLog(dir);
            expect(run.seen, `${run.stdout}\n${log}`).toMatchObject({ state: 'waiting_limit' });
            const [from, to] = limit.window(resetAt, seenAt);
            const until = Date.parse(run.seen!.until!);
            expect(
              until,
              `until ${run.seen!.until}, window ${new Date(from).toISOString()} … ${new Date(to).toISOString()}`,
            ).toBeGreaterThanOrEqual(from);
            expect(until).toBeLessThanOrEqual(to);
            const [cycle] = await history(dir);
            expect(cycle).toMatchObject({ outcome: 'no_progress', verification: expect.stringMatching(/^usage limit: /) });
          }),
        TIMEOUT,
      );
    }

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
      "resumes the task's session in its second cycle, a new task opens a new one, and history.jsonl has each cycle's own tokens, as the server sent them",
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
          // The next task opens a session of its own: nothing of the first task's conversation.
          const before = cli.server.turnRequests.length;
          cli.server.script({ text: 'Starting on wordCount.' });
          await runGoldloop(cli, dir);
          expect((await history(dir)).at(-1)).toMatchObject({ work: 'TASK_002' });
          expect(cli.server.turnRequests[before]!.text).not.toContain('slugify is implemented.');
        }),
      TIMEOUT,
    );
  });
}
