/**
 * One gate command's run: `{reports}` points at a fresh folder Goldloop owns, the reports the
 * command wrote are copied into the evidence folder, and a report it did not write is never read.
 */
import { cp, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { insideFolder } from '../../platform/paths.ts';
import { runProcess, type RunResult } from '../../platform/process.ts';
import { evidenceFolder } from './evidence.ts';
import { LEFT_OVER_REASON, ReportsBefore } from './left-over.ts';
import { ReportError } from './parsers/types.ts';
import { gateArgv } from './sandbox.ts';
import type { CommandRun, GateContext } from './measurement.ts';

const MAX_STDOUT = 32 * 1024 * 1024;
/** Background gates yield the CPU to the foreground gate while it runs. */
const BACKGROUND_NICENESS = 10;

const expand = (value: string, reports: string, projectDir: string): string => {
  const out = value.replaceAll('{reports}', reports);
  return isAbsolute(out) ? out : join(projectDir, out);
};

/** Where a gate's report files are, as `read` gets them: the paths filled in, and what stood there before the command ran. */
export interface ReportPlace {
  /** `{reports}` filled in; relative paths resolved against the project. */
  path: (configured: string) => string;
  before: ReportsBefore;
}

/**
 * Runs one gate command with `{reports}` pointing at a fresh folder Goldloop owns, outside the
 * project: nothing the agent could prepare in advance. A report path configured elsewhere (inside
 * the project, as Maven's) is noted before the command starts, so that `read` can tell the files
 * this run wrote from those left there before. `read` runs while the folder still exists.
 */
export async function runGateCommand<T extends CommandRun>(
  config: { command: string[]; timeout_minutes: number; report_command?: string[] | undefined },
  ctx: GateContext,
  options: {
    keepStdout?: boolean;
    background?: Promise<unknown>;
    reportPaths: (string | undefined)[];
    /** Writes what the command reads from `{reports}` (the mutation gate's Stryker config) before it starts. */
    prepare?: (place: ReportPlace, reports: string) => Promise<void>;
    /** Added to the command's environment, `{reports}` filled in (the canary's PYTHONPATH). */
    env?: Record<string, string>;
    /** Folders the gate sandbox shows, read-only, although it hides them from the others (the held-out tests). */
    shown?: string[];
    /** The command starts once this settles, its reports folder and sandbox made before: the requirement tests' runs, one after another. */
    startAfter?: Promise<unknown>;
    /** Called once its processes have ended (or could not start), before its reports are read. */
    ended?: () => void;
  },
  read: (run: CommandRun, place: ReportPlace, evidenceDir: string) => Promise<T>,
): Promise<T> {
  const reports = await mkdtemp(join(tmpdir(), 'goldloop-reports-'));
  const evidenceDir = evidenceFolder(ctx.projectDir, ctx.label);
  try {
    const path = (configured: string): string => expand(configured, reports, ctx.projectDir);
    const outside = options.reportPaths.filter((p): p is string => p !== undefined && p !== 'stdout' && !p.includes('{reports}'));
    const place: ReportPlace = { path, before: await ReportsBefore.take(outside.map(path)) };
    await options.prepare?.(place, reports);
    let stdout = '';
    let overflow = false;
    const niced = options.background && !ctx.sequential;
    const run = async (argv: string[], keepStdout: boolean, startAfter?: Promise<unknown>): Promise<RunResult> => {
      // The project's commands run the agent's code: in a sandbox of their own (sandbox.ts).
      const boxed = await gateArgv(
        ctx,
        argv.map((arg) => arg.replaceAll('{reports}', reports)),
        {
          reports,
          // A report configured outside the project and `{reports}` (an absolute path): its folder, where the command writes it.
          written: outside.map((p) => dirname(path(p))).filter((d) => !insideFolder(ctx.projectDir, d)),
          ...(options.shown ? { shown: options.shown } : {}),
          ...(niced ? { niceness: BACKGROUND_NICENESS } : {}),
        },
      );
      await startAfter;
      return runProcess(boxed.argv, {
        cwd: ctx.projectDir,
        env: {
          ...Object.fromEntries(Object.entries(options.env ?? {}).map(([k, v]) => [k, v.replaceAll('{reports}', reports)])),
          GOLDLOOP_REPORT_DIR: reports,
          FORCE_COLOR: '0',
          NO_COLOR: '1',
          CI: 'true',
        },
        timeoutMs: config.timeout_minutes * 60_000,
        signal: ctx.signal,
        // A background gate yields the CPU to the foreground gate (the one expected to take longest)
        // until that one ends, so running it alongside costs the phase little more than the
        // foreground gate alone; then it goes back to normal priority, so that it is not starved
        // into its own timeout.
        ...(niced ? { niceness: BACKGROUND_NICENESS, nicenessUntil: options.background, nicesItself: boxed.nicesItself ?? false } : {}),
        ...(keepStdout
          ? {
              onLine: (line: string, stream: 'stdout' | 'stderr') => {
                if (stream !== 'stdout' || overflow) return;
                if (stdout.length + line.length > MAX_STDOUT) overflow = true;
                else stdout += `${line}\n`;
              },
            }
          : {}),
      });
    };
    let result: RunResult;
    let reportResult: RunResult | undefined;
    try {
      result = await run(config.command, options.keepStdout ?? false, options.startAfter);
      // The command that turns the run's data into its reports (coverage.py's `coverage xml`) runs whatever the tests' verdict.
      reportResult =
        config.report_command && !ctx.signal?.aborted && !result.killedBy ? await run(config.report_command, false) : undefined;
    } finally {
      options.ended?.();
    }
    await mkdir(evidenceDir, { recursive: true });
    const out: CommandRun = {
      result,
      ...(reportResult ? { reportResult } : {}),
      ...(options.keepStdout ? { stdout: overflow ? '' : stdout } : {}),
    };
    return await read(out, place, evidenceDir);
  } finally {
    await rm(reports, { recursive: true, force: true });
  }
}

export const notWritten = (shown: string): string => `${shown}: not found: the command did not write it`;

/** Why a report could not be read when it is not a `ReportError`: usually it was never written. */
export const unreadable = (error: unknown, shown: string): string =>
  (error as NodeJS.ErrnoException).code === 'ENOENT' || !(error instanceof Error)
    ? notWritten(shown)
    : `${shown}: cannot read: ${error.message}`;

/** Copies a report this run wrote into the evidence folder and returns the copy's path and text. */
export async function keep(
  path: string,
  place: ReportPlace,
  evidenceDir: string,
  name = basename(path),
): Promise<{ copy: string; text: string }> {
  if (await place.before.isLeftOver(path)) throw new ReportError(path, LEFT_OVER_REASON);
  const copy = join(evidenceDir, name);
  await cp(path, copy);
  return { copy, text: await readFile(copy, 'utf8') };
}
