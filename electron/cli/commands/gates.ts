/** `goldloop gates`: every gate measured once, now, outside any run; the exit code says whether it is gold. */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { goldWords, waivedLines } from '../../contract/status.ts';
import { EXIT } from '../exit.ts';

export function addGatesCommand(program: Command): void {
  program
    .command('gates')
    .description('run every gate of a project once, now, and print the checklist (exit 0 only when gold)')
    .argument('[dir]', 'project folder', '.')
    .option('--json', 'print { gold, checklist } as one JSON object')
    .action(async (dir: string, opts: { json?: boolean }) => {
      const [{ runGates }, { projectStatus }, { loadKb }, { jsonForTerminal, terminalSafeDeep }, { DISPLAY_MAX, renderStatus, styleFor }] =
        await Promise.all([
          import('../../engine/gates/phase.ts'),
          import('../../engine/project/status.ts'),
          import('../../store/kb/kb-file.ts'),
          import('../../platform/terminal-text.ts'),
          import('../render.ts'),
        ]);
      const projectDir = resolve(dir);
      const kb = await loadKb(projectDir);
      // On stderr, so `--json` stays one object: the gate phases of other projects may hold every slot.
      const waiting = (message: string | undefined): void => void (message && process.stderr.write(`${message}\n`));
      const run = await runGates({ projectDir, kb, label: 'manual', at: Date.now(), waiting });
      if (opts.json) {
        process.stdout.write(
          `${jsonForTerminal({ gold: run.gold, waived: waivedLines(run.checklist), checklist: run.checklist, measured_at: run.at, duration_ms: run.duration_ms })}\n`,
        );
      } else {
        const status = {
          ...(await projectStatus(projectDir)),
          checklist: run.checklist,
          gold: run.gold,
          waived: waivedLines(run.checklist),
          measured_at: run.at,
        };
        const lines = renderStatus(terminalSafeDeep(status, DISPLAY_MAX), styleFor(process.stdout), { evidence: true });
        const from = lines.findIndex((l) => l.includes('Completion checklist'));
        process.stdout.write(
          `${lines.slice(from).join('\n')}\n\n${run.gold ? `GOLD — ${goldWords(run.checklist)}` : 'not gold'} (${run.duration_ms} ms)\n`,
        );
      }
      process.exitCode = run.gold ? EXIT.gold : EXIT.notGold;
    });
}
