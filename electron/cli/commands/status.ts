/** `goldloop status`: where a project stands, as the terminal view or as one JSON object. */
import type { Command } from 'commander';

export function addStatusCommand(program: Command): void {
  program
    .command('status')
    .description('print state, iteration, progress per phase, the checklist and the task queue')
    .argument('[dir]', 'project folder', '.')
    .option('--json', 'print one JSON object (state, iteration, gold, checklist, phases, tasks, ...)')
    .action(async (dir: string, opts: { json?: boolean }) => {
      const [{ projectStatus }, { jsonForTerminal, terminalSafeDeep }, { DISPLAY_MAX, renderStatus, styleFor }] = await Promise.all([
        import('../../engine/project/status.ts'),
        import('../../platform/terminal-text.ts'),
        import('../render.ts'),
      ]);
      const status = await projectStatus(dir);
      // The KB's and the agent's words reach the terminal only as text (terminal-text.ts).
      if (opts.json) process.stdout.write(`${jsonForTerminal(status)}\n`);
      else
        process.stdout.write(
          `${renderStatus(terminalSafeDeep(status, DISPLAY_MAX), styleFor(process.stdout), { tasks: true }).join('\n')}\n`,
        );
    });
}
