/**
 * The `goldloop` entry: the program with its help text, one module per command under commands/,
 * and main(), which turns what a command throws into an exit code.
 */
import { Command, CommanderError } from 'commander';
import { clip, terminalSafe } from '../platform/terminal-text.ts';
import { guardOutput } from './closed-output.ts';
import { addDemoCommand } from './commands/demo.ts';
import { addGatesCommand } from './commands/gates.ts';
import { addInitCommand } from './commands/init.ts';
import { addReportCommand } from './commands/report.ts';
import { addRunCommand } from './commands/run.ts';
import { addServeCommand } from './commands/serve.ts';
import { addStatusCommand } from './commands/status.ts';
import { EXIT } from './exit.ts';

/** A message quotes files and tools; a huge one (thousands of KB problems) is cut to its head and tail. */
const MESSAGE_MAX = 20_000;

/**
 * The errors that tell the user something about their project or machine: printed as a message,
 * never a stack trace. Known by name, so this file needs none of the (heavy) modules that throw
 * them: each command loads its own code only when it runs, and `goldloop --help` loads none.
 */
const USER_ERRORS = new Set(['KbError', 'InitError', 'DemoError', 'LockedError', 'NoReportError', 'PlanError', 'FileWriteError']);

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('goldloop')
    .description(
      'Keeps an AI coding agent working on a project, cycle after cycle, until every line of the completion checklist is measured green by Goldloop itself.',
    )
    .version('0.1.0')
    .showHelpAfterError('(run with --help for usage)')
    // Usage errors come back as exceptions (exit code 2), from every subcommand too.
    .exitOverride()
    .addHelpText(
      'after',
      `
Exit codes: 0 gold (or success), 1 error, 2 usage, 3 paused (repeated errors, max iterations or the run's budget),
4 gates measured and not gold, 130 stopped with Ctrl-C.

Start here: goldloop demo`,
    );
  // The order here is the order `goldloop --help` lists them in.
  addInitCommand(program);
  addRunCommand(program);
  addStatusCommand(program);
  addGatesCommand(program);
  addDemoCommand(program);
  addServeCommand(program);
  addReportCommand(program);
  return program;
}

/** The CLI entry: returns the exit code instead of exiting, so tests can call it. */
export async function main(argv: string[]): Promise<number> {
  // `goldloop status | head -1`: a reader that goes away ends the output, not the process with a stack trace.
  guardOutput();
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? 0 : EXIT.usage;
    }
    const name = error instanceof Error ? error.name : '';
    if (USER_ERRORS.has(name) || name === 'UsageError') {
      process.stderr.write(`goldloop: ${terminalSafe(clip((error as Error).message, MESSAGE_MAX))}\n`);
      return name === 'UsageError' ? EXIT.usage : EXIT.error;
    }
    process.stderr.write(`goldloop: ${terminalSafe(clip((error as Error).stack ?? String(error), MESSAGE_MAX))}\n`);
    return EXIT.error;
  }
}
