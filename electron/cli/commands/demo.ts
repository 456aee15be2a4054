/** `goldloop demo`: a sample project driven to gold by the bundled scripted agent; no API key, no network. */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { exitFor } from '../exit.ts';

export function addDemoCommand(program: Command): void {
  program
    .command('demo')
    .description(
      'create a small sample project in a temp folder (failing tests, one requirement per test, a four-phase plan) and run the loop on it with the bundled scripted agent until gold; no API key, no network',
    )
    .option(
      '--dir <path>',
      'create the demo project here instead of a new temp folder (a new or empty folder: the demo writes its own files)',
    )
    .option(
      '--pace <ms>',
      "delay between the demo agent's output lines, to watch it work",
      (v) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`"${v}" is not a whole number of milliseconds`);
        return n;
      },
      150,
    )
    .option('--plain', 'one line per event instead of the redrawn view')
    .action(async (opts: { dir?: string; pace: number; plain?: boolean }) => {
      const [{ adapterFor }, { adapterRunner }, { createDemoProject, demoSecurityNote, DEMO_AGENT }, { reportsDir }, { runForeground }] =
        await Promise.all([
          import('../../engine/agents/registry.ts'),
          import('../../engine/agents/runner.ts'),
          import('../../engine/demo/project.ts'),
          import('../../engine/reports/final.ts'),
          import('../foreground.ts'),
        ]);
      const dir = opts.dir ? resolve(opts.dir) : await mkdtemp(join(tmpdir(), 'goldloop-demo-'));
      await createDemoProject(dir);
      const note = demoSecurityNote();
      if (note) process.stdout.write(`Note: ${note}.\n`);
      process.env.GOLDLOOP_DEMO_PACE_MS = String(opts.pace);
      const started = Date.now();
      const agent = adapterRunner(adapterFor('command', [process.execPath, DEMO_AGENT]));
      const { end } = await runForeground(dir, agent, { breakMs: 500, cycleTimeoutMs: 120_000 }, { git: true, plain: opts.plain });
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      process.stdout.write(
        `\n${end.state === 'complete' ? `Gold in ${seconds} s.` : `The demo ended ${end.state}${end.message ? `: ${end.message}` : ''}.`}\n` +
          `  project:  ${dir}\n  reports:  ${reportsDir(dir)}\n  history:  ${join(dir, '.goldloop', 'history.jsonl')}\n` +
          `  status:   goldloop status ${dir}\n`,
      );
      process.exitCode = exitFor(end);
    });
}
