/**
 * The performance gate: the benchmark's metrics, the last JSON object it printed (or wrote), for
 * the checklist to hold against the thresholds.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MeasuringPerformance } from '../../../store/kb/schema.ts';
import { keep, notWritten, runGateCommand } from '../command.ts';
import type { GateContext, PerformanceRun } from '../measurement.ts';
import { ReportError } from '../parsers/types.ts';

export async function measurePerformance(
  config: MeasuringPerformance,
  ctx: GateContext,
  background?: Promise<unknown>,
): Promise<PerformanceRun> {
  const fromStdout = config.output === 'stdout';
  const options = { keepStdout: fromStdout, reportPaths: [config.output], ...(background ? { background } : {}) };
  return runGateCommand(config, ctx, options, async (run, place, evidenceDir) => {
    const out: PerformanceRun = { ...run };
    out.copy = join(evidenceDir, 'benchmark.json');
    try {
      const text = fromStdout ? (run.stdout ?? '') : (await keep(place.path(config.output), place, evidenceDir, 'benchmark.json')).text;
      if (fromStdout) await writeFile(out.copy, text);
      // The benchmark may print other lines; its result is the last line that is a JSON object.
      const json = text
        .trim()
        .split('\n')
        .reverse()
        .find((l) => l.trim().startsWith('{'));
      if (!json) throw new ReportError(out.copy, 'no JSON object in the output: the benchmark must print { "metric": number, ... }');
      let parsed: unknown;
      try {
        parsed = JSON.parse(json);
      } catch (error) {
        throw new ReportError(out.copy, `not valid JSON: ${(error as Error).message}`);
      }
      const metrics: Record<string, number> = {};
      for (const [k, v] of Object.entries(parsed as Record<string, unknown>))
        if (typeof v === 'number' && Number.isFinite(v)) metrics[k] = v;
      out.metrics = metrics;
    } catch (error) {
      out.error = error instanceof ReportError ? error.message : notWritten(config.output);
    }
    delete out.stdout;
    return out;
  });
}
