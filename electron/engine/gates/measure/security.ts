/**
 * The security gate: the scanner's report, read from a file or from its output, in one of the
 * formats Goldloop parses.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MeasuringSecurity } from '../../../store/kb/schema.ts';
import { keep, notWritten, runGateCommand } from '../command.ts';
import type { GateContext, SecurityRun } from '../measurement.ts';
import { parseNpmAudit } from '../parsers/npm-audit.ts';
import { parseOsv } from '../parsers/osv.ts';
import { parsePipAudit } from '../parsers/pip-audit.ts';
import { parseSarif } from '../parsers/sarif.ts';
import { ReportError, type SecurityReport } from '../parsers/types.ts';

const SECURITY_PARSERS: Record<MeasuringSecurity['report']['format'], (text: string, file: string) => SecurityReport> = {
  'npm-audit': parseNpmAudit,
  osv: parseOsv,
  'pip-audit': parsePipAudit,
  sarif: parseSarif,
};

export async function measureSecurity(config: MeasuringSecurity, ctx: GateContext, background?: Promise<unknown>): Promise<SecurityRun> {
  const fromStdout = config.report.path === 'stdout';
  const options = { keepStdout: fromStdout, reportPaths: [config.report.path], ...(background ? { background } : {}) };
  return runGateCommand(config, ctx, options, async (run, place, evidenceDir) => {
    const out: SecurityRun = { ...run };
    try {
      let text: string;
      if (fromStdout) {
        out.copy = join(evidenceDir, `security-${config.report.format}.json`);
        text = run.stdout ?? '';
        await writeFile(out.copy, text);
      } else {
        const kept = await keep(place.path(config.report.path), place, evidenceDir);
        out.copy = kept.copy;
        text = kept.text;
      }
      out.report = SECURITY_PARSERS[config.report.format](text, out.copy);
    } catch (error) {
      out.error = error instanceof ReportError ? error.message : notWritten(config.report.path);
    }
    delete out.stdout;
    return out;
  });
}
