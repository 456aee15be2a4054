/** The build gate: its command's exit code is the whole measurement. */
import type { BuildGateConfig } from '../../../store/kb/schema.ts';
import { runGateCommand } from '../command.ts';
import type { CommandRun, GateContext } from '../measurement.ts';

export async function measureBuild(config: BuildGateConfig, ctx: GateContext, background?: Promise<unknown>): Promise<CommandRun> {
  return runGateCommand(config, ctx, { reportPaths: [], ...(background ? { background } : {}) }, async (run) => run);
}
