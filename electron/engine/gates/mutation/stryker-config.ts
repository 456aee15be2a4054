/**
 * The StrykerJS config Goldloop writes for one mutation run, into `{reports}` (outside the
 * project, like every report): the project's runner, the files to mutate this run, the JSON report
 * where the gate reads it, Stryker's sandbox in `{reports}` too, and its incremental results: kept
 * in the project's state folder, where the agent cannot edit them, and copied into `{reports}` for
 * the run (the gate sandbox hides the state folder) and back after it.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { StrykerConfig } from '../../../store/kb/schema.ts';

/** Stryker's incremental results, kept between runs in the mutation gate's state folder. */
export const INCREMENTAL_FILE = 'stryker-incremental.json';

/**
 * argv as one command line for the shell Stryker's command runner starts it with (`sh -c` on
 * POSIX, `cmd.exe` on Windows): every argument that is not plain is quoted.
 */
export function shellLine(argv: readonly string[], windows = process.platform === 'win32'): string {
  return argv
    .map((arg) => {
      if (/^[\w@%+=:,./-]+$/.test(arg)) return arg;
      return windows ? `"${arg.replaceAll('"', '""')}"` : `'${arg.replaceAll("'", `'\\''`)}'`;
    })
    .join(' ');
}

export interface StrykerRun {
  /** The fresh `{reports}` folder of this run. */
  reports: string;
  /** Where the JSON report goes (the gate's report path, expanded). */
  reportFile: string;
  /** The globs or files to mutate. */
  mutate: string[];
  /** All the code: every mutant is run again, none reused from the incremental file. */
  full: boolean;
  /** Stryker's incremental results: a copy in `{reports}` of those kept in the project's state folder. */
  incrementalFile: string;
}

/** The config's content: the KB's `options` first, then Goldloop's own keys, which win. */
export function strykerConfig(s: StrykerConfig, run: StrykerRun): Record<string, unknown> {
  const command = s.test_runner === 'command';
  return {
    ...s.options,
    testRunner: s.test_runner,
    ...(command ? { commandRunner: { command: shellLine(s.command ?? []) } } : {}),
    // The command runner needs no plugin; loading every @stryker-mutator package found costs seconds.
    plugins: command ? [] : [`@stryker-mutator/${s.test_runner}-runner`],
    coverageAnalysis: command ? 'off' : 'perTest',
    // Every test that fails on a mutant, not the first: the requirements line reads them all.
    disableBail: true,
    mutate: run.mutate,
    reporters: ['json'],
    jsonReporter: { fileName: run.reportFile },
    tempDirName: join(run.reports, 'stryker-tmp'),
    cleanTempDir: true,
    incremental: true,
    incrementalFile: run.incrementalFile,
    force: run.full,
    ignorePatterns: [...((s.options?.ignorePatterns as string[] | undefined) ?? []), '/.goldloop'],
    // Goldloop holds the score against the KB's threshold; Stryker's own exit code stays 0 for it.
    thresholds: { high: 80, low: 60, break: null },
    allowEmpty: false,
  };
}

/** Writes the config into the run's reports folder, where the command (`stryker run {reports}/stryker.config.json`) reads it. */
export async function writeStrykerConfig(s: StrykerConfig, run: StrykerRun): Promise<void> {
  await writeFile(join(run.reports, 'stryker.config.json'), `${JSON.stringify(strykerConfig(s, run), null, 2)}\n`);
}
