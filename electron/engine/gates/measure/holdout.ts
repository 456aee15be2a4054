/**
 * The held-out acceptance tests: the user's tests in a folder outside the project, run in the
 * project's folder at a gold candidate. Their report is kept in the project's state folder, not
 * in the project's evidence, and nothing of their output reaches the checklist: the agent learns
 * which requirement failed, never the test.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { insideFolder } from '../../../platform/paths.ts';
import type { HoldoutGateConfig } from '../../../store/kb/schema.ts';
import { stateFolder } from '../../../store/state-folder.ts';
import { goldCandidate } from '../candidate.ts';
import { runGateCommand, unreadable } from '../command.ts';
import { readJUnitReport } from '../junit-report.ts';
import type { GateContext, HoldoutRun, HoldoutSkipped, Measurement } from '../measurement.ts';
import { ReportError } from '../parsers/types.ts';

/** Where a phase's held-out report is kept: the state folder, which the sandbox hides from the agent. */
export const holdoutEvidence = (projectDir: string, label: string): string => join(stateFolder(projectDir), 'holdout', label);

export async function measureHoldout(config: HoldoutGateConfig, ctx: GateContext): Promise<HoldoutRun> {
  const command = config.command.map((arg) => arg.replaceAll('{holdout}', config.dir));
  const kept = holdoutEvidence(ctx.projectDir, ctx.label);
  return runGateCommand({ ...config, command }, ctx, { reportPaths: [config.junit_report], shown: [config.dir] }, async (run, place) => {
    const out: HoldoutRun = { ...run };
    try {
      await mkdir(kept, { recursive: true });
      const read = await readJUnitReport(place.path(config.junit_report), kept, place.before);
      out.report = read.report;
      out.copy = read.copy;
    } catch (error) {
      out.error =
        error instanceof ReportError ? 'the held-out tests wrote an unreadable JUnit report' : unreadable(error, config.junit_report);
    }
    return out;
  });
}

/** The held-out gate of a phase whose other gates are measured in `m`: it runs only at a gold candidate. */
export async function runHoldoutGate(ctx: GateContext, m: Measurement): Promise<HoldoutRun | HoldoutSkipped> {
  const config = ctx.kb.gates.holdout!;
  if (insideFolder(ctx.projectDir, config.dir)) {
    return {
      skipped:
        'not run: gates.holdout.dir is inside the project, where the agent can read and change the tests; move the folder outside it',
    };
  }
  if (!goldCandidate(ctx.kb, m))
    return { skipped: 'not run yet: the held-out tests run at a gold candidate, when every other line passes' };
  return measureHoldout(config, ctx);
}
