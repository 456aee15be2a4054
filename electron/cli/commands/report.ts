import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import type { ReportKind } from '../../engine/reports/due.ts';

const KINDS: ReportKind[] = ['progress', 'status', 'final'];

/** Thrown for "nothing to show"; main() turns it into exit code 1 with the message. */
export class NoReportError extends Error {
  override name = 'NoReportError';
}

/**
 * `goldloop report [dir] [--kind progress|status|final] [--no-write]`: with --kind, renders that
 * report now from the project's current state, prints it and writes it to `.goldloop/reports/`;
 * without, prints the latest report written. The Markdown goes to stdout, where it was written
 * to stderr, so `goldloop report > file.md` keeps a clean file.
 */
export function addReportCommand(program: Command): void {
  program
    .command('report')
    .description(
      "print a report: the latest one written, or (with --kind) a progress, status or final report rendered now from the project's current state",
    )
    .argument('[dir]', 'project folder', '.')
    .addOption(
      new Option(
        '--kind <kind>',
        'render this report now: progress (the 2-hourly summary), status (progress plus metrics over time, blockers, errors, agent usage and the checklist) or final (the whole run and production readiness)',
      ).choices(KINDS),
    )
    .option('--no-write', 'with --kind: print only, do not write the report into .goldloop/reports/')
    .action(async (dir: string, opts: { kind?: ReportKind; write: boolean }) => {
      const [{ renderReportNow, writeReportNow }, { listReports, reportsDir }, { terminalSafe }] = await Promise.all([
        import('../../engine/reports/now.ts'),
        import('../../engine/reports/write.ts'),
        import('../../platform/terminal-text.ts'),
      ]);
      /** A report quotes the KB and the agent: its text reaches the terminal as text only (terminal-text.ts). */
      const printReport = (text: string): void => {
        process.stdout.write(terminalSafe(text.endsWith('\n') ? text : `${text}\n`));
      };
      const projectDir = resolve(dir);
      if (opts.kind) {
        if (opts.write) {
          const { text, path } = await writeReportNow(projectDir, opts.kind);
          printReport(text);
          process.stderr.write(`written: ${path}\n`);
        } else {
          const text = await renderReportNow(projectDir, opts.kind);
          printReport(text);
        }
        return;
      }
      const latest = (await listReports(projectDir)).at(-1);
      if (!latest)
        throw new NoReportError(
          `no report in ${reportsDir(projectDir)} yet: reports are written while \`goldloop run\` works (progress every 2 h, status every 6 h, final on gold); \`goldloop report ${dir} --kind status\` renders one now`,
        );
      const text = await readFile(latest.path, 'utf8');
      printReport(text);
      process.stderr.write(`${latest.kind} report of ${latest.at}: ${latest.path}\n`);
    });
}
