/** The build gate: its command's exit code is the whole measurement. */
import type { MeasuringBuild } from '../../../store/kb/schema.ts';
import { runGateCommand } from '../command.ts';
import type { CommandRun, GateContext } from '../measurement.ts';

export async function measureBuild(config: MeasuringBuild, ctx: GateContext, background?: Promise<unknown>): Promise<CommandRun> {
  return runGateCommand(config, ctx, { reportPaths: [], ...(background ? { background } : {}) }, async (run) => run);
}
