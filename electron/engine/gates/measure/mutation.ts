/**
 * The mutation gate: the mutation tool's run over the files of this phase's scope (all the code,
 * or the sources changed since the baseline), its report read in the tool's format. For StrykerJS
 * Goldloop writes the config first (`mutation/stryker-config.ts`).
 */
import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { MutationGateConfig } from '../../../store/kb/schema.ts';
import { runGateCommand, unreadable, type ReportPlace } from '../command.ts';
import type { GateContext, MutationRun, MutationScope } from '../measurement.ts';
import { mutationStateDir } from '../mutation/changes.ts';
import { DEFAULT_MUTATE } from '../mutation/globs.ts';
import { metaFiles, readMutationReport } from '../mutation/read-report.ts';
import { INCREMENTAL_FILE, writeStrykerConfig } from '../mutation/stryker-config.ts';
import { ReportError } from '../parsers/types.ts';

export async function measureMutation(config: MutationGateConfig, ctx: GateContext, scope: MutationScope): Promise<MutationRun> {
  // mutmut keeps its results inside the project: what stands there before the run is noted, and not read.
  const reportPaths =
    config.report.format === 'mutmut' ? await metaFiles(resolve(ctx.projectDir, config.report.path)) : [config.report.path];
  const stryker = config.stryker;
  const kept = join(mutationStateDir(ctx.projectDir), INCREMENTAL_FILE);
  const prepare = stryker
    ? async (place: ReportPlace, reports: string): Promise<void> => {
        // The command runs in the gate sandbox, which hides the state folder: it works on a copy.
        await copyFile(kept, join(reports, INCREMENTAL_FILE)).catch(() => {});
        await writeStrykerConfig(stryker, {
          reports,
          reportFile: place.path(config.report.path),
          mutate: scope.kind === 'changed' ? scope.files : (stryker.mutate ?? DEFAULT_MUTATE),
          full: scope.kind === 'all',
          incrementalFile: join(reports, INCREMENTAL_FILE),
        });
      }
    : undefined;
  // The schema lets only a gate switched off go without a command, and that one never runs.
  return runGateCommand(
    { ...config, command: config.command ?? [] },
    ctx,
    { reportPaths, ...(prepare ? { prepare } : {}) },
    async (run, place, evidenceDir) => {
      if (stryker) {
        await mkdir(dirname(kept), { recursive: true });
        await copyFile(place.path(`{reports}/${INCREMENTAL_FILE}`), kept).catch(() => {});
      }
      const out: MutationRun = { ...run, scope };
      try {
        const read = await readMutationReport(config.report, place, evidenceDir);
        out.report = read.report;
        out.copy = read.copy;
        if (read.notRead.length) out.notRead = read.notRead;
      } catch (error) {
        out.error = error instanceof ReportError ? error.message : unreadable(error, config.report.path);
      }
      return out;
    },
  );
}
