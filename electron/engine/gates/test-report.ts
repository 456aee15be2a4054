/**
 * The tests gate's per-test results in the format its runner ships: JUnit XML (a file or a
 * folder, `junit-report.ts`), jest's `--json` output, or `go test -json`'s events on the
 * command's output (`stdout`). What is read is copied into the evidence folder first.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { keep, type ReportPlace } from './command.ts';
import { readJUnitReport } from './junit-report.ts';
import { parseGoTestJson } from './parsers/go-test-json.ts';
import { parseJestJson } from './parsers/jest-json.ts';
import type { TestReport } from './parsers/types.ts';
import type { TestReportConfig } from './test-report-config.ts';

/**
 * Reads the per-test results one run wrote (`stdout`: what the command printed). Throws a
 * `ReportError` naming the copy for a report that does not parse, or ENOENT for one not written.
 */
export async function readTestReport(
  config: TestReportConfig,
  place: ReportPlace,
  evidenceDir: string,
  stdout: string | undefined,
): Promise<{ copy: string; report: TestReport; notRead: string[] }> {
  if (config.format === 'junit') return readJUnitReport(place.path(config.path), evidenceDir, place.before);
  const name = config.format === 'jest-json' ? 'jest-results.json' : 'go-test.json';
  let copy: string;
  let text: string;
  if (config.path === 'stdout') {
    copy = join(evidenceDir, name);
    text = stdout ?? '';
    await writeFile(copy, text);
  } else {
    ({ copy, text } = await keep(place.path(config.path), place, evidenceDir, name));
  }
  const report = config.format === 'jest-json' ? parseJestJson(text, copy) : parseGoTestJson(text, copy);
  return { copy, report, notRead: [] };
}
